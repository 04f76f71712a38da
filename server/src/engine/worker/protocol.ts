/** Messages between the engine and its extraction workers: plain data only. */
import type { FileFacts } from '../facts/types';
import type { Names } from '../config/profiles';
import type { BackendChoice } from '../parse/backend';

export interface WorkerSetup {
  backend: BackendChoice;
  attributes: { plain: string[]; withArgs: string[]; loops: string[] };
  config: Array<[string, string | undefined]>;
  names: Names;
  parseDeadlineMs?: number;
}

export interface WorkerJob { path: string; text: string; }

export type WorkerReply =
  | { kind: 'ready'; backend: string }
  | { kind: 'facts'; path: string; facts: FileFacts }
  | { kind: 'failed'; path: string; message: string }
  | { kind: 'done' };
