import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { applyFix, findingAt, findingKeys, line, lint, markerKeys, ofRule, rulesFixtures, stillThere } from './lint';

const root = path.join(rulesFixtures, 'ops-missing-initdata', 'xen-4.21');
const RULE = 'ops-missing-initdata';

test('ops-missing-initdata', async (t) => {
  const l = await lint(root);

  await t.test('findings match the markers', () => {
    assert.deepEqual(findingKeys(l), markerKeys(root));
  });

  await t.test('ranges and messages', () => {
    assert.deepEqual(ofRule(l, RULE), [
      'beep.c 7:24-7:32 ops-missing-initdata: `beep_ops` is only used through alternative calls at runtime (2 sites) but is not `__alt_call_maybe_initdata`: it could be freed after boot, once the sites are patched.',
      'clock.c 5:35-5:45 ops-missing-initdata: `clock_read` is only used through alternative calls at runtime (1 site) but is `__ro_after_init` rather than `__alt_call_maybe_initdata`: it could be freed after boot, once the sites are patched.',
      'led.c 6:34-6:41 ops-missing-initdata: `led_ops` is only used through alternative calls at runtime (1 site) but is plain `__initdata` rather than `__alt_call_maybe_initdata`: with LIVEPATCH, livepatches resolve alternative calls through it after boot (and where ALTERNATIVE_CALL is off the calls stay indirect), when plain init data is gone.',
    ]);
  });

  await t.test('related information: sites and impl tables', () => {
    const f = findingAt(l, RULE, 'beep.c', 7);
    assert.deepEqual(f.related.map((r) => `${path.relative(root, r.file)}:${r.span.line + 1} ${r.message}`), [
      'beep.c:28 site calling `beep_ops.beep`',
      'beep.c:33 site calling `beep_ops.volume`',
      'beep.c:12 impl table `pc_beep_ops`, copied in beep_init()',
    ]);
  });

  const cases: Array<[string, number, string, string]> = [
    ['beep.c', 7, 'Make `beep_ops` `__alt_call_maybe_initdata`', 'static struct beep_ops __alt_call_maybe_initdata beep_ops; /* expect: ops-missing-initdata */'],
    ['clock.c', 5, 'Replace `__ro_after_init` with `__alt_call_maybe_initdata`', 'static uint64_t (*__alt_call_maybe_initdata clock_read)(void); /* expect: ops-missing-initdata */'],
    ['led.c', 6, 'Replace `__initdata` with `__alt_call_maybe_initdata`', 'static struct led_ops __alt_call_maybe_initdata led_ops; /* expect: ops-missing-initdata */'],
  ];
  for (const [file, at, title, fixed] of cases) {
    await t.test(`fix in ${file}`, async () => {
      const f = findingAt(l, RULE, file, at);
      assert.deepEqual(f.fixes.map((x) => [x.title, x.preferred]), [[title, true]]);
      const { texts, after } = await applyFix(l, f.fixes[0]);
      assert.equal(line(texts.get(file)!, at), fixed);
      assert.ok(!stillThere(l, f, after), 'the finding is gone once fixed');
      assert.equal(after.findings.length, l.findings.length - 1, 'and nothing else appears');
    });
  }
});
