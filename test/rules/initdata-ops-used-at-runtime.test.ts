import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { applyFix, findingAt, findingKeys, line, lint, markerKeys, ofRule, rulesFixtures, stillThere } from './lint';

const root = path.join(rulesFixtures, 'initdata-ops-used-at-runtime', 'xen-4.21');
const RULE = 'initdata-ops-used-at-runtime';
const KEEP_SENSOR = 'Keep `sensor_ops` after boot: make it `__ro_after_init`';

test('initdata-ops-used-at-runtime', async (t) => {
  const l = await lint(root);

  await t.test('findings match the markers', () => {
    assert.deepEqual(findingKeys(l), markerKeys(root));
  });

  await t.test('one finding per use, on the use', () => {
    assert.deepEqual(ofRule(l, RULE), [
      'fan.c 26:13-26:20 initdata-ops-used-at-runtime: `fan_ops` is init data (`__initdata`), freed after boot, but runtime code takes its address in fan_get_ops(): that uses freed memory.',
      'pump.c 14:5-14:19 initdata-ops-used-at-runtime: `pump_ops` is init data (`__alt_call_maybe_initdata`), freed after boot, but runtime code calls `.level` directly in pump_service(): that uses freed memory.',
      'pump.c 15:5-15:18 initdata-ops-used-at-runtime: `pump_ops` is init data (`__alt_call_maybe_initdata`), freed after boot, but runtime code calls `.stop` directly in pump_service(): that uses freed memory.',
      'sensor.c 44:12-44:28 initdata-ops-used-at-runtime: `sensor_ops` is init data (`__alt_call_maybe_initdata`), freed after boot, but runtime code calls `.scale` directly in sensor_read_scaled(): that uses freed memory.',
      'sensor.c 52:22-52:38 initdata-ops-used-at-runtime: `sensor_ops` is init data (`__alt_call_maybe_initdata`), freed after boot, but runtime code reads `.count` in sensor_reset_all(): that uses freed memory.',
      'sensor.c 53:9-53:25 initdata-ops-used-at-runtime: `sensor_ops` is init data (`__alt_call_maybe_initdata`), freed after boot, but runtime code calls `.reset` directly in sensor_reset_all(): that uses freed memory.',
      'sensor.c 54:5-54:21 initdata-ops-used-at-runtime: `sensor_ops` is init data (`__alt_call_maybe_initdata`), freed after boot, but runtime code calls `.flush` directly in sensor_reset_all(): that uses freed memory.',
      'sensor.c 59:10-59:30 initdata-ops-used-at-runtime: `sensor_ops` is init data (`__alt_call_maybe_initdata`), freed after boot, but runtime code tests `.calibrate` in sensor_calibrate(): that uses freed memory.',
    ]);
  });

  await t.test('related information: the declaration', () => {
    assert.deepEqual(findingAt(l, RULE, 'sensor.c', 52).related.map((r) => `${r.span.line + 1}:${r.span.col + 1} ${r.message}`), [
      '13:52 `sensor_ops` is declared `__alt_call_maybe_initdata` here',
    ]);
  });

  // A call through a member becomes a site; `alternative_vcall` when the
  // call is a statement and the member returns void (or its type is a typedef).
  const conversions: Array<[number, string, string[]]> = [
    [44, 'Call `sensor_ops.scale` through alternative_call()', ['    return alternative_call(sensor_ops.scale, id, /* expect: initdata-ops-used-at-runtime */', '                            sensor_read(id));']],
    [53, 'Call `sensor_ops.reset` through alternative_vcall()', ['        alternative_vcall(sensor_ops.reset); /* expect: initdata-ops-used-at-runtime */']],
    [54, 'Call `sensor_ops.flush` through alternative_vcall()', ['    alternative_vcall(sensor_ops.flush); /* expect: initdata-ops-used-at-runtime */']],
  ];
  for (const [at, title, lines] of conversions) {
    await t.test(`fix at sensor.c:${at}: ${title}`, async () => {
      const f = findingAt(l, RULE, 'sensor.c', at);
      assert.deepEqual(f.fixes.map((x) => [x.title, x.preferred]), [[title, true], [KEEP_SENSOR, false]]);
      const { texts, after } = await applyFix(l, f.fixes[0]);
      lines.forEach((expected, i) => assert.equal(line(texts.get('sensor.c')!, at + i), expected));
      assert.ok(!stillThere(l, f, after));
      assert.equal(after.findings.filter((x) => x.rule === RULE).length, 7, 'the other uses stay');
    });
  }

  await t.test('a typedef gives the return type: alternative_call for a value, even as a statement', async () => {
    const level = findingAt(l, RULE, 'pump.c', 14);
    const stop = findingAt(l, RULE, 'pump.c', 15);
    assert.deepEqual([level.fixes[0].title, stop.fixes[0].title], ['Call `pump_ops.level` through alternative_call()', 'Call `pump_ops.stop` through alternative_vcall()']);
    const { texts } = await applyFix(l, { title: 'both', edits: [...level.fixes[0].edits, ...stop.fixes[0].edits], preferred: true });
    assert.equal(line(texts.get('pump.c')!, 14), '    alternative_call(pump_ops.level); /* expect: initdata-ops-used-at-runtime */');
    assert.equal(line(texts.get('pump.c')!, 15), '    alternative_vcall(pump_ops.stop); /* expect: initdata-ops-used-at-runtime */');
  });

  await t.test('fix for a read: keep the object at runtime', async () => {
    const f = findingAt(l, RULE, 'sensor.c', 52);
    assert.deepEqual(f.fixes.map((x) => [x.title, x.preferred]), [[KEEP_SENSOR, true]]);
    const { texts, after } = await applyFix(l, f.fixes[0]);
    assert.equal(line(texts.get('sensor.c')!, 13), 'static struct sensor_ops __ro_after_init sensor_ops;');
    // Every use of the object is fine once it stays; what remains is the informational verdict.
    assert.deepEqual(after.findings.filter((x) => path.basename(x.file) === 'sensor.c').map((x) => `${x.span.line + 1} ${x.rule}`), ['13 ops-kept-at-runtime', '20 unset-accelerated-pointer']);
  });

  await t.test('fix for an address taken: keep the object at runtime', async () => {
    const f = findingAt(l, RULE, 'fan.c', 26);
    assert.deepEqual(f.fixes.map((x) => [x.title, x.preferred]), [['Keep `fan_ops` after boot: make it `__ro_after_init`', true]]);
    const { texts, after } = await applyFix(l, f.fixes[0]);
    assert.equal(line(texts.get('fan.c')!, 6), 'static struct fan_ops __ro_after_init fan_ops;');
    assert.ok(!stillThere(l, f, after));
  });
});
