/**
 * Background indexing of a folder: read, then parse in time slices so that
 * requests and notifications are served between slices. The session learns
 * attribute-like macros from every file in its first `addAll`, so the first
 * slice is given all files and later ones only what remains; a file whose
 * analysis throws is logged and skipped.
 */
import type { AnalysisSession } from '../engine/session';
import { isProblem, readSource, type FileProblem } from '../engine/files/read';
import type { Logger } from './logger';

export interface IndexJob {
  files: readonly string[];
  maxFileSize: number;
  /** Open documents are the editor's business: their buffers, not the disk, feed the index. */
  isOpen(file: string): boolean;
  cancelled(): boolean;
  progress(phase: 'reading' | 'parsing', done: number, total: number): void;
}

export interface IndexOutcome {
  indexed: number;
  problems: FileProblem[];
  failed: string[];
  cancelled: boolean;
}

/**
 * How long one slice may keep the event loop. Each `addAll` re-learns the
 * attribute macros of the whole folder (a few milliseconds on Xen), so
 * slices much shorter than this cost more in re-learning than they save in
 * latency.
 */
const SLICE_MS = 100;

export async function indexFiles(session: AnalysisSession, job: IndexJob, log: Logger): Promise<IndexOutcome> {
  const out: IndexOutcome = { indexed: 0, problems: [], failed: [], cancelled: false };
  const texts: Array<{ path: string; text: string }> = [];
  let deadline = performance.now() + SLICE_MS;
  for (let i = 0; i < job.files.length; i++) {
    if (performance.now() > deadline) {
      job.progress('reading', i, job.files.length);
      await breathe();
      deadline = performance.now() + SLICE_MS;
    }
    if (job.cancelled()) return { ...out, cancelled: true };
    const r = readSource(job.files[i], { maxBytes: job.maxFileSize });
    if (isProblem(r)) out.problems.push(r);
    else texts.push({ path: r.path, text: r.text });
  }

  let pending = texts;
  let first = true;
  const total = texts.length;
  let done = 0;
  // Each `addAll` scans the macros of every file it is offered: offer about what a slice parses.
  let chunk = 16;
  while (pending.length > 0) {
    job.progress('parsing', done, total);
    await breathe();
    if (job.cancelled()) return { ...out, indexed: done - out.failed.length, cancelled: true };
    const skipped = pending.length;
    pending = pending.filter((f) => !job.isOpen(f.path));
    done += skipped - pending.length;
    const offered = first ? pending : pending.slice(0, chunk);
    first = false;
    let parsed = 0;
    const stop = performance.now() + SLICE_MS;
    try {
      session.addAll(offered, () => {
        parsed++;
        return performance.now() < stop && !job.cancelled();
      });
    } catch (err) {
      // addAll reports each file after parsing it, so the one that threw is the next.
      const bad = offered[parsed];
      if (bad === undefined) throw err;
      log.error(`${bad.path}: analysis failed, file skipped`, err);
      out.failed.push(bad.path);
      parsed++;
    }
    done += parsed;
    pending = pending.slice(parsed);
    chunk = Math.max(4, parsed * 2);
  }
  out.indexed = done - out.failed.length;
  job.progress('parsing', total, total);
  log.debug(() => `indexed ${out.indexed} files (${out.problems.length} unreadable, ${out.failed.length} failed)`);
  return out;
}

/** Lets queued messages run. */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
