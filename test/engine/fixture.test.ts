/**
 * The engine against the expectation markers written in the example tree's
 * C: every site, ops object, impl table, write and runtime use, on both
 * parser backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { indexPaths } from '../../server/out/engine/engine';
import { configFromKconfig } from '../../server/out/engine/preproc/conditions';
import { indexToJson, IndexJson } from '../../server/out/engine/report/indexJson';
import { fixturesDir } from '../helpers/paths';
import { readMarkers, Marker } from '../helpers/markers';
import * as fs from 'node:fs';

const root = path.join(fixturesDir, 'xen');
const markers = readMarkers(root);
const at = (m: { file: string; line: number }) => `${path.relative(root, m.file)}:${m.line}`;
const expected = (kind: string, render: (m: Marker) => string) => markers.filter((m) => m.kind === kind).map((m) => `${at(m)} ${render(m)}`).sort();

async function run(backend: 'native' | 'wasm'): Promise<IndexJson> {
  const config = configFromKconfig(fs.readFileSync(path.join(root, '.config'), 'utf8'));
  const r = await indexPaths([root], { backend, config });
  return indexToJson(r.index.link(), r.index.profile.name, r.problems);
}

for (const backend of ['native', 'wasm'] as const) {
  test(`fixture facts (${backend})`, async (t) => {
    const j = await run(backend);
    const dotted = (name: string | null, member: string) => (name === null ? 'unresolved' : member ? `${name}.${member}` : name);

    await t.test('sites', () => {
      const actual = j.sites.map((s) => `${at(s)} ${dotted(s.ops, s.member)}`).sort();
      assert.deepEqual(actual, expected('site', (m) => m.text.replace(/\s+via\s+.*$/, '')));
    });
    await t.test('wrapper chains', () => {
      const withVia = markers.filter((m) => m.kind === 'site' && / via /.test(m.text));
      assert.ok(withVia.length > 0, 'the fixture names some wrapper chains');
      for (const m of withVia) {
        const chain = m.text.replace(/^.*\svia\s+/, '').split('>').map((s) => s.trim());
        const site = j.sites.find((s) => at(s) === at(m) && dotted(s.ops, s.member) === m.text.replace(/\s+via\s+.*$/, ''));
        assert.ok(site, `site at ${at(m)}`);
        assert.deepEqual(site.wrappers, chain, `wrappers at ${at(m)}`);
      }
    });
    await t.test('ops objects', () => {
      assert.deepEqual(j.opsObjects.map((o) => `${at(o)} ${o.name}`).sort(), expected('ops', (m) => m.text));
    });
    await t.test('impl tables', () => {
      assert.deepEqual(j.implTables.map((x) => `${at(x)} ${x.name} -> ${x.ops}`).sort(), expected('impl', (m) => m.text.replace(/\s*->\s*/, ' -> ')));
    });
    await t.test('writes', () => {
      const actual = j.writes.map((w) => `${at(w)} ${dotted(w.ops, w.member)} ${w.afterPatch ? 'after-patch' : 'before-patch'}`).sort();
      assert.deepEqual(actual, expected('write', (m) => m.text));
    });
    await t.test('runtime uses', () => {
      const actual = j.opsObjects.flatMap((o) => o.runtimeUses.map((u) => `${at(u)} ${o.name} ${u.kind}`)).sort();
      assert.deepEqual(actual, expected('use', (m) => m.text));
    });
    await t.test('files with problems are reported, not dropped', () => {
      const idle = j.files.find((f) => f.file.endsWith('idle.c'));
      assert.ok(idle?.problems?.some((p) => /#endif|conditional/.test(p)), 'the unbalanced #if in idle.c is reported');
    });
  });
}

test('worker threads produce the same facts as in-process extraction', async () => {
  const config = configFromKconfig(fs.readFileSync(path.join(root, '.config'), 'utf8'));
  const json = async (workers: number) => {
    const r = await indexPaths([root], { config, workers });
    return indexToJson(r.index.link(), r.index.profile.name, r.problems);
  };
  const inProcess = await json(1);
  assert.ok(inProcess.sites.length > 0);
  assert.deepEqual(await json(2), inProcess);
});

test('a struct whose body includes a member list gets the list members, in place', async () => {
  const config = configFromKconfig(fs.readFileSync(path.join(root, '.config'), 'utf8'));
  const r = await indexPaths([root], { config });
  const pol = r.index.link().structs.get('pol_ops');
  assert.ok(pol);
  assert.deepEqual(pol.fields.map((f) => `${f.name}${f.isFunctionPointer ? '()' : ''}`), [
    'set_system_active()', 'domain_create()', 'map_page()', 'audit_event()', 'sched_op()', 'kexec()',
  ]);
});
