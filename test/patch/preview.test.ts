import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CandidatePreview, previewAll, PreviewModel, previewSite, PreviewVariant, renderPreviewText, SitePreview,
} from '../../server/out/patch';

// Expected addresses follow the documented layout: .text from T, functions
// 64-byte aligned in model order (endbr64 first under IBT, then the sites),
// ops objects 64-byte aligned in .data from D.
const T = 0xffff82d040200000n;
const D = 0xffff82d041000000n;

const MODEL: PreviewModel = {
  functions: [
    {
      name: 'dinner', sites: [
        { id: 'feed', ops: 'pet_ops', member: 'feed', file: 'pets.c', line: 42, text: 'alternative_call(pet_ops.feed, 300)' },
        { id: 'walk', ops: 'pet_ops', member: 'walk', file: 'pets.c', line: 43, text: 'alternative_vcall(pet_ops.walk)' },
      ],
    },
    {
      name: 'timer_tick', sites: [
        { id: 'tick', ops: 'tick_source', member: '' },
        { id: 'mystery', ops: 'mystery', member: 'b' },
        { id: 'nowhere', ops: undefined, member: 'x' },
      ],
    },
    { name: 'dog_feed' }, { name: 'cat_feed' }, { name: 'dog_walk', endbr64: false },
  ],
  opsObjects: [
    { name: 'pet_ops', members: ['feed', 'walk'], memberOffsets: { feed: 0, walk: 8 } },
    { name: 'tick_source', members: [''], memberOffsets: { '': 0 } },
    { name: 'mystery', members: ['a', 'b'], layoutProblem: 'unknown type `foo_t`' },
  ],
  implTables: [
    { name: 'dog_ops', ops: 'pet_ops', annotation: '__initconst_cf_clobber', members: { feed: 'dog_feed', walk: 'dog_walk' } },
    { name: 'cat_ops', ops: 'pet_ops', annotation: '__initconstrel', members: { feed: 'cat_feed', walk: null } },
  ],
  directAssignments: [
    { ops: 'tick_source', member: '', function: 'hpet_tick' },
    { ops: 'tick_source', member: '', function: null },
  ],
};
// Addresses: dinner T, timer_tick T+0x40, dog_feed T+0x80, cat_feed T+0xc0,
// dog_walk T+0x100, hpet_tick T+0x140 (appended: only named by an assignment).
// pet_ops D, tick_source D+0x40, mystery D+0x80.

const V421: PreviewVariant = { scheme: 'alt_call_sites', ibt: true, label: 'xen-4.21' };
const V416: PreviewVariant = { scheme: 'alternative', ibt: false, ibtSupported: false, label: 'xen-4.16' };

const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const bytes = (c: { after: { bytes: Uint8Array } } | { bytes: Uint8Array }) =>
  Array.from('after' in c ? c.after.bytes : c.bytes);

function site(id: string, variants: PreviewVariant[] = [V421, V416]): SitePreview {
  const p = previewSite(MODEL, id, { variants });
  assert.ok(p, `site ${id}`);
  return p;
}

function byLabel(cs: readonly CandidatePreview[], label: string): CandidatePreview {
  const c = cs.find((x) => x.label === label);
  assert.ok(c, `candidate ${label}`);
  return c;
}

test('site through a struct member: one row per impl table, per scheme and IBT', () => {
  const [ibt, noIbt] = site('feed').variants;
  // IBT on: site after dinner's endbr64 at T+4; disp = D - (T+4+6) = 0xe00000 - 0xa = 0xdffff6
  assert.equal(ibt!.siteAddress, T + 4n);
  assert.deepEqual(bytes(ibt!.before), [0xff, 0x15, ...le32(0xdffff6)]);
  assert.equal(ibt!.slotSymbol, 'pet_ops');
  // dog_ops: rel32 = (dog_feed+4) - (site+6) = 0x84 - 0xa = 0x7a
  const dog = byLabel(ibt!.candidates, 'dog_ops');
  assert.deepEqual(bytes(dog), [0x2e, 0xe8, ...le32(0x7a)]);
  assert.equal(dog.targetSymbol, 'dog_feed+0x4');
  assert.equal(dog.function, 'dog_feed');
  assert.equal(dog.table, 'dog_ops');
  // cat_ops: rel32 = (cat_feed+4) - (site+6) = 0xc4 - 0xa = 0xba
  assert.deepEqual(bytes(byLabel(ibt!.candidates, 'cat_ops')), [0x2e, 0xe8, ...le32(0xba)]);
  assert.equal(ibt!.candidates.length, 2, 'no unset row: both tables set feed');
  // only dog_ops is a cf_clobber table; dog_walk has no endbr64 to poison
  assert.deepEqual(ibt!.sealed.map((s) => [s.function, s.address, s.tables]), [['dog_feed', T + 0x80n, ['dog_ops']]]);

  // 4.16, no IBT: site at T; disp = D - (T+6) = 0xdffffa; rel32 = dog_feed - (site+5) = 0x80 - 5 = 0x7b
  assert.equal(noIbt!.siteAddress, T);
  assert.deepEqual(bytes(noIbt!.before), [0xff, 0x15, ...le32(0xdffffa)]);
  assert.deepEqual(bytes(byLabel(noIbt!.candidates, 'dog_ops')), [0xe8, ...le32(0x7b), 0x90]);
  assert.equal(noIbt!.sealingRan, false);
});

test('a table leaving the member NULL gives an unset row', () => {
  const [ibt, noIbt] = site('walk').variants;
  // site at T+0xa, slot D+8: disp = (D+8) - (T+0x10) = 0xdffff8
  assert.deepEqual(bytes(ibt!.before), [0xff, 0x15, ...le32(0xdffff8)]);
  assert.equal(ibt!.slotSymbol, 'pet_ops+0x8');
  // dog_walk lacks endbr64: rel32 = 0x100 - 0x10 = 0xf0, and a warning
  const dog = byLabel(ibt!.candidates, 'dog_ops');
  assert.deepEqual(bytes(dog), [0x2e, 0xe8, ...le32(0xf0)]);
  assert.equal(dog.warnings.length, 1);
  const unset = byLabel(ibt!.candidates, 'unset');
  assert.deepEqual(unset.tables, ['cat_ops']);
  assert.deepEqual(bytes(unset), [0x0f, 0x0b, 0x0f, 0x0b, 0x0f, 0x0b]);
  assert.equal(unset.function, null);
  assert.deepEqual(bytes(byLabel(noIbt!.candidates, 'unset')), [0x0f, 0x0b, 0x0f, 0xff, 0xff, 0x90]);
});

test('plain function-pointer variable with direct assignments', () => {
  const [ibt] = site('tick', [V421]).variants;
  // timer_tick at T+0x40, site at T+0x44; tick_source at D+0x40: disp = (D+0x40) - (T+0x4a) = 0xdffff6
  assert.equal(ibt!.siteAddress, T + 0x44n);
  assert.deepEqual(bytes(ibt!.before), [0xff, 0x15, ...le32(0xdffff6)]);
  // hpet_tick at T+0x140: rel32 = 0x144 - 0x4a = 0xfa
  const hpet = byLabel(ibt!.candidates, 'hpet_tick');
  assert.equal(hpet.kind, 'direct');
  assert.equal(hpet.table, null);
  assert.deepEqual(bytes(hpet), [0x2e, 0xe8, ...le32(0xfa)]);
  assert.deepEqual(bytes(byLabel(ibt!.candidates, 'unset')), [0x0f, 0x0b, 0x0f, 0x0b, 0x0f, 0x0b]);
});

test('unknown struct layout falls back to index x 8, with a note', () => {
  const [ibt] = site('mystery', [V421]).variants;
  // mystery at D+0x80, b is member 1 -> +8; site at T+0x4a: disp = (D+0x88) - (T+0x50) = 0xe00038
  assert.equal(ibt!.slotAddress, D + 0x88n);
  assert.deepEqual(bytes(ibt!.before), [0xff, 0x15, ...le32(0xe00038)]);
  assert.match(ibt!.notes.join('\n'), /mystery: struct layout unknown \(unknown type `foo_t`\).*b at 8/);
});

test('a site with no ops object is reported, and unknown ids give undefined', () => {
  const p = site('nowhere');
  assert.deepEqual(p.variants, []);
  assert.match(p.errors[0]!, /no ops object/);
  assert.equal(previewSite(MODEL, 'no-such-site', { variants: [V421] }), undefined);
});

test('a table copied in by a presmp initcall is patched by the forced pass', () => {
  const model: PreviewModel = { ...MODEL, implTables: MODEL.implTables.map((t) => ({ ...t, presmp: true })) };
  const p = previewSite(model, 'feed', { variants: [V416] })!;
  const dog = byLabel(p.variants[0]!.candidates, 'dog_ops');
  assert.equal(dog.pass, 'forced');
  assert.deepEqual(bytes(dog), [0xe8, ...le32(0x7b), 0x90]);
});

test('text form: one block per site and variant, as PATCHING.md section 6', () => {
  const text = renderPreviewText([site('feed', [V421])]);
  const lines = text.split('\n').filter((l) => !/^\s+note:/.test(l));
  assert.deepEqual(lines, [
    'site  pets.c:42  alternative_call(pet_ops.feed, 300)   scheme alt_call_sites, IBT on (xen-4.21)',
    'before   ffff82d040200004: ff 15 f6 ff df 00      call   *0xdffff6(%rip)        # ffff82d041000000 <pet_ops>',
    'dog_ops  ffff82d040200004: 2e e8 7a 00 00 00      cs call ffff82d040200084 <dog_feed+0x4>',
    'cat_ops  ffff82d040200004: 2e e8 ba 00 00 00      cs call ffff82d0402000c4 <cat_feed+0x4>',
    'sealed   endbr64 poisoned at dog_feed (tables in __initconst_cf_clobber)',
    '',
  ]);
});

test('Intel syntax on request, and previewAll covers every site', () => {
  const p = previewSite(MODEL, 'feed', { variants: [V421], syntax: 'intel' })!;
  assert.equal(p.variants[0]!.before.asm[0], 'call   QWORD PTR [rip+0xdffff6]        # ffff82d041000000 <pet_ops>');
  assert.deepEqual(previewAll(MODEL, { variants: [V421] }).map((s) => s.site.id), ['feed', 'walk', 'tick', 'mystery', 'nowhere']);
});
