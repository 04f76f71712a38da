/** The findings the user sees: this client's diagnostics, counted by severity. */
import * as vscode from 'vscode';

export interface FindingCount { total: number; files: number; bySeverity: Record<'error' | 'warning' | 'info' | 'hint', number>; }

const NAMES = ['error', 'warning', 'info', 'hint'] as const;

export function countFindings(diagnostics: vscode.DiagnosticCollection | undefined): FindingCount {
  const count: FindingCount = { total: 0, files: 0, bySeverity: { error: 0, warning: 0, info: 0, hint: 0 } };
  diagnostics?.forEach((_uri, list) => {
    if (list.length === 0) return;
    count.files++;
    count.total += list.length;
    for (const d of list) count.bySeverity[NAMES[d.severity]]++;
  });
  return count;
}

export function describeCount(c: FindingCount): string {
  if (c.total === 0) return 'no findings';
  const parts = NAMES.filter((n) => c.bySeverity[n] > 0).map((n) => (n === 'error' || n === 'warning' ? plural(c.bySeverity[n], n) : `${c.bySeverity[n]} ${n}`));
  return `${plural(c.total, 'finding')} in ${plural(c.files, 'file')} (${parts.join(', ')})`;
}

export function plural(n: number, word: string): string {
  return n === 1 ? `1 ${word}` : `${n} ${word}s`;
}
