/**
 * Runs fact extraction on worker threads: each worker takes batches of
 * files, largest first, until none are left.
 */
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import type { FileFacts } from '../facts/types';
import type { WorkerJob, WorkerReply, WorkerSetup } from './protocol';

export interface PoolResult { facts: Map<string, FileFacts>; failures: Array<{ path: string; message: string }>; }

const BATCH_BYTES = 256 * 1024;

export async function extractInWorkers(jobs: WorkerJob[], setup: WorkerSetup, workers: number): Promise<PoolResult> {
  const queue = [...jobs].sort((a, b) => b.text.length - a.text.length);
  const nextBatch = (): WorkerJob[] | null => {
    if (queue.length === 0) return null;
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
          else if (m.kind === 'facts') result.facts.set(m.path, JSON.parse(m.json) as FileFacts);
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
