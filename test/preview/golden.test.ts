/**
 * Golden previews of the example tree's sites. `UPDATE_GOLDEN=1` rewrites
 * the files under test/preview/golden/ (review them by eye before
 * committing); otherwise the output must match them exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { profile, ProfileName } from '../../server/out/engine/config/profiles';
import { indexPaths } from '../../server/out/engine/engine';
import { configFromKconfig } from '../../server/out/engine/preproc/conditions';
import { indexedModel, Previewer, previewToJson, renderPreviewReport } from '../../server/out/preview';
import { fixturesDir, repoRoot } from '../helpers/paths';
import { readMarkers } from '../helpers/markers';

const root = path.join(fixturesDir, 'xen');
const goldenDir = path.join(repoRoot, 'test', 'preview', 'golden');

let indexed: ReturnType<typeof load> | undefined;
function load() {
  return indexPaths([root], { config: configFromKconfig(fs.readFileSync(path.join(root, '.config'), 'utf8')) })
    .then((run) => ({ run, result: run.index.link() }));
}
const fixture = () => (indexed ??= load());

async function previewer(name: ProfileName, ibt?: boolean[]) {
  const { run, result } = await fixture();
  return new Previewer(result, {
    profile: profile(name), ibt, text: (f) => run.index.text(f), displayPath: (f) => path.relative(root, f),
  });
}

async function report(where: string, name: ProfileName, ibt?: boolean[]) {
  const [file, line] = where.split(':');
  const p = await previewer(name, ibt);
  const sites = p.sitesAt(path.join(root, file!), { line: Number(line) });
  assert.ok(sites.length > 0, `a site at ${where}`);
  return p.preview(sites);
}

function golden(name: string, actual: string): void {
  const file = path.join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(goldenDir, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  assert.ok(fs.existsSync(file), `${name} is missing: run the tests with UPDATE_GOLDEN=1 and review it`);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

async function texts(cases: Array<[string, ProfileName, boolean[]?]>): Promise<string> {
  const out: string[] = [];
  for (const [where, name, ibt] of cases) out.push(renderPreviewReport(await report(where, name, ibt)));
  return out.join('\n');
}

const GVIRT_H = 'xen/arch/x86/include/asm/gvirt.h';

test('golden: the SVM/VMX-style pair (gvirt_funcs with Orion and Lyra tables)', async () => {
  golden('gvirt-pair.txt', await texts([
    [`${GVIRT_H}:38`, 'xen-4.21', [true, false]],
    [`${GVIRT_H}:38`, 'xen-4.18'],
    [`${GVIRT_H}:38`, 'xen-4.16'],
  ]));
  golden('gvirt-pair.json', JSON.stringify(previewToJson(await report(`${GVIRT_H}:38`, 'xen-4.21')), null, 2) + '\n');
});

test('golden: tables that leave a member unset', async () => {
  golden('unset.txt', await texts([
    [`${GVIRT_H}:50`, 'xen-4.21'],
    [`${GVIRT_H}:56`, 'xen-4.21'],
    [`${GVIRT_H}:56`, 'xen-4.16'],
  ]));
});

test('golden: wrapper-macro sites (function-like wrappers, an init-code site)', async () => {
  golden('wrapper.txt', await texts([
    ['xen/drivers/xlat/xlat.c:21', 'xen-4.21'],
    ['xen/drivers/xlat/xlat.c:23', 'xen-4.21'],
    ['xen/arch/x86/setup.c:27', 'xen-4.21'],
  ]));
});

test('golden: a plain function pointer (tick_source) and an X-macro list entry', async () => {
  golden('tick-source.txt', await texts([
    ['xen/arch/x86/time.c:17', 'xen-4.21'],
    ['xen/arch/x86/time.c:17', 'xen-4.16'],
  ]));
  golden('xmacro.txt', await texts([['xen/include/pol/hooks.h:16', 'xen-4.21']]));
});

test('golden: stores after the patch point, definite and boot-only', async () => {
  golden('late-stores.txt', await texts([
    ['xen/arch/x86/gvirt/gvirt.c:51', 'xen-4.21'],
    ['xen/arch/x86/cpu/idle.c:44', 'xen-4.21'],
  ]));
});

const le32 = (v: bigint) => {
  const n = Number(BigInt.asUintN(32, v));
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].map((b) => b.toString(16).padStart(2, '0')).join(' ');
};

test('gvirt_funcs by hand: member offsets from the struct, rel32 from the addresses', async () => {
  const slot = async (line: number) => {
    const [s] = previewToJson(await report(`${GVIRT_H}:${line}`, 'xen-4.21')).sites;
    return s!;
  };
  const getMode = await slot(38);
  const cpuUp = await slot(50);
  // name (pointer) 0..8, caps (two bools) 8..10, then 8-aligned pointers:
  // get_mode 0x10, update_cr 0x18, cpu_up 0x20.
  const base = BigInt(getMode.slotAddress!) - 0x10n;
  assert.equal(BigInt(cpuUp.slotAddress!), base + 0x20n);
  assert.equal(cpuUp.slot, 'gvirt_funcs+0x20');
  const site = BigInt(cpuUp.siteAddress!);
  assert.equal(cpuUp.before!.bytes, `ff 15 ${le32(base + 0x20n - (site + 6n))}`);
  const orion = cpuUp.candidates.find((c) => c.table === 'orion_gvirt_table')!;
  const target = BigInt(orion.targetAddress!);
  // The call skips orion_cpu_up's endbr64: functions start on 64-byte boundaries.
  assert.equal(target % 64n, 4n);
  assert.equal(orion.after.bytes, `2e e8 ${le32(target - (site + 6n))}`);
  // 4.16: e8 rel32 from the end of the 5-byte call, to the function itself, then a nop.
  const [old] = previewToJson(await report(`${GVIRT_H}:50`, 'xen-4.16')).sites;
  const oldOrion = old!.candidates.find((c) => c.table === 'orion_gvirt_table')!;
  assert.equal(oldOrion.after.bytes, `e8 ${le32(target - 4n - (BigInt(old!.siteAddress!) + 5n))} 90`);
  // The table is copied in by a presmp initcall: the forced pass patches it.
  assert.equal(oldOrion.pass, 'forced');
  assert.deepEqual(cpuUp.candidates.map((c) => [c.kind, c.table, c.unsetBy]), [
    ['table', 'orion_gvirt_table', []], ['unset', null, ['lyra_gvirt_table']],
  ]);
});

test('every marked site is previewed or explains why not', async () => {
  const { result } = await fixture();
  const sites = previewToJson((await previewer('xen-4.21')).all()).sites;
  const markers = readMarkers(root).filter((m) => m.kind === 'site');
  assert.equal(sites.length, markers.length);
  for (const m of markers) {
    const s = sites.find((x) => path.join(root, x.file) === m.file && x.line === m.line);
    assert.ok(s, `${m.file}:${m.line}`);
    if (m.text === 'unresolved') assert.match(s.errors.join(), /cannot be previewed/);
    else assert.ok(s.candidates.length > 0 && s.before !== null, `${m.file}:${m.line} previewed`);
  }
  // The model keeps one function per X-macro entry, named after it.
  const names = indexedModel(result).model.functions.map((f) => f.name);
  assert.ok(names.includes('POL_HOOK.domain_create'), names.join(' '));
});
