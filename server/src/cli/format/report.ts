/**
 * What one lint run produced, in the form every output format starts from:
 * findings with 1-based line/column ranges (columns in UTF-16 code units,
 * end column just past the range), the files that could not be linted, what
 * `--fix` did, and the counts.
 */
import type { Finding, Severity, TextEdit } from '../../engine/rules/types';
import type { FileProblem } from '../../engine/files/read';
import type { Span } from '../../engine/facts/types';
import { LineIndex } from '../../engine/util/lines';

export interface Range { line: number; column: number; endLine: number; endColumn: number; }
export interface Located extends Range { file: string; }

export interface ReportFinding extends Located {
  rule: string;
  severity: Severity;
  message: string;
  related: Array<Located & { message: string }>;
  fixes: Array<{ title: string; preferred: boolean; edits: Array<Located & { newText: string }> }>;
}

export interface RuleMeta { id: string; description: string; defaultSeverity: Severity; }

export interface FixOutcome {
  /** Findings whose preferred fix was written. */
  fixed: number;
  /** Files written. */
  files: string[];
  /** Fixes not applied, with the finding they belong to. */
  skipped: Array<Located & { rule: string; reason: string }>;
  /** Files left as they were although they had fixes (changed on disk meanwhile, could not be written). */
  untouched: Array<{ file: string; kind: 'changed' | 'io'; reason: string }>;
}

export interface Summary {
  files: number;
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
  /** Findings with a preferred fix, which `--fix` would apply. */
  fixable: number;
  /** Files that could not be linted. */
  problems: number;
  /** Files left out by the file cap (`maxFiles`). */
  notRead: number;
}

export interface LintReport {
  tool: { name: string; version: string; homepage?: string };
  rules: RuleMeta[];
  findings: ReportFinding[];
  problems: FileProblem[];
  fix?: FixOutcome;
  summary: Summary;
  /** The text a file was linted from, for source excerpts. */
  source(file: string): string | undefined;
}

/** Turns offsets into lines and columns, one line table per file. */
export class Positions {
  private readonly tables = new Map<string, LineIndex>();

  constructor(private readonly text: (file: string) => string | undefined) {}

  range(file: string, start: number, end: number): Range {
    let table = this.tables.get(file);
    if (!table) {
      table = new LineIndex(this.text(file) ?? '');
      this.tables.set(file, table);
    }
    const a = table.span(start, start);
    const b = table.span(end, end);
    return { line: a.line + 1, column: a.col + 1, endLine: b.line + 1, endColumn: b.col + 1 };
  }

  span(file: string, span: Span): Located {
    return { file, ...this.range(file, span.start, span.end) };
  }

  edit(e: TextEdit): Located & { newText: string } {
    return { file: e.file, ...this.range(e.file, e.start, e.end), newText: e.newText };
  }

  finding(f: Finding): ReportFinding {
    return {
      ...this.span(f.file, f.span),
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      related: f.related.map((r) => ({ ...this.span(r.file, r.span), message: r.message })),
      fixes: f.fixes.map((x) => ({ title: x.title, preferred: x.preferred, edits: x.edits.map((e) => this.edit(e)) })),
    };
  }
}

export function summarize(findings: readonly ReportFinding[], files: number, problems: number, notRead: number): Summary {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return {
    files,
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    hints: count('hint'),
    fixable: findings.filter((f) => f.fixes.some((x) => x.preferred)).length,
    problems,
    notRead,
  };
}
