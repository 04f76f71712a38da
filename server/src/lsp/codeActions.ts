/**
 * Code actions: each finding's fixes as quick fixes (the preferred one
 * first and marked), and one action applying every preferred fix of a file
 * that does not collide with another.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit as LspTextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { Finding, TextEdit } from '../engine/rules/types';
import { planFixes } from '../engine/rules/edits';
import { sameDiagnostic } from './diagnostics';
import { pathToUri, type PositionCache } from './positions';
import { FIX_ALL_KIND } from './protocol';

export interface ActionRequest {
  /** The findings of the file. */
  findings: readonly Finding[];
  /** Offsets of the requested range in the indexed text. */
  start: number;
  end: number;
  /** `context.only`, if the client narrowed the kinds. */
  only?: readonly string[];
  /** `context.diagnostics`: the client's diagnostics at the range (their findings get fixes even off the range). */
  diagnostics: readonly Diagnostic[];
  positions: PositionCache;
  toDiagnostic(f: Finding): Diagnostic | null;
}

export function codeActions(req: ActionRequest): CodeAction[] {
  const out: CodeAction[] = [];
  if (wanted(CodeActionKind.QuickFix, req.only)) {
    const quick: CodeAction[] = [];
    for (const f of req.findings) {
      const diagnostic = req.toDiagnostic(f);
      const inRange = f.span.start <= req.end && req.start <= f.span.end;
      if (!inRange && !(diagnostic && req.diagnostics.some((d) => sameDiagnostic(d, diagnostic)))) continue;
      for (const fix of f.fixes) {
        const edit = workspaceEdit(fix.edits, req.positions);
        if (!edit) continue;
        quick.push({ title: fix.title, kind: CodeActionKind.QuickFix, ...(diagnostic ? { diagnostics: [diagnostic] } : {}), isPreferred: fix.preferred, edit });
      }
    }
    // Stable: among equals, findings keep their order.
    out.push(...quick.filter((a) => a.isPreferred), ...quick.filter((a) => !a.isPreferred));
  }
  if (wanted(FIX_ALL_KIND, req.only)) {
    const plan = planFixes(req.findings);
    const edit = workspaceEdit([...plan.edits.values()].flat(), req.positions);
    if (edit) out.push({ title: 'Fix all altcall findings in this file', kind: FIX_ALL_KIND, edit });
  }
  return out;
}

/** An action of `kind` is wanted when no kinds are asked for, or when one asked for is it or a parent of it. */
function wanted(kind: string, only: readonly string[] | undefined): boolean {
  return !only || only.length === 0 || only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

/** Null when an edit's file is no longer indexed (its positions are unknown). */
function workspaceEdit(edits: readonly TextEdit[], positions: PositionCache): WorkspaceEdit | null {
  if (edits.length === 0) return null;
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of edits) {
    const range = positions.range(e.file, e.start, e.end);
    if (!range) return null;
    (changes[pathToUri(e.file)] ??= []).push({ range, newText: e.newText });
  }
  return { changes };
}
