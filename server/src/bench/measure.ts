/** The two measurements: raw tree-sitter parsing in this process, and the whole CLI as a child process. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { walkSources } from '../engine/files/walk';
import { isProblem, readSource } from '../engine/files/read';
import type { BackendName, CParser } from '../engine/parse/backend';

export interface Sources { root: string; texts: string[]; bytes: number; }

/** Every C file of the tree as the CLI finds and reads it, so that both measurements cover the same input. */
export function loadSources(root: string): Sources {
  const texts: string[] = [];
  let bytes = 0;
  for (const file of walkSources([root]).files) {
    const r = readSource(file);
    if (isProblem(r)) continue;
    texts.push(r.text);
    bytes += r.bytes;
  }
  return { root, texts, bytes };
}

/** Milliseconds to parse every text and free its tree: the floor no analysis can go below. */
export function rawParseMs(parser: CParser, texts: readonly string[]): number {
  const start = process.hrtime.bigint();
  for (const text of texts) parser.free(parser.parse(text));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export interface IndexRun { ms: number; peakRssBytes: number; }

const CLI = path.join(__dirname, '..', 'cli', 'main.js');
const PROBE = path.join(__dirname, 'rssProbe.js');

/** `altcall-lint index <root> --format json --parser <backend>` in a fresh Node, start-up included, output discarded. */
export function runIndex(root: string, backend: BackendName): Promise<IndexRun> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', PROBE, CLI, 'index', root, '--format', 'json', '--parser', backend], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let rss = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (s: string) => (rss += s));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`altcall-lint index exited with ${code}:\n${stderr}`));
      else resolve({ ms, peakRssBytes: Number.parseInt(rss, 10) * 1024 });
    });
  });
}
