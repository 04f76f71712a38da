/**
 * Findings as LSP diagnostics, and publishing them: every file with
 * findings gets its list (open or not), and a file whose findings are gone
 * gets an empty one. A file is sent again only when its list changed.
 */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { Finding, Severity } from '../engine/rules/types';
import { ruleDocsHref } from '../engine/packageInfo';
import { pathToUri, type PositionCache } from './positions';

export const SOURCE = 'altcall';

const LEVEL: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding, positions: PositionCache): Diagnostic | null {
  const range = positions.range(f.file, f.span.start, f.span.end);
  if (!range) return null;
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of f.related) {
    const at = positions.range(r.file, r.span.start, r.span.end);
    if (at) related.push({ location: { uri: pathToUri(r.file), range: at }, message: r.message });
  }
  return {
    range,
    severity: LEVEL[f.severity],
    code: f.rule,
    codeDescription: { href: ruleDocsHref(f.rule) },
    source: SOURCE,
    message: f.message,
    ...(related.length ? { relatedInformation: related } : {}),
  };
}

/** Same finding, same diagnostic: how code actions find the findings a client sends back. */
export function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && a.message === b.message && a.range.start.line === b.range.start.line
    && a.range.start.character === b.range.start.character && a.range.end.line === b.range.end.line
    && a.range.end.character === b.range.end.character;
}

export type Send = (uri: string, diagnostics: Diagnostic[], version?: number) => void;

export class DiagnosticsPublisher {
  private readonly sent = new Map<string, string>();

  constructor(private readonly send: Send) {}

  /**
   * Publishes the complete set for the files `owned` says are covered
   * (those of the projects being published): files of that scope not in
   * `byUri` are cleared.
   */
  publish(byUri: ReadonlyMap<string, Diagnostic[]>, owned: (uri: string) => boolean, version: (uri: string) => number | undefined): void {
    for (const [uri, list] of byUri) this.put(uri, list, version(uri));
    for (const uri of [...this.sent.keys()]) if (!byUri.has(uri) && owned(uri)) this.put(uri, [], version(uri));
  }

  /** Diagnostics of a file that no project owns (the config file's mistakes). */
  put(uri: string, list: Diagnostic[], version?: number): void {
    const key = JSON.stringify(list);
    if ((this.sent.get(uri) ?? '[]') === key) return;
    if (list.length === 0) this.sent.delete(uri);
    else this.sent.set(uri, key);
    this.send(uri, list, version);
  }
}
