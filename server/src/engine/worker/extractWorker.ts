/**
 * A worker thread that parses files and extracts their facts, so that the
 * engine uses every core: parsing and walking trees is most of its time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createParser } from '../parse/backend';
import { extractFacts } from '../facts/extract';
import { configFromEntries } from '../preproc/conditions';
import { attributesFromWire, type WorkerJob, type WorkerReply, type WorkerSetup } from './protocol';

async function main(): Promise<void> {
  const setup = workerData as WorkerSetup;
  const parser = await createParser(setup.backend);
  const options = {
    attributes: attributesFromWire(setup.attributes),
    config: configFromEntries(setup.config),
    names: setup.names,
    parseDeadlineMs: setup.parseDeadlineMs,
  };
  const port = parentPort!;
  const send = (m: WorkerReply) => port.postMessage(m);
  port.on('message', (jobs: WorkerJob[] | null) => {
    if (jobs === null) {
      port.close();
      return;
    }
    for (const job of jobs) {
      try {
        send({ kind: 'facts', path: job.path, json: JSON.stringify(extractFacts(job.path, job.text, parser, options)) });
      } catch (err) {
        send({ kind: 'failed', path: job.path, message: (err as Error).message });
      }
    }
    send({ kind: 'done' });
  });
  send({ kind: 'ready', backend: parser.backend });
}

void main();
