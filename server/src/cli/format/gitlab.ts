/**
 * `--format gitlab`: a GitLab Code Quality report (the Code Climate issue
 * subset GitLab reads), shown in merge requests. The fingerprint must stay
 * the same across runs for GitLab to tell new findings from old ones, so it
 * hashes what moving code around does not change: rule, file and message,
 * plus a counter for identical findings in one file.
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../../engine/rules/types';
import type { LintReport } from './report';
import { repoPath } from './paths';

const SEVERITY: Record<Severity, 'info' | 'minor' | 'major' | 'critical'> = { hint: 'info', info: 'info', warning: 'major', error: 'critical' };

export function formatGitlab(report: LintReport, cwd = process.cwd()): string {
  const seen = new Map<string, number>();
  const issues = report.findings.map((f) => {
    const file = repoPath(f.file, cwd).path;
    const key = [f.rule, file, f.message].join('\0');
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return {
      description: f.message,
      check_name: f.rule,
      fingerprint: createHash('md5').update(`${key}\0${n}`).digest('hex'),
      severity: SEVERITY[f.severity],
      location: { path: file, lines: { begin: f.line } },
    };
  });
  return JSON.stringify(issues, null, 2) + '\n';
}
