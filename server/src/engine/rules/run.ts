/**
 * Runs the registered rules over a linked index: configured severities,
 * suppression comments, and a deterministic order.
 */
import type { Suppression } from '../facts/types';
import type { WorkspaceIndex } from '../index/workspace';
import type { Finding, RuleContext, Severity } from './types';
import { RULES } from './registry';

export interface RuleSettings {
  /** Per rule id: a severity for all its findings, or 'off'. Ids not listed keep their defaults. */
  severity?: Record<string, Severity | 'off'>;
}

/** The context for a workspace index: its linked result, profile and indexed texts. */
export function ruleContext(index: WorkspaceIndex): RuleContext {
  return { index: index.link(), profile: index.profile, text: (file) => index.text(file) };
}

/**
 * A rule may give a finding its own severity (a boot-only write is `info`);
 * a severity configured for the rule overrides that for all its findings.
 */
export function runRules(ctx: RuleContext, settings: RuleSettings = {}): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const configured = settings.severity?.[rule.id];
    if (configured === 'off') continue;
    rule.check(ctx, (f) => {
      const { severity, ...rest } = f;
      const finding: Finding = { ...rest, rule: rule.id, severity: configured ?? severity ?? rule.defaultSeverity };
      if (!suppressed(finding, ctx.index.files.get(finding.file)?.suppressions ?? [])) findings.push(finding);
    });
  }
  return findings.sort(compareFindings);
}

function suppressed(f: Finding, suppressions: readonly Suppression[]): boolean {
  return suppressions.some((s) => s.ids.includes(f.rule) && s.line === (s.nextLine ? f.span.line - 1 : f.span.line));
}

function compareFindings(a: Finding, b: Finding): number {
  return cmp(a.file, b.file) || a.span.line - b.span.line || a.span.col - b.span.col || cmp(a.rule, b.rule) || a.span.end - b.span.end || cmp(a.message, b.message);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
