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

/** How long one slice may keep the event loop. */
const SLICE_MS = 40;
/** Files offered to one `addAll` after the first; only a slice's worth are parsed anyway. */
const CHUNK = 256;

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
  while (pending.length > 0) {
    job.progress('parsing', done, total);
    await breathe();
    if (job.cancelled()) return { ...out, indexed: done - out.failed.length, cancelled: true };
    const skipped = pending.length;
    pending = pending.filter((f) => !job.isOpen(f.path));
    done += skipped - pending.length;
    const offered = first ? pending : pending.slice(0, CHUNK);
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
