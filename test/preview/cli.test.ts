/** `altcall-lint preview` as users run it: the real binary in a child process. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fixturesDir, serverOut } from '../helpers/paths';

const root = path.join(fixturesDir, 'xen');
const cli = path.join(serverOut, 'cli', 'main.js');
// Run from the tree's root, so that paths print relative to it.
const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'preview', ...args], { encoding: 'utf8', cwd: root });
const GVIRT_H = 'xen/arch/x86/include/asm/gvirt.h';

test('a position: JSON with the documented fields, defaults xen-4.21 and IBT on', () => {
  const r = run(`${GVIRT_H}:50`, '.', '--kconfig', '.config', '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.version, 1);
  assert.equal(j.profile, 'xen-4.21');
  assert.equal(j.sites.length, 1);
  const s = j.sites[0];
  assert.deepEqual([s.file, s.line, s.ops, s.member, s.scheme, s.ibt], [GVIRT_H, 50, 'gvirt_funcs', 'cpu_up', 'alt_call_sites', true]);
  assert.match(s.siteAddress, /^0x[0-9a-f]+$/);
  assert.match(s.before.bytes, /^ff 15( [0-9a-f]{2}){4}$/);
  assert.deepEqual(s.candidates.map((c: { table: string | null; kind: string }) => [c.kind, c.table]),
    [['table', 'orion_gvirt_table'], ['unset', null]]);
  assert.deepEqual(s.candidates[1].after.asm, ['ud2', 'ud2', 'ud2']);
});

test('the text form; xen-4.16 defaults to IBT off and uses the alternative scheme', () => {
  const r = run(`${GVIRT_H}:50`, '.', '--kconfig', '.config', '--profile', 'xen-4.16');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^site {2}xen\/arch\/x86\/include\/asm\/gvirt\.h:50 {2}alternative_call\(gvirt_funcs\.cpu_up\) {3}scheme alternative, IBT off \(xen-4\.16\)$/m);
  assert.match(r.stdout, /^unset +[0-9a-f]{16}: 0f 0b +ud2$/m);
  assert.match(r.stdout, /: 0f ff ff +ud0 +%edi,%edi$/m);
});

test('without --ibt, IBT follows CONFIG_XEN_IBT as the editor does', () => {
  const ibtOf = (...config: string[]) => JSON.parse(run(`${GVIRT_H}:50`, '.', ...config, '--format', 'json').stdout).sites[0].ibt;
  assert.equal(ibtOf('--kconfig', '.config'), true);
  assert.equal(ibtOf('--kconfig', '.config', '-D', 'CONFIG_XEN_IBT=n'), false);
  assert.equal(ibtOf('--kconfig', '.config', '-D', 'CONFIG_XEN_IBT=n', '--ibt', 'on'), true);
});

test('--all previews every site of the tree, once per IBT setting', () => {
  const r = run('--all', '.', '--kconfig', '.config', '--format', 'json', '--ibt', 'both');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const one = JSON.parse(run('--all', '.', '--kconfig', '.config', '--format', 'json').stdout);
  assert.equal(j.sites.length, 2 * one.sites.length);
  assert.deepEqual([...new Set(j.sites.map((s: { ibt: boolean }) => s.ibt))], [true, false]);
});

test('no site at the position, or a bad request: a message and exit 2', () => {
  const none = run(`${GVIRT_H}:49`, '.', '--kconfig', '.config');
  assert.equal(none.status, 2);
  assert.match(none.stderr, /no alternative-call site at xen\/arch\/x86\/include\/asm\/gvirt\.h:49/);
  const col = run(`${GVIRT_H}:50:3`, '.');
  assert.equal(col.status, 2);
  assert.match(col.stderr, /sites on line 50 start at column 16/);
  const ibt = run(`${GVIRT_H}:50`, '.', '--profile', 'xen-4.16', '--ibt', 'on');
  assert.equal(ibt.status, 2);
  assert.match(ibt.stderr, /--ibt on: xen-4\.16 has no CET-IBT support/);
  assert.equal(run('nowhere.c:3', '.').status, 2);
  assert.equal(run(`${GVIRT_H}`, '.').status, 2);
  assert.equal(run().status, 2);
  assert.equal(run(`${GVIRT_H}:50`, '.', '--format', 'xml').status, 2);
});

test('a site that cannot be patched says why', () => {
  const r = run('xen/common/callback.c:18', '.', '--kconfig', '.config');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /error: cannot be previewed: `fn` is a parameter of run_fn\(\)/);
});
