/**
 * `--format json`: the findings as the report holds them, the files that
 * could not be linted, what `--fix` did, and the counts. Documented in README.md.
 */
import type { LintReport } from './report';

export function formatJson(report: LintReport): string {
  const json = {
    findings: report.findings,
    problems: report.problems.map((p) => ({ file: p.path, kind: p.kind, message: p.message })),
    ...(report.fix ? { fix: report.fix } : {}),
    summary: report.summary,
  };
  return JSON.stringify(json, null, 2) + '\n';
}
