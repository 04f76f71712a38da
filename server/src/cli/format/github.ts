/**
 * `--format github`: GitHub Actions workflow commands, which the runner
 * turns into annotations on the pull request. Related locations go into the
 * message as `note:` lines, since an annotation has one location.
 */
import type { Severity } from '../../engine/rules/types';
import type { LintReport } from './report';
import { repoPath } from './paths';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

// The escaping of GitHub's own toolkit (@actions/core): data escapes %, CR and LF; properties also ':' and ','.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function command(name: string, props: Record<string, string | number>, message: string): string {
  const list = Object.entries(props).map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${name} ${list}::${escapeData(message)}`;
}

export function formatGithub(report: LintReport, cwd = process.cwd()): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    const notes = f.related.map((r) => `\n${repoPath(r.file, cwd).path}:${r.line}:${r.column}: note: ${r.message}`);
    lines.push(command(COMMAND[f.severity], {
      file: repoPath(f.file, cwd).path, line: f.line, col: f.column, endLine: f.endLine, endColumn: f.endColumn, title: f.rule,
    }, f.message + notes.join('')));
  }
  for (const p of report.problems) lines.push(command('warning', { file: repoPath(p.path, cwd).path, title: 'altcall-lint' }, p.message));
  return lines.length ? lines.join('\n') + '\n' : '';
}
