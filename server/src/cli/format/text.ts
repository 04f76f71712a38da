/**
 * GCC's diagnostic format, which terminals, editors and CI problem matchers
 * already understand: `file:line:col: warning: message [rule-id]`, the
 * source line with the range underlined, related locations as `note:`
 * lines, and a summary line.
 */
import type { LintReport, ReportFinding, Summary } from './report';

export function formatText(report: LintReport): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    lines.push(`${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.rule}]`);
    lines.push(...excerpt(report.source(f.file), f));
    for (const r of f.related) lines.push(`${r.file}:${r.line}:${r.column}: note: ${r.message}`);
  }
  lines.push(summaryLine(report.summary, report.fix !== undefined));
  return lines.join('\n') + '\n';
}

/** `   12 | text` and `      |  ^~~~` under it, as GCC prints them; tabs become spaces so the marks line up. */
function excerpt(text: string | undefined, f: ReportFinding): string[] {
  if (text === undefined) return [];
  const source = text.split('\n')[f.line - 1];
  if (source === undefined) return [];
  const shown = source.replace(/\r$/, '').replace(/\t/g, ' ');
  const last = f.endLine === f.line ? f.endColumn : shown.length + 1;
  const width = Math.max(1, last - f.column);
  const gutter = String(f.line).padStart(5);
  return [`${gutter} | ${shown}`, `${' '.repeat(gutter.length)} | ${' '.repeat(f.column - 1)}^${'~'.repeat(width - 1)}`];
}

function summaryLine(s: Summary, fixed: boolean): string {
  const parts = ([['error', s.errors], ['warning', s.warnings], ['info', s.infos], ['hint', s.hints]] as const)
    .filter(([, n]) => n > 0)
    .map(([word, n]) => `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`);
  const files = `${s.files} file${s.files === 1 ? '' : 's'}`;
  const found = parts.length ? parts.join(', ') : 'no findings';
  const remaining = fixed && parts.length ? ' remaining' : '';
  const fixable = s.fixable > 0 ? ` (${s.fixable} fixable with --fix)` : '';
  const problems = s.problems > 0 ? `; ${s.problems} file${s.problems === 1 ? '' : 's'} could not be linted` : '';
  const notRead = s.notRead > 0 ? `; ${s.notRead} more not read (file cap)` : '';
  return `${found}${remaining} in ${files}${fixable}${problems}${notRead}`;
}
