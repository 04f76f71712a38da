/**
 * Background indexing of a folder: read, then parse, so that requests and
 * notifications are served meanwhile. A big folder is parsed on worker
 * threads (one per core), a small one here in time slices: the session
 * learns attribute-like macros from every file in its first `addAll`, so the
 * first slice is given all files and later ones only what remains. A file
 * whose analysis throws is logged and skipped.
 */
import type { AnalysisSession } from '../engine/session';
import { isProblem, readSource, type FileProblem } from '../engine/files/read';
import type { Logger } from './logger';
import { defaultWorkers } from '../engine/engine';

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

  const total = texts.length;
  const workers = defaultWorkers(total);
  if (workers >= 2) return { ...(await inWorkers(session, job, texts, workers, log)), problems: out.problems };
  let pending = texts;
  let first = true;
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

/** A folder big enough for worker threads: they parse while this thread keeps serving requests. */
async function inWorkers(session: AnalysisSession, job: IndexJob, texts: Array<{ path: string; text: string }>, workers: number, log: Logger): Promise<Omit<IndexOutcome, 'problems'>> {
  const total = texts.length;
  // Open documents are the editor's: counted as done, not read from disk.
  const files = texts.filter((f) => !job.isOpen(f.path));
  const open = total - files.length;
  let reported = 0;
  job.progress('parsing', open, total);
  const failures = await session.addAllInWorkers(files, workers, (done) => {
    if (performance.now() - reported > SLICE_MS) {
      reported = performance.now();
      job.progress('parsing', open + done, total);
    }
    return !job.cancelled();
  });
  for (const f of failures) log.error(`${f.path}: analysis failed, file skipped: ${f.message}`);
  const indexed = files.filter((f) => session.has(f.path)).length + open;
  const cancelled = job.cancelled();
  if (!cancelled) job.progress('parsing', total, total);
  log.debug(() => `indexed ${indexed} files on ${workers} threads (${failures.length} failed)`);
  return { indexed, failed: failures.map((f) => f.path), cancelled };
}

/** Lets queued messages run. */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
