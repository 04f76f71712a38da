/**
 * The bench's synthetic tree: same seed, same tree; the size asked for; and
 * the engine finds exactly the alternative-call facts the generator says it
 * planted, so the bench measures a tree with real work in it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateTree, TreeOptions } from '../../server/out/bench/tree';
import { ensureTree } from '../../server/out/bench/treeCache';
import { indexPaths } from '../../server/out/engine/engine';
import { indexToJson } from '../../server/out/engine/report/indexJson';
import { fixturesDir } from '../helpers/paths';

const small: TreeOptions = { files: 160, bytes: 1_600_000, seed: 7 };

test('the same options give the same tree, another seed another one', () => {
  const a = generateTree(small);
  const b = generateTree(small);
  assert.deepEqual([...a.files], [...b.files]);
  const c = generateTree({ ...small, seed: 8 });
  assert.notDeepEqual([...a.files.keys()], [...c.files.keys()]);
});

test('file count and total size are those asked for', () => {
  const { files } = generateTree(small);
  assert.equal(files.size, small.files);
  let bytes = 0;
  for (const text of files.values()) bytes += Buffer.byteLength(text);
  assert.ok(Math.abs(bytes - small.bytes) < small.bytes * 0.1, `${bytes} bytes`);
  // The attribute and generic alternative-call headers are the example tree's own, not copies.
  for (const rel of ['xen/include/xen/init.h', 'xen/include/xen/alternative-call.h']) {
    assert.equal(files.get(rel), fs.readFileSync(path.join(fixturesDir, 'xen', rel), 'utf8'), rel);
  }
  assert.ok([...files.keys()].every((f) => /^xen\/.+\.[ch]$/.test(f)));
});

test('ensureTree writes once and rewrites when the options change', (t) => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tree-')), 'tree');
  t.after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));
  const opts = { ...small, files: 40, bytes: 200_000 };
  assert.equal(ensureTree(dir, opts).generated, true);
  fs.writeFileSync(path.join(dir, 'xen', 'marker.c'), '');
  assert.equal(ensureTree(dir, opts).generated, false);
  assert.ok(fs.existsSync(path.join(dir, 'xen', 'marker.c')), 'an up-to-date tree is left alone');
  assert.equal(ensureTree(dir, { ...opts, seed: 9 }).generated, true);
  assert.ok(!fs.existsSync(path.join(dir, 'xen', 'marker.c')), 'a stale tree is replaced whole');
});

test('the engine finds every planted site, ops object and impl table, and nothing else', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-facts-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tree = generateTree(small);
  for (const [rel, text] of tree.files) {
    fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const run = await indexPaths([dir], { backend: 'native' });
  const json = indexToJson(run.index.link(), run.index.profile.name, run.problems);
  const rel = (file: string) => path.relative(dir, file).split(path.sep).join('/');
  const m = tree.manifest;

  assert.ok(new Set(m.sites.map((s) => s.ops)).size >= 6, 'every kind of subsystem is planted');
  assert.deepEqual(
    json.sites.map((s) => `${rel(s.file)} ${s.ops}.${s.member}`).sort(),
    m.sites.map((s) => `${s.file} ${s.ops}.${s.member}`).sort(),
  );
  assert.ok(json.sites.some((s) => s.wrappers.length >= 3), 'some sites sit behind chains of wrappers');
  assert.deepEqual(json.opsObjects.map((o) => `${o.name} ${rel(o.file)}`).sort(), m.opsObjects.map((o) => `${o.name} ${o.file}`).sort());
  assert.deepEqual(json.implTables.map((i) => `${i.name} -> ${i.ops}`).sort(), m.implTables.map((i) => `${i.name} -> ${i.ops}`).sort());
});
