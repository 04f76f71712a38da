/**
 * The measurements, each in a child process of a bench process that
 * stays small. That matters for peak RSS: Linux carries a process's
 * high-water RSS over fork and exec, so a child of a big parent would report
 * at least the parent's size.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { walkSources } from '../engine/files/walk';
import { isProblem, readSource } from '../engine/files/read';
import { isOtherArchPath } from '../engine/index/includes';
import type { BackendName, CParser } from '../engine/parse/backend';
import type { LspRun } from './lspRun';

export interface Sources { texts: string[]; bytes: number; }

/**
 * Every C file of the tree that the CLI parses (other architectures'
 * folders are left out, as the engine does), so that both measurements
 * cover the same input.
 */
export function loadSources(root: string): Sources {
  const texts: string[] = [];
  let bytes = 0;
  for (const file of walkSources([root]).files) {
    if (isOtherArchPath(file, 'x86')) continue;
    const r = readSource(file);
    if (isProblem(r)) continue;
    texts.push(r.text);
    bytes += r.bytes;
  }
  return { texts, bytes };
}

/** Milliseconds to parse every text and free its tree: the floor no analysis can go below. */
export function rawParseMs(parser: CParser, texts: readonly string[]): number {
  const start = process.hrtime.bigint();
  for (const text of texts) parser.free(parser.parse(text));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export interface RawParse { files: number; bytes: number; ms: number; }

/** rawParse.js in a fresh Node: reads the files, then times only the parsing. */
export async function runRawParse(root: string, backend: BackendName): Promise<RawParse> {
  const { stdout } = await runNode('raw parse', [path.join(__dirname, 'rawParse.js'), root, backend], true);
  return JSON.parse(stdout) as RawParse;
}

/** generate.js in a fresh Node: the synthetic tree in `dir`, written only if missing or stale. */
export async function runGenerate(dir: string): Promise<{ generated: boolean }> {
  const { stdout } = await runNode('tree generation', [path.join(__dirname, 'generate.js'), dir], true);
  return JSON.parse(stdout) as { generated: boolean };
}

export interface IndexRun { ms: number; peakRssBytes: number; }

const CLI = path.join(__dirname, '..', 'cli', 'main.js');
const PROBE = path.join(__dirname, 'rssProbe.js');

/** `altcall-lint index <root> --format json --parser <backend>`, timed from spawn to exit, output discarded. */
export async function runIndex(root: string, backend: BackendName): Promise<IndexRun> {
  const { ms, fd3 } = await runNode('altcall-lint index', ['--require', PROBE, CLI, 'index', root, '--format', 'json', '--parser', backend], false);
  return { ms, peakRssBytes: Number.parseInt(fd3, 10) * 1024 };
}

/** The full lint (`altcall-lint <root> --format json`: index and rules); exit 1 only means findings. */
export async function runLint(root: string, backend: BackendName): Promise<IndexRun> {
  const { ms, fd3 } = await runNode('altcall-lint', ['--require', PROBE, CLI, root, '--format', 'json', '--parser', backend], false, [0, 1]);
  return { ms, peakRssBytes: Number.parseInt(fd3, 10) * 1024 };
}

export interface PreviewTiming { sites: number; ms: number; }

/** previewTime.js in a fresh Node: indexes the tree, then times the preview of every site. */
export async function runPreviewTiming(root: string): Promise<PreviewTiming> {
  const { stdout } = await runNode('preview timing', [path.join(__dirname, 'previewTime.js'), root], true);
  return JSON.parse(stdout) as PreviewTiming;
}

/** lspRun.js in a fresh Node: the language server driven over stdio with the tree as its workspace. */
export async function runLsp(root: string, backend: BackendName): Promise<LspRun> {
  const { stdout } = await runNode('language server bench', [path.join(__dirname, 'lspRun.js'), root, backend], true);
  return JSON.parse(stdout) as LspRun;
}

interface ChildRun { ms: number; stdout: string; fd3: string; }

function runNode(label: string, args: string[], keepStdout: boolean, okCodes: number[] = [0]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let fd3 = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (s: string) => (fd3 += s));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== null && okCodes.includes(code)) resolve({ ms, stdout, fd3 });
      else reject(new Error(`${label} exited with ${code}: ${stderr.trim()}`));
    });
  });
}
