/**
 * The bundles as the VSIX ships them, built into a folder outside the
 * repository (so nothing resolves through its node_modules): the server
 * finds both WebAssembly files and the native addon next to itself, falls
 * back to WebAssembly when the addon is gone, and its extraction worker
 * starts from the path the engine uses.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { TestClient } from '../lsp/client';
import { fixturesDir, repoRoot } from '../helpers/paths';
import { readMarkers } from '../helpers/markers';
import { createParser } from '../../server/out/engine/parse/backend';
import { profile } from '../../server/out/engine/config/profiles';
import type { WorkerReply, WorkerSetup } from '../../server/out/engine/worker/protocol';

let out: string;

before(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'altcall-bundle-'));
  execFileSync(process.execPath, [path.join(repoRoot, 'esbuild.js'), '--production', '--out', out], { stdio: 'pipe' });
});

after(() => fs.rmSync(out, { recursive: true, force: true }));

interface Indexed { logs: string[]; findings: number; }

/** Starts a bundled server on the example tree and returns its log and finding count once indexing has ended. */
async function indexExample(server: string): Promise<Indexed> {
  const client = await TestClient.start({ root: path.join(fixturesDir, 'xen'), server });
  try {
    await client.indexed();
    return { logs: client.logs.map((l) => l.message), findings: [...client.diagnostics.values()].reduce((n, d) => n + d.length, 0) };
  } finally {
    await client.stop();
  }
}

const expectedFindings = () => readMarkers(path.join(fixturesDir, 'xen')).filter((m) => m.kind === 'finding').length;

test('the bundled server indexes the example tree with the parser this machine loads', async () => {
  const backend = (await createParser('auto')).backend;
  const { logs, findings } = await indexExample(path.join(out, 'server', 'dist', 'server.js'));
  assert.ok(logs.some((l) => (backend === 'native' ? l === 'parser: native tree-sitter' : l.includes('using web-tree-sitter (wasm)'))), logs.join('\n'));
  assert.equal(findings, expectedFindings());
});

test('without the native addons, the bundled server falls back to WebAssembly with the same findings', async () => {
  const copy = path.join(out, 'no-native');
  fs.cpSync(path.join(out, 'server', 'dist'), copy, { recursive: true });
  const addons = fs.readdirSync(copy, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.node'));
  assert.ok(addons.length >= 2, `the bundle ships the native addons: ${addons.join(', ')}`);
  for (const f of addons) fs.rmSync(path.join(copy, f));
  const { logs, findings } = await indexExample(path.join(copy, 'server.js'));
  assert.ok(logs.some((l) => l.includes('using web-tree-sitter (wasm)')), logs.join('\n'));
  assert.equal(findings, expectedFindings());
});

test('the extraction worker bundle starts from the path the engine gives it and extracts facts', async () => {
  const setup: WorkerSetup = { backend: 'wasm', attributes: { plain: [], withArgs: [], loops: [] }, config: [], names: profile().names };
  const worker = new Worker(path.join(out, 'server', 'dist', 'extractWorker.js'), { workerData: setup });
  const replies: WorkerReply[] = [];
  await new Promise<void>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', () => resolve());
    worker.on('message', (m: WorkerReply) => {
      replies.push(m);
      if (m.kind === 'ready') worker.postMessage([{ path: 'ops.c', text: 'struct ops { void (*f)(void); };\nstruct ops my_ops;\n' }]);
      else if (m.kind === 'done') worker.postMessage(null);
    });
  });
  assert.deepEqual(replies.map((r) => r.kind), ['ready', 'facts', 'done']);
  assert.equal((replies[0] as { backend: string }).backend, 'wasm');
});
