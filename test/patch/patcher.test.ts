import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bootPatch, BootPatchInput, ImageSection, MemoryImage, PatcherConfig, readBytes,
} from '../../server/out/patch';

// A hand-built image. Every expected byte below is computed in the test from
// these addresses, with the arithmetic in a comment.
const T = 0xffff82d040200000n; // .text
const D = 0xffff82d040600000n; // .data: pointer slots
const C = 0xffff82d040800000n; // .init.rodata.cf_clobber
const I = 0xffff82d040900000n; // .init.text

const F = T; //        caller, site at S
const S = T + 0x10n;
const S2 = T + 0x20n; // a second site, through the slot at D + 8
const G = T + 0x40n; // starts with endbr64
const H = T + 0x80n; // no endbr64 (int3 padding)
const X = I; //        __init function with endbr64
const SLOT = D;

const ENDBR = [0xf3, 0x0f, 0x1e, 0xfa];
const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const le64 = (v: bigint) => Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));

// ff 15 disp32 at S: disp = SLOT - (S + 6) = 0x400000 - 0x16 = 0x3fffea.
const SITE_BYTES = [0xff, 0x15, ...le32(0x3fffea)];
// at S2: disp = (D + 8) - (S2 + 6) = 0x400008 - 0x26 = 0x3fffe2.
const SITE2_BYTES = [0xff, 0x15, ...le32(0x3fffe2)];

interface Setup { slot?: bigint; slot2?: bigint; siteBytes?: number[]; cfClobber?: bigint[] }

function image(setup: Setup = {}): MemoryImage {
  const text = new Uint8Array(0xc0).fill(0xcc);
  text.set(ENDBR, Number(F - T));
  text.set(setup.siteBytes ?? SITE_BYTES, Number(S - T));
  text.set(SITE2_BYTES, Number(S2 - T));
  text.set(ENDBR, Number(G - T));
  const data = Uint8Array.from([...le64(setup.slot ?? 0n), ...le64(setup.slot2 ?? 0n)]);
  const init = new Uint8Array(0x40).fill(0xcc);
  init.set(ENDBR, 0);
  const sections: ImageSection[] = [
    { name: '.text', address: T, bytes: text },
    { name: '.data', address: D, bytes: data },
    { name: '.init.text', address: I, bytes: init },
  ];
  if (setup.cfClobber) {
    sections.push({ name: '.init.rodata.cf_clobber', address: C, bytes: Uint8Array.from(setup.cfClobber.flatMap(le64)) });
  }
  return {
    sections,
    symbols: [
      { name: 'caller', address: F, size: 0x40 }, { name: 'g', address: G, size: 0x40 },
      { name: 'h', address: H, size: 0x40 }, { name: 'ops', address: D, size: 16 }, { name: 'x', address: X, size: 0x40 },
    ],
  };
}

const ALT_CALLS: PatcherConfig = { scheme: 'alt_call_sites', ibt: true };
const ALT_416: PatcherConfig = { scheme: 'alternative', ibt: false, ibtSupported: false };
const ALT_419: PatcherConfig = { scheme: 'alternative', ibt: true, ibtSupported: true };

function run(config: PatcherConfig, setup: Setup, extra: Partial<BootPatchInput> = {}) {
  return bootPatch({ config, image: image(setup), sites: [{ site: S }], ...extra });
}

function bytes(a: Uint8Array): number[] {
  return Array.from(a);
}

test('alt_call_sites, IBT on: cs call past the endbr64', () => {
  const r = run(ALT_CALLS, { slot: G });
  // rel32 = (G + 4) - (S + 6) = 0x44 - 0x16 = 0x2e
  assert.deepEqual(bytes(r.sites[0]!.after), [0x2e, 0xe8, ...le32(0x2e)]);
  assert.equal(r.sites[0]!.status, 'direct');
  assert.equal(r.sites[0]!.target, G + 4n);
  assert.equal(r.sites[0]!.slot, SLOT);
  assert.deepEqual(r.sites[0]!.afterInsns.map((d) => d.insn.op), ['cs-call']);
  assert.deepEqual(r.sites[0]!.warnings, []);
  assert.deepEqual(bytes(readBytes(r.image, S, 6)!), [0x2e, 0xe8, ...le32(0x2e)], 'written into the image');
});

test('alt_call_sites, IBT off: cs call to the function start', () => {
  const r = run({ scheme: 'alt_call_sites', ibt: false }, { slot: G });
  // rel32 = G - (S + 6) = 0x40 - 0x16 = 0x2a
  assert.deepEqual(bytes(r.sites[0]!.after), [0x2e, 0xe8, ...le32(0x2a)]);
  assert.equal(r.sealingRan, false);
});

test('alt_call_sites, IBT on, target without endbr64: called at its start, with a warning', () => {
  const r = run(ALT_CALLS, { slot: H });
  // rel32 = H - (S + 6) = 0x80 - 0x16 = 0x6a
  assert.deepEqual(bytes(r.sites[0]!.after), [0x2e, 0xe8, ...le32(0x6a)]);
  assert.equal(r.sites[0]!.warnings.length, 1);
  assert.match(r.sites[0]!.warnings[0]!, /\bh\b.*endbr64/);
});

test('alt_call_sites, NULL pointer: three ud2', () => {
  const r = run(ALT_CALLS, { slot: 0n });
  assert.deepEqual(bytes(r.sites[0]!.after), [0x0f, 0x0b, 0x0f, 0x0b, 0x0f, 0x0b]);
  assert.equal(r.sites[0]!.status, 'trap');
});

test('alt_call_sites, a site that is not ff 15: error, later sites untouched, no sealing', () => {
  // ff 25 disp32 is `jmp *disp32(%rip)`, which the 4.21 patcher refuses.
  const r = bootPatch({
    config: ALT_CALLS, image: image({ siteBytes: [0xff, 0x25, ...le32(0x3fffea)], slot: G, slot2: G, cfClobber: [G] }),
    sites: [{ site: S }, { site: S2 }],
  });
  assert.equal(r.sites[0]!.status, 'error');
  assert.match(r.sites[0]!.errors[0]!, /ff 15/);
  assert.deepEqual(bytes(r.sites[0]!.after), [0xff, 0x25, ...le32(0x3fffea)]);
  assert.equal(r.sites[1]!.status, 'unpatched');
  assert.deepEqual(bytes(r.sites[1]!.after), SITE2_BYTES);
  assert.equal(r.sealingRan, false);
  assert.deepEqual(bytes(readBytes(r.image, G, 4)!), ENDBR);
  assert.match(r.errors.join('\n'), /panic/);
});

test('alternative 4.16 (no IBT): call rel32 then a 1-byte nop', () => {
  const r = run(ALT_416, { slot: G });
  // rel32 = G - (S + 5) = 0x40 - 0x15 = 0x2b; orig_len 6 - repl_len 5 = one 0x90
  assert.deepEqual(bytes(r.sites[0]!.after), [0xe8, ...le32(0x2b), 0x90]);
  assert.equal(r.sites[0]!.pass, 'first');
  assert.deepEqual(r.sites[0]!.afterInsns.map((d) => d.insn.op), ['call', 'nop']);
});

test('alternative 4.17..4.20 with IBT: skips the endbr64', () => {
  const r = run(ALT_419, { slot: G });
  // rel32 = (G + 4) - (S + 5) = 0x44 - 0x15 = 0x2f
  assert.deepEqual(bytes(r.sites[0]!.after), [0xe8, ...le32(0x2f), 0x90]);
});

test('alternative with IBT, target without endbr64: warning, call to its start', () => {
  const r = run(ALT_419, { slot: H });
  // rel32 = H - (S + 5) = 0x80 - 0x15 = 0x6b
  assert.deepEqual(bytes(r.sites[0]!.after), [0xe8, ...le32(0x6b), 0x90]);
  assert.equal(r.sites[0]!.warnings.length, 1);
});

test('alternative, NULL at the first pass, set by a presmp initcall: patched by the forced pass', () => {
  const r = run(ALT_416, { slot: 0n }, { presmpWrites: [{ address: SLOT, value: G }] });
  // rel32 = G - (S + 5) = 0x2b
  assert.deepEqual(bytes(r.sites[0]!.after), [0xe8, ...le32(0x2b), 0x90]);
  assert.equal(r.sites[0]!.pass, 'forced');
  assert.match(r.sites[0]!.notes.join('\n'), /first pass/);
});

test('alternative, NULL at both passes: ud2; ud0; nop', () => {
  const r = run(ALT_416, { slot: 0n });
  assert.deepEqual(bytes(r.sites[0]!.after), [0x0f, 0x0b, 0x0f, 0xff, 0xff, 0x90]);
  assert.equal(r.sites[0]!.status, 'trap');
  assert.equal(r.sites[0]!.pass, 'forced');
  assert.deepEqual(r.sites[0]!.afterInsns.map((d) => d.insn.op), ['ud2', 'ud0', 'nop']);
});

test('alternative, pointer changed after the first pass: the site keeps the first target', () => {
  const r = run(ALT_416, { slot: G }, { presmpWrites: [{ address: SLOT, value: H }] });
  // still G: rel32 = G - (S + 5) = 0x2b
  assert.deepEqual(bytes(r.sites[0]!.after), [0xe8, ...le32(0x2b), 0x90]);
  assert.match(r.sites[0]!.warnings.join('\n'), /keeps calling g/);
});

test('alternative, jmp form: e9 replacement over ff 25', () => {
  const r = bootPatch({
    config: ALT_416, image: image({ siteBytes: [0xff, 0x25, ...le32(0x3fffea)], slot: G }),
    sites: [{ site: S, replacement: Uint8Array.of(0xe9, 0xfb, 0xff, 0xff, 0xff) }],
  });
  // rel32 = G - (S + 5) = 0x2b
  assert.deepEqual(bytes(r.sites[0]!.after), [0xe9, ...le32(0x2b), 0x90]);
});

test('alternative, a site that is not the special case: error, bytes unchanged', () => {
  const call = [0xe8, ...le32(0)];
  const r = run(ALT_416, { siteBytes: [...call, 0x90], slot: G });
  assert.equal(r.sites[0]!.status, 'error');
  assert.deepEqual(bytes(r.sites[0]!.after), [...call, 0x90]);
});

test('IBT asked of a patcher without IBT support is an error', () => {
  const r = run({ scheme: 'alternative', ibt: true, ibtSupported: false }, { slot: G });
  assert.equal(r.errors.length, 1);
  assert.equal(r.sites[0]!.status, 'unpatched');
});

test('sealing poisons endbr64 of cf_clobber targets in .text only', () => {
  // cf_clobber pointers: G (endbr64 in .text), H (no endbr64), X (.init.text), NULL, G again.
  const cfClobber = [G, H, X, 0n, G];
  for (const config of [ALT_CALLS, ALT_419]) {
    const r = run(config, { slot: G, cfClobber });
    assert.equal(r.sealingRan, true);
    assert.deepEqual(bytes(readBytes(r.image, G, 4)!), [0x66, 0x0f, 0x1f, 0x01]);
    assert.deepEqual(bytes(readBytes(r.image, X, 4)!), ENDBR, '.init.text is not sealed');
    assert.deepEqual(r.sealed.map((e) => [e.pointerAt, e.poisoned]),
      [[C, true], [C + 8n, false], [C + 16n, false], [C + 32n, false]]);
    // the call was patched before sealing, past the (then intact) endbr64
    assert.equal(r.sites[0]!.target, G + 4n);
  }
});

test('no sealing with IBT off or with the 4.16 patcher', () => {
  for (const config of [{ ...ALT_CALLS, ibt: false }, ALT_416, { ...ALT_419, ibt: false }]) {
    const r = run(config, { slot: G, cfClobber: [G] });
    assert.equal(r.sealingRan, false);
    assert.deepEqual(bytes(readBytes(r.image, G, 4)!), ENDBR);
  }
});

test('bad input comes back as errors, not exceptions', () => {
  const r = bootPatch({ config: ALT_CALLS, image: image({ slot: G }), sites: [{ site: 0x1234n }] });
  assert.equal(r.sites[0]!.status, 'error');
  // the slot points outside every section: disp = 0x7fffffff
  const r2 = run(ALT_CALLS, { siteBytes: [0xff, 0x15, ...le32(0x7fffffff)] });
  assert.equal(r2.sites[0]!.status, 'error');
  assert.match(r2.sites[0]!.errors[0]!, /outside the modelled image/);
});
