/**
 * The preview of a small tree through the engine, every byte checked
 * against the documented image layout (PATCHING.md section 5) by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { profile } from '../../server/out/engine/config/profiles';
import { indexPaths } from '../../server/out/engine/engine';
import { indexedModel, previewAllSites, previewAt, previewToJson, PreviewSiteJson } from '../../server/out/preview';

const LINES = [
  'struct pet_ops {',
  '    unsigned int legs;',
  '    int (*feed)(int grams);',
  '    void (*walk)(void);',
  '};',
  'struct pet_ops __alt_call_maybe_initdata pet_ops;',
  'static int cf_check dog_feed(int g) { return g; }',
  'static void cf_check dog_walk(void) { }',
  'static int cf_check cat_feed(int g) { return g; }',
  'static const struct pet_ops __initconst_cf_clobber dog_ops = { .feed = dog_feed, .walk = dog_walk };',
  'static const struct pet_ops __initconstrel cat_ops = { .feed = cat_feed };',
  'void __init pet_init(bool cat)',
  '{',
  '    pet_ops = cat ? cat_ops : dog_ops;',
  '}',
  'int dinner(void) { return alternative_call(pet_ops.feed, 300); }', // line 16
  'void stroll(void) { alternative_vcall(pet_ops.walk); }', // line 17
  'int both(void) { return alternative_call(pet_ops.feed, 1) + alternative_call(pet_ops.feed, 2); }', // line 18
  'void late_walk(void) { pet_ops.walk = dog_walk; }', // line 19
];

const T = 0xffff82d040200000n; // .text
const D = 0xffff82d041000000n; // .data

async function tree() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'altcall-preview-'));
  const file = path.join(dir, 'pets.c');
  fs.writeFileSync(file, LINES.join('\n') + '\n');
  const run = await indexPaths([dir]);
  return { file, run, result: run.index.link() };
}

const le32 = (v: bigint) => {
  const n = Number(BigInt.asUintN(32, v));
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].map((b) => b.toString(16).padStart(2, '0')).join(' ');
};
const hex = (v: bigint) => `0x${v.toString(16)}`;
const byTable = (s: PreviewSiteJson, table: string | null, kind = 'table') =>
  s.candidates.find((c) => c.table === table && c.kind === kind)!;

test('model: functions in order of first appearance, tables with sections, late stores left out', async () => {
  const { result } = await tree();
  const m = indexedModel(result);
  // Site holders in site order, then the candidate targets (feed: cat_ops, dog_ops; walk: dog_ops).
  assert.deepEqual(m.model.functions.map((f) => f.name), ['dinner', 'stroll', 'both', 'cat_feed', 'dog_feed', 'dog_walk']);
  assert.deepEqual(m.model.functions.map((f) => f.endbr64), [false, false, false, true, true, true]);
  assert.deepEqual(m.model.opsObjects.map((o) => [o.name, o.memberOffsets]), [['pet_ops', { feed: 8, walk: 16 }]]);
  assert.deepEqual(m.model.implTables.map((t) => [t.name, t.annotation, Object.values(t.members).map((f) => f?.split('@')[0] ?? null)]),
    [['cat_ops', '__initconstrel', ['cat_feed', null]], ['dog_ops', '__initconst_cf_clobber', ['dog_feed', 'dog_walk']]]);
  assert.deepEqual(m.model.directAssignments, []);
  assert.match([...m.pointerNotes.values()].flat().join('\n'), /dog_walk is stored into pet_ops\.walk at .*pets\.c:19 after patching/);
});

test('xen-4.21, IBT on: the bytes of each candidate, by hand', async () => {
  const { file, result } = await tree();
  const report = previewAt(result, file, { line: 16 }, { profile: profile('xen-4.21') });
  const [s] = previewToJson(report).sites;
  assert.equal(previewToJson(report).sites.length, 1);
  // dinner is at T (no cf_check: no endbr64), its site first; pet_ops.feed at D + 8.
  assert.equal(s!.siteAddress, hex(T));
  assert.equal(s!.slotAddress, hex(D + 8n));
  assert.equal(s!.slot, 'pet_ops+0x8');
  // disp32 = slot - (site + 6) = 0xe00008 - 6
  assert.equal(s!.before!.bytes, `ff 15 ${le32(0xe00002n)}`);
  // Functions every 0x40: cat_feed T+0xc0, dog_feed T+0x100; calls go past endbr64 (+4).
  const cat = byTable(s!, 'cat_ops');
  assert.equal(cat.targetAddress, hex(T + 0xc4n));
  assert.equal(cat.after.bytes, `2e e8 ${le32(0xc4n - 6n)}`);
  assert.deepEqual(cat.after.asm, ['cs call ffff82d0402000c4 <cat_feed+0x4>']);
  const dog = byTable(s!, 'dog_ops');
  assert.equal(dog.after.bytes, `2e e8 ${le32(0x104n - 6n)}`);
  assert.equal(s!.candidates.length, 2);
  // Only dog_ops is a cf_clobber table: dog_feed here, dog_walk elsewhere.
  assert.deepEqual(s!.sealed, ['dog_feed']);
  assert.equal(s!.sealedElsewhere, 1);
});

test('a member one table leaves NULL, and a late store noted', async () => {
  const { file, result } = await tree();
  const [s] = previewToJson(previewAt(result, file, { line: 17 }, { profile: profile('xen-4.21') })).sites;
  // stroll at T+0x40; pet_ops.walk at D+0x10: disp = 0xe00010 - 0x46
  assert.equal(s!.before!.bytes, `ff 15 ${le32(0xe00010n - 0x46n)}`);
  // dog_walk at T+0x140, past endbr64: rel32 = 0x144 - 0x46
  assert.equal(byTable(s!, 'dog_ops').after.bytes, `2e e8 ${le32(0x144n - 0x46n)}`);
  const unset = byTable(s!, null, 'unset');
  assert.deepEqual(unset.unsetBy, ['cat_ops']);
  assert.equal(unset.after.bytes, '0f 0b 0f 0b 0f 0b');
  assert.equal(unset.target, null);
  assert.ok(s!.notes.some((n) => /after patching/.test(n)));
});

test('xen-4.16: the alternative scheme, no IBT', async () => {
  const { file, result } = await tree();
  const [s] = previewToJson(previewAt(result, file, { line: 16 }, { profile: profile('xen-4.16') })).sites;
  assert.equal(s!.scheme, 'alternative');
  assert.equal(s!.ibt, false);
  // No endbr64 anywhere; cat_feed at T+0xc0: rel32 = 0xc0 - (0 + 5), then one nop
  const cat = byTable(s!, 'cat_ops');
  assert.equal(cat.after.bytes, `e8 ${le32(0xc0n - 5n)} 90`);
  assert.deepEqual(cat.after.asm, ['call   ffff82d0402000c0 <cat_feed>', 'nop']);
  assert.equal(cat.pass, 'first');
  assert.deepEqual(s!.sealed, []);
});

test('positions: a whole line gives every site on it, a column picks one, elsewhere none', async () => {
  const { file, result } = await tree();
  const req = { profile: profile('xen-4.21') };
  const at = (line: number, column?: number) =>
    previewToJson(previewAt(result, file, { line, column }, req)).sites.map((s) => [s.line, s.column, s.siteAddress]);
  // both() at T+0x80 holds two sites, 6 bytes apart.
  const first = LINES[17]!.indexOf('alternative_call') + 1;
  const second = LINES[17]!.lastIndexOf('alternative_call') + 1;
  assert.deepEqual(at(18), [[18, first, hex(T + 0x80n)], [18, second, hex(T + 0x86n)]]);
  assert.deepEqual(at(18, second + 3), [[18, second, hex(T + 0x86n)]]);
  assert.deepEqual(at(18, 1), []);
  assert.deepEqual(at(15), []);
  // The same addresses whether a site is previewed alone or with all others.
  const all = previewToJson(previewAllSites(result, req)).sites;
  assert.deepEqual(all.filter((s) => s.line === 18).map((s) => s.siteAddress), [hex(T + 0x80n), hex(T + 0x86n)]);
});

test('IBT off and on side by side, and Intel syntax', async () => {
  const { file, result } = await tree();
  const sites = previewToJson(previewAt(result, file, { line: 16 }, { profile: profile('xen-4.18'), ibt: [true, false], syntax: 'intel' })).sites;
  assert.deepEqual(sites.map((s) => [s.scheme, s.ibt]), [['alternative', true], ['alternative', false]]);
  // IBT on: past cat_feed's endbr64, rel32 = 0xc4 - 5; off: 0xc0 - 5
  assert.equal(byTable(sites[0]!, 'cat_ops').after.bytes, `e8 ${le32(0xc4n - 5n)} 90`);
  assert.equal(byTable(sites[1]!, 'cat_ops').after.bytes, `e8 ${le32(0xc0n - 5n)} 90`);
  assert.equal(sites[0]!.before!.asm[0], 'call   QWORD PTR [rip+0xe00002]        # ffff82d041000008 <pet_ops+0x8>');
});
