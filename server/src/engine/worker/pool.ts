/**
 * Runs fact extraction on worker threads: each worker takes batches of
 * files until none are left. Native trees live and die in
 * the workers, so the caller's heap holds nothing but the facts.
 */
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import type { FileFacts } from '../facts/types';
import type { WorkerJob, WorkerReply, WorkerSetup } from './protocol';

export interface PoolResult { facts: Map<string, FileFacts>; failures: Array<{ path: string; message: string }>; }

const BATCH_BYTES = 256 * 1024;

export interface PoolOptions {
  /** Takes each file's facts as they arrive (the result's map then stays empty). */
  onFacts?(path: string, facts: FileFacts): void;
  /** Asked before each batch is handed out: true leaves the remaining files out. */
  stopped?(): boolean;
}

export async function extractInWorkers(jobs: WorkerJob[], setup: WorkerSetup, workers: number, opts: PoolOptions = {}): Promise<PoolResult> {
  // pop() hands out the smallest files first: measured faster than largest first (bench tree: 3.8-4.0 s against 4.2-4.8 s).
  const queue = [...jobs].sort((a, b) => b.text.length - a.text.length);
  const nextBatch = (): WorkerJob[] | null => {
    if (queue.length === 0 || opts.stopped?.()) return null;
    const batch: WorkerJob[] = [];
    let bytes = 0;
    while (queue.length && (batch.length === 0 || bytes < BATCH_BYTES)) {
      const job = queue.pop()!;
      batch.push(job);
      bytes += job.text.length;
    }
    return batch;
  };
  const result: PoolResult = { facts: new Map(), failures: [] };
  const script = path.join(__dirname, 'extractWorker.js');
  await Promise.all(
    Array.from({ length: workers }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(script, { workerData: setup });
        worker.on('message', (m: WorkerReply) => {
          if (m.kind === 'ready') worker.postMessage(nextBatch());
          else if (m.kind === 'facts') {
            const facts = JSON.parse(m.json) as FileFacts;
            if (opts.onFacts) opts.onFacts(m.path, facts);
            else result.facts.set(m.path, facts);
          }
          else if (m.kind === 'failed') result.failures.push({ path: m.path, message: m.message });
          else if (m.kind === 'done') worker.postMessage(nextBatch());
        });
        worker.on('error', reject);
        worker.on('exit', () => resolve());
      }),
    ),
  );
  return result;
}
