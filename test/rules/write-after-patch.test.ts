import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { findingAt, findingKeys, lint, markerKeys, ofRule, rulesFixtures } from './lint';

const RULE = 'write-after-patch';
const ENTER_SITES = 'the 2 sites in pm_enter() and in pm_enter_deepest() keep calling the old target.';
const ALL_SITES = 'the 3 sites in pm_enter(), in pm_enter_deepest() and in pm_resume() keep calling the old target.';

test('write-after-patch, profile xen-4.21', async (t) => {
  const root = path.join(rulesFixtures, RULE, 'xen-4.21');
  const l = await lint(root);

  await t.test('findings match the markers', () => {
    assert.deepEqual(findingKeys(l), markerKeys(root));
  });

  await t.test('the range is the write; the message says why and which sites keep the old target', () => {
    assert.deepEqual(ofRule(l, RULE), [
      `pm.c 36:5-36:32 ${RULE}: Write to \`pm_ops.enter\` after patching (in pm_use_s2idle(), which is not init code and can run after patching): ${ENTER_SITES}`,
      `pm.c 41:5-41:39 ${RULE}: Write to \`pm_ops\` (the whole object) after patching (in pm_reset(), which is not init code and can run after patching): ${ALL_SITES}`,
      `pm.c 46:5-46:43 ${RULE}: Write to \`pm_ops\` (the whole object) after patching (in pm_restore(), which is not init code and can run after patching): ${ALL_SITES}`,
      `pm.c 51:5-51:32 ${RULE}: Write to \`pm_ops.resume\` after patching (pm_late() is registered with __initcall(pm_late), which runs after patching): the site in pm_resume() keeps calling the old target.`,
      `pm.c 63:5-63:25 ${RULE}: Write to \`pm_ops\` (the whole object) after patching (pm_late_helper() is called from pm_late_setup(), called by __start_xen() after boot_apply_alt_calls()): ${ALL_SITES}`,
      `pm.c 77:5-77:32 ${RULE}: Write to \`pm_ops.enter\` during boot, possibly after patching (in pm_boot_quirk(), guarded by a system_state check that only proves it runs during boot, possibly after patching): if it runs after the patch point, ${ENTER_SITES}`,
      `setup.c 15:9-15:36 ${RULE}: Write to \`pm_ops.enter\` after patching (after boot_apply_alt_calls() in __start_xen()): ${ENTER_SITES}`,
    ]);
  });

  await t.test('a boot-only guard lowers the severity to info', () => {
    assert.deepEqual(l.findings.filter((f) => f.rule === RULE).map((f) => `${path.basename(f.file)}:${f.span.line + 1} ${f.severity}`), [
      'pm.c:36 warning', 'pm.c:41 warning', 'pm.c:46 warning', 'pm.c:51 warning', 'pm.c:63 warning', 'pm.c:77 info', 'setup.c:15 warning',
    ]);
  });

  await t.test('related information: the sites that keep the old target, then the object', () => {
    const f = findingAt(l, RULE, 'pm.c', 36);
    assert.deepEqual(f.related.map((r) => `${path.basename(r.file)}:${r.span.line + 1} ${r.message}`), [
      'pm.c:88 patched site that keeps calling the old target of `pm_ops.enter`',
      'pm.c:93 patched site that keeps calling the old target of `pm_ops.enter`',
      'pm.c:7 ops object `pm_ops`',
    ]);
    assert.deepEqual(f.fixes, [], 'no fix: only the design can change');
  });
});

test('write-after-patch, profile xen-4.16: the first pass', async (t) => {
  const root = path.join(rulesFixtures, RULE, 'xen-4.16');

  await t.test('findings match the markers', async () => {
    assert.deepEqual(findingKeys(await lint(root, 'xen-4.16')), markerKeys(root));
  });

  await t.test('a presmp write replacing a statically set pointer is too late', async () => {
    const l = await lint(root, 'xen-4.16');
    assert.deepEqual(ofRule(l, RULE), [
      `setup.c 13:9-13:37 ${RULE}: Write to \`tsc_ops.sync\` after patching (after alternative_branches() in __start_xen()): the site in tsc_sync() keeps calling the old target.`,
      `tsc.c 22:5-22:31 ${RULE}: Write to \`tsc_ops.read\` after patching (tsc_presmp() runs after alternative_instructions() already patched the sites of a pointer the static initialiser set): the site in tsc_read() keeps calling the old target.`,
    ]);
  });

  await t.test('xen-4.20 has the first pass too', async () => {
    assert.deepEqual(findingKeys(await lint(root, 'xen-4.20')), markerKeys(root));
  });

  await t.test('xen-4.21 patches once, in boot_apply_alt_calls(): none of these is late', async () => {
    assert.deepEqual((await lint(root, 'xen-4.21')).findings, []);
  });
});
