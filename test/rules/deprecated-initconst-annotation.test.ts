import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { applyFix, findingAt, findingKeys, line, lint, markerKeys, ofRule, rulesFixtures, stillThere } from './lint';

const RULE = 'deprecated-initconst-annotation';
const DROPPED = '`__alt_call_maybe_initconst` was dropped from the alternative-call series in review and must not be used';

test('deprecated-initconst-annotation, profile xen-4.21', async (t) => {
  const root = path.join(rulesFixtures, RULE, 'xen-4.21');
  const l = await lint(root);

  await t.test('findings match the markers (no impl-table or missing-initdata finding on the same declarations)', () => {
    assert.deepEqual(findingKeys(l), markerKeys(root));
  });

  await t.test('the range is the annotation', () => {
    assert.deepEqual(ofRule(l, RULE), [
      `gpu.c 13:29-13:55 ${RULE}: ${DROPPED}: impl table \`vesa_gpu_ops\` wants \`const\` and \`__initconst_cf_clobber\` (profile xen-4.21).`,
      `gpu.c 18:23-18:49 ${RULE}: ${DROPPED}: impl table \`fb_gpu_ops\` wants \`const\` and \`__initconst_cf_clobber\` (profile xen-4.21).`,
      `gpu.c 24:29-24:55 ${RULE}: ${DROPPED}: \`spare_gpu_ops\` wants \`const\` and \`__initconst_cf_clobber\` (profile xen-4.21).`,
      `mouse.c 7:25-7:51 ${RULE}: ${DROPPED}: ops object \`mouse_ops\` wants \`__alt_call_maybe_initdata\` (profile xen-4.21).`,
      `mouse.c 8:25-8:51 ${RULE}: ${DROPPED}: ops object \`pad_ops\` wants \`__ro_after_init\` (profile xen-4.21).`,
    ]);
  });

  await t.test('related information: the ops object a table feeds', () => {
    assert.deepEqual(findingAt(l, RULE, 'gpu.c', 13).related.map((r) => `${r.span.line + 1}:${r.span.col + 1} ${r.message}`), [
      '8:49 ops object `gpu_ops` (the table is copied in gpu_init())',
    ]);
  });

  const fixes: Array<[string, number, string, string]> = [
    ['gpu.c', 13, 'Replace it: make `vesa_gpu_ops` `const` and `__initconst_cf_clobber`', 'static const struct gpu_ops __initconst_cf_clobber vesa_gpu_ops = { /* expect: deprecated-initconst-annotation */'],
    ['gpu.c', 18, 'Replace it: make `fb_gpu_ops` `const` and `__initconst_cf_clobber`', 'static const struct gpu_ops __initconst_cf_clobber fb_gpu_ops = { /* expect: deprecated-initconst-annotation */'],
    ['gpu.c', 24, 'Replace it: make `spare_gpu_ops` `const` and `__initconst_cf_clobber`', 'static const struct gpu_ops __initconst_cf_clobber spare_gpu_ops = { /* expect: deprecated-initconst-annotation */'],
    ['mouse.c', 7, 'Replace it with `__alt_call_maybe_initdata`', 'static struct mouse_ops __alt_call_maybe_initdata mouse_ops; /* expect: deprecated-initconst-annotation */'],
    ['mouse.c', 8, 'Replace it with `__ro_after_init`', 'static struct mouse_ops __ro_after_init pad_ops; /* expect: deprecated-initconst-annotation */ /* expect: ops-kept-at-runtime */'],
  ];
  for (const [file, at, title, fixed] of fixes) {
    await t.test(`fix at ${file}:${at}`, async () => {
      const f = findingAt(l, RULE, file, at);
      assert.deepEqual(f.fixes.map((x) => [x.title, x.preferred]), [[title, true]]);
      const { texts, after } = await applyFix(l, f.fixes[0]);
      assert.equal(line(texts.get(file)!, at), fixed);
      assert.ok(!stillThere(l, f, after));
      assert.equal(after.findings.length, l.findings.length - 1, 'and the replacement raises nothing new');
    });
  }
});

test('deprecated-initconst-annotation, profile xen-4.16', async (t) => {
  const root = path.join(rulesFixtures, RULE, 'xen-4.16');
  const l = await lint(root, 'xen-4.16');

  await t.test('findings match the markers', () => {
    assert.deepEqual(findingKeys(l), markerKeys(root));
  });

  await t.test('the replacement is the 4.16 section', async () => {
    const f = findingAt(l, RULE, 'kbd.c', 9);
    assert.equal(f.message, `${DROPPED}: impl table \`i8042_kbd_ops\` wants \`const\` and \`__initconstrel\` (profile xen-4.16).`);
    const { texts, after } = await applyFix(l, f.fixes[0], 'xen-4.16');
    assert.equal(line(texts.get('kbd.c')!, 9), 'static const struct kbd_ops __initconstrel i8042_kbd_ops = { /* expect: deprecated-initconst-annotation */');
    assert.deepEqual(after.findings, []);
  });
});
