import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { applyFix, findingAt, findingKeys, line, lint, markerKeys, ofRule, rulesFixtures, stillThere } from './lint';

const root = path.join(rulesFixtures, 'ops-kept-at-runtime', 'xen-4.21');
const RULE = 'ops-kept-at-runtime';

test('ops-kept-at-runtime', async (t) => {
  const l = await lint(root);

  await t.test('findings match the markers', () => {
    assert.deepEqual(findingKeys(l), markerKeys(root));
  });

  await t.test('ranges and messages list the runtime uses', () => {
    assert.deepEqual(ofRule(l, RULE), [
      'rtc.c 10:37-10:44 ops-kept-at-runtime: `rtc_ops` must stay in memory after boot: runtime code calls `.read` directly in rtc_read_minutes() and calls `.write` directly in rtc_set_alarm(). It cannot be `__alt_call_maybe_initdata`.',
      'uart.c 12:36-12:44 ops-kept-at-runtime: `uart_drv` must stay in memory after boot: runtime code reads `.name` in uart_describe(), reads `.baud` through `uart_baud` in uart_describe(), calls `.getc` directly in uart_poll() and tests `.suspend` in uart_suspend(). It cannot be `__alt_call_maybe_initdata`, and `__ro_after_init` is right.',
    ]);
  });

  await t.test('related information: the uses', () => {
    const f = findingAt(l, RULE, 'uart.c', 12);
    assert.deepEqual(f.related.map((r) => `${r.span.line + 1}:${r.span.col + 1} ${r.message}`), [
      '40:26 runtime use: reads `.name` in uart_describe()',
      '40:41 runtime use: reads `.baud` through `uart_baud` in uart_describe()',
      '45:12 runtime use: calls `.getc` directly in uart_poll()',
      '50:10 runtime use: tests `.suspend` in uart_suspend()',
    ]);
  });

  await t.test('no fix while uses other than direct calls remain', () => {
    assert.deepEqual(findingAt(l, RULE, 'uart.c', 12).fixes, []);
  });

  await t.test('fix: every direct call becomes a site', async () => {
    const f = findingAt(l, RULE, 'rtc.c', 10);
    assert.deepEqual(f.fixes.map((x) => [x.title, x.preferred]), [['Turn the direct calls through `rtc_ops` into alternative calls', false]]);
    const { texts, after } = await applyFix(l, f.fixes[0]);
    const fixed = texts.get('rtc.c')!;
    assert.equal(line(fixed, 32), '    return alternative_call(rtc_ops.read, 2);');
    assert.equal(line(fixed, 37), '    alternative_vcall(rtc_ops.write, reg,');
    assert.equal(line(fixed, 38), '                  val);');
    assert.ok(!stillThere(l, f, after));
    // With only sites left, the object can now be init data: the next finding says so.
    assert.deepEqual(after.findings.filter((x) => path.basename(x.file) === 'rtc.c').map((x) => `${x.span.line + 1} ${x.rule}`), ['10 ops-missing-initdata']);
  });
});
