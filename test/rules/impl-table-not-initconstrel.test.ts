import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { applyFix, findingAt, findingKeys, line, lint, markerKeys, ofRule, rulesFixtures, stillThere } from './lint';

const RULE = 'impl-table-not-initconstrel';
const IBT_WHY = 'so it is freed after boot and, with CET-IBT, the functions it holds lose their `endbr64` once the sites call them directly.';

test('impl-table-not-initconstrel, profile xen-4.21', async (t) => {
  const root = path.join(rulesFixtures, RULE, 'xen-4.21');
  const l = await lint(root);

  await t.test('findings match the markers', () => {
    assert.deepEqual(findingKeys(l), markerKeys(root));
  });

  await t.test('ranges and messages', () => {
    assert.deepEqual(ofRule(l, RULE), [
      `nic.c 27:23-27:34 ${RULE}: Impl table \`rtl_nic_ops\` is not \`const\` and has no section annotation: profile xen-4.21 wants \`const\` and \`__initconst_cf_clobber\`, ${IBT_WHY}`,
      `nic.c 32:44-32:55 ${RULE}: Impl table \`old_nic_ops\` is \`__initconstrel\`: profile xen-4.21 wants \`const\` and \`__initconst_cf_clobber\`, ${IBT_WHY}`,
      `nic.c 37:45-37:57 ${RULE}: Impl table \`idle_nic_ops\` is not \`const\` and is \`__initdata_cf_clobber\`: profile xen-4.21 wants \`const\` and \`__initconst_cf_clobber\`, ${IBT_WHY}`,
      `nic.c 42:46-42:59 ${RULE}: Impl table \`loose_nic_ops\` is not \`const\`: profile xen-4.21 wants \`const\` and \`__initconst_cf_clobber\`, ${IBT_WHY}`,
    ]);
  });

  await t.test('related information: the ops object it feeds', () => {
    assert.deepEqual(findingAt(l, RULE, 'nic.c', 27).related.map((r) => `${r.span.line + 1}:${r.span.col + 1} ${r.message}`), [
      '9:49 ops object `nic_ops` (the table is copied in pick_nic())',
    ]);
  });

  const fixes: Array<[number, string, string]> = [
    [27, 'Make `rtl_nic_ops` `const` and `__initconst_cf_clobber`', 'static const struct nic_ops __initconst_cf_clobber rtl_nic_ops = { /* expect: impl-table-not-initconstrel */'],
    [32, 'Make `old_nic_ops` `const` and `__initconst_cf_clobber`', 'static const struct nic_ops __initconst_cf_clobber old_nic_ops = { /* expect: impl-table-not-initconstrel */'],
    [37, 'Make `idle_nic_ops` `const` and `__initconst_cf_clobber`', 'static const struct nic_ops __initconst_cf_clobber idle_nic_ops = { /* expect: impl-table-not-initconstrel */'],
    [42, 'Make `loose_nic_ops` `const` and `__initconst_cf_clobber`', 'static const struct nic_ops __initconst_cf_clobber loose_nic_ops = { /* expect: impl-table-not-initconstrel */'],
  ];
  for (const [at, title, fixed] of fixes) {
    await t.test(`fix at nic.c:${at}`, async () => {
      const f = findingAt(l, RULE, 'nic.c', at);
      assert.deepEqual(f.fixes.map((x) => [x.title, x.preferred]), [[title, true]]);
      const { texts, after } = await applyFix(l, f.fixes[0]);
      assert.equal(line(texts.get('nic.c')!, at), fixed);
      assert.ok(!stillThere(l, f, after));
      assert.equal(after.findings.length, l.findings.length - 1);
    });
  }
});

test('impl-table-not-initconstrel, profile xen-4.16', async (t) => {
  const root = path.join(rulesFixtures, RULE, 'xen-4.16');
  const l = await lint(root, 'xen-4.16');

  await t.test('findings match the markers', () => {
    assert.deepEqual(findingKeys(l), markerKeys(root));
  });

  await t.test('ranges and messages use the 4.16 names', () => {
    assert.deepEqual(ofRule(l, RULE), [
      `disk.c 23:53-23:65 ${RULE}: Impl table \`ide_disk_ops\` is \`__initconst_cf_clobber\`: profile xen-4.16 wants \`const\` and \`__initconstrel\`, so it is freed after boot.`,
      `disk.c 28:46-28:58 ${RULE}: Impl table \`big_disk_ops\` is \`__initdata_cf_clobber\`: profile xen-4.16 wants \`__initdata\` (init code writes it), so it is freed after boot.`,
    ]);
  });

  const fixes: Array<[number, string, string]> = [
    [23, 'Make `ide_disk_ops` `const` and `__initconstrel`', 'static const struct disk_ops __initconstrel ide_disk_ops = { /* expect: impl-table-not-initconstrel */'],
    [28, 'Make `big_disk_ops` `__initdata`', 'static struct disk_ops __initdata big_disk_ops = { /* expect: impl-table-not-initconstrel */'],
  ];
  for (const [at, title, fixed] of fixes) {
    await t.test(`fix at disk.c:${at}`, async () => {
      const f = findingAt(l, RULE, 'disk.c', at);
      assert.deepEqual(f.fixes.map((x) => [x.title, x.preferred]), [[title, true]]);
      const { texts, after } = await applyFix(l, f.fixes[0], 'xen-4.16');
      assert.equal(line(texts.get('disk.c')!, at), fixed);
      assert.ok(!stillThere(l, f, after));
    });
  }

  await t.test('the same tree under xen-4.21 wants the cf_clobber sections instead', async () => {
    const l21 = await lint(root, 'xen-4.21');
    assert.deepEqual(l21.findings.filter((f) => f.rule === RULE).map((f) => `${f.span.line + 1}`), ['13', '18']);
  });
});
