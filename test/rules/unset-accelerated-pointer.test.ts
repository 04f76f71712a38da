import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { findingKeys, lint, markerKeys, ofRule, rulesFixtures } from './lint';

const RULE = 'unset-accelerated-pointer';
const root = path.join(rulesFixtures, RULE, 'xen-4.21');

test('unset-accelerated-pointer', async (t) => {
  const l = await lint(root);

  await t.test('findings match the markers', () => {
    assert.deepEqual(findingKeys(l), markerKeys(root));
  });

  // Not reported: a member init code fills in through a pointer (iommu.c `.quirk`), objects
  // init code walks through a pointer (policy.c), tables whose members cannot be read (mce.c).
  await t.test('one finding per table and member, on the table; guarded sites are said to be harmless', () => {
    assert.deepEqual(ofRule(l, RULE), [
      `crypto.c 36:55-36:69 ${RULE}: Impl table \`aes_crypto_ops\` leaves \`.hash\` unset: when it is chosen for \`crypto_ops\`, the site in crypto_hash() is patched into a trap.`,
      `crypto.c 45:55-45:70 ${RULE}: Impl table \`lite_crypto_ops\` sets \`.rng\` to NULL: when it is chosen for \`crypto_ops\`, the site in crypto_random() is patched into a trap; it tests the pointer first, so the trap is never reached.`,
      `crypto.c 45:55-45:70 ${RULE}: Impl table \`lite_crypto_ops\` sets \`.selftest\` to NULL: when it is chosen for \`crypto_ops\`, the 2 sites in crypto_selftest() and in crypto_selftest_force() are patched into a trap.`,
      `iommu.c 23:54-23:67 ${RULE}: Impl table \`amd_iommu_ops\` leaves \`.flush\` unset: when it is chosen for \`iommu_ops\`, the site in iommu_flush() is patched into a trap.`,
      `iommu.c 23:54-23:67 ${RULE}: Impl table \`amd_iommu_ops\` leaves \`.lookup\` unset: when it is chosen for \`iommu_ops\`, the site in iommu_lookup() is patched into a trap; it tests the pointer first, so the trap is never reached.`,
      `scan.c 11:53-11:67 ${RULE}: Impl table \`quick_scan_ops\` leaves \`.flush\` unset: when it is chosen for \`scan_ops\`, the site in scan_sync() is patched into a trap; it tests the pointer first, so the trap is never reached.`,
      `scan.c 11:53-11:67 ${RULE}: Impl table \`quick_scan_ops\` leaves \`.scan\` unset: when it is chosen for \`scan_ops\`, the site in scan_bank() is patched into a trap; it tests the pointer first, so the trap is never reached.`,
    ]);
  });

  await t.test('related information: the NULL, the sites, the object', () => {
    const f = l.findings.find((x) => x.rule === RULE && x.message.includes('`.selftest`'))!;
    assert.deepEqual(f.related.map((r) => `${r.span.line + 1}:${r.span.col + 1} ${r.message}`), [
      '49:17 `.selftest` is NULL here',
      '99:9 site patched into a trap when `lite_crypto_ops` is chosen',
      '105:5 site patched into a trap when `lite_crypto_ops` is chosen',
      '15:42 ops object `crypto_ops` (the table is copied in crypto_select())',
    ]);
  });

  await t.test('information by default, with no fix', () => {
    for (const f of l.findings.filter((x) => x.rule === RULE)) {
      assert.equal(f.severity, 'info');
      assert.deepEqual(f.fixes, []);
    }
  });
});
