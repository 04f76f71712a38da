/**
 * The vocabulary shared by the rules, the lint command line and the
 * language server: findings with related locations and fixes as text edits.
 */
import type { Span } from '../facts/types';
import type { IndexResult } from '../index/workspace';
import type { Profile } from '../config/profiles';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

export interface Related { file: string; span: Span; message: string; }

/** Replace [start, end) of `file` (UTF-16 offsets into its text as indexed) with `newText`. */
export interface TextEdit { file: string; start: number; end: number; newText: string; }

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one obvious fix: editors list it first and `--fix` applies it. */
  preferred: boolean;
}

export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  span: Span;
  message: string;
  related: Related[];
  fixes: Fix[];
}

export interface RuleContext {
  index: IndexResult;
  profile: Profile;
  /** The text a file was indexed from (fixes are computed against it). */
  text(file: string): string | undefined;
}

/** What a rule reports; the runner adds the rule id and the configured severity. */
export type Report = (finding: Omit<Finding, 'rule' | 'severity'> & { severity?: Severity }) => void;

export interface Rule {
  id: string;
  defaultSeverity: Severity;
  /** One sentence, reused by hover, the README and SARIF rule metadata. */
  description: string;
  check(ctx: RuleContext, report: Report): void;
}
