/**
 * Edit-to-diagnostics latency: edits sent one at a time to an open
 * document, each timed from its didChange to the publishDiagnostics it
 * causes. The server publishes a file only when its diagnostics changed, so
 * every edit here changes findings, and undoes the one before it:
 *
 * - same file: a statement line inserted before a site, calling the site's
 *   target directly (`ops.fn(a)`), then removed. The direct call is a
 *   runtime use of the ops object, which changes the finding on its
 *   declaration (`ops-kept-at-runtime` lists the uses) or on the use
 *   itself (`initdata-ops-used-at-runtime`); the timing ends with the
 *   edited file's publication.
 * - wrapper: the target of the site in a header's wrapper macro made to go
 *   through a pointer (`bench_p->ops.fn`), then restored: every use of the
 *   wrapper, in other files, becomes a `site-target-not-patchable` error and
 *   then goes back. The timing ends with the first publication of any
 *   file, and the files re-published are counted once the server has gone
 *   quiet.
 */
import type { LspSession, Range } from './lspClient';
import { fileUri } from './lspClient';
import type { SameFileTarget, WrapperTarget } from './lspTargets';

export interface Edit { range: Range; text: string; }

export interface EditTimes {
  sent: number;
  /** Milliseconds, of the edits that were answered. */
  latencies: number[];
  /** Files re-published after each answered edit (counted only when settling). */
  filesPublished: number[];
}

export interface SeriesOptions {
  /** Which publication ends an edit's time. */
  awaited: 'edited file' | 'any file';
  /** Quiet time after each edit before counting the files re-published; 0 does not count. */
  settleMs: number;
  timeoutMs: number;
}

/** An unanswered edit may just have changed nothing; several in a row mean the rest would not be answered either. */
const GIVE_UP_AFTER = 3;

export async function timeEdits(session: LspSession, file: string, edits: readonly Edit[], opts: SeriesOptions): Promise<EditTimes> {
  const uri = fileUri(file);
  const out: EditTimes = { sent: 0, latencies: [], filesPublished: [] };
  let missed = 0;
  for (const edit of edits) {
    const seen = session.published.length;
    const answer = () => session.published.slice(seen).find((p) => opts.awaited === 'any file' || p.uri === uri);
    const start = performance.now();
    await session.change(file, edit.range, edit.text);
    out.sent++;
    try {
      await session.waitFor(`diagnostics after an edit of ${file}`, () => answer() !== undefined, opts.timeoutMs);
    } catch {
      if (++missed >= GIVE_UP_AFTER) break;
      continue;
    }
    missed = 0;
    out.latencies.push(answer()!.at - start);
    if (opts.settleMs > 0) {
      await session.quiet(opts.settleMs);
      out.filesPublished.push(new Set(session.published.slice(seen).map((p) => p.uri)).size);
    }
  }
  return out;
}

/** `count` edits: a direct call inserted before a site, then removed, going through the file's sites in turn. */
export function sameFileEdits(target: SameFileTarget, count: number): Edit[] {
  const edits: Edit[] = [];
  for (let k = 0; k < count; k++) {
    const site = target.sites[Math.floor(k / 2) % target.sites.length];
    const at = { line: site.line, character: 0 };
    edits.push(k % 2 === 0
      ? { range: { start: at, end: at }, text: `${site.indent}${site.directCall};\n` }
      : { range: { start: at, end: { line: site.line + 1, character: 0 } }, text: '' });
  }
  return edits;
}

/** Put before a site's target, it makes the call go through a pointer, which cannot be patched. */
const THROUGH_POINTER = 'bench_p->';

/** `count` edits: the wrapper's site target made to go through a pointer, then back. */
export function wrapperEdits(target: WrapperTarget, count: number): Edit[] {
  const at = { line: target.line, character: target.character };
  const edits: Edit[] = [];
  for (let k = 0; k < count; k++) {
    edits.push(k % 2 === 0
      ? { range: { start: at, end: at }, text: THROUGH_POINTER }
      : { range: { start: at, end: { line: at.line, character: at.character + THROUGH_POINTER.length } }, text: '' });
  }
  return edits;
}

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
