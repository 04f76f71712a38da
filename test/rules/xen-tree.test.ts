/**
 * The rules over the bundled example tree (default profile, its `.config`):
 * the findings are exactly the `expect:` markers its author wrote, with the
 * counts and severities EXPECTED.md sums up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configFromKconfig } from '../../server/out/engine/preproc/conditions';
import { fixturesDir } from '../helpers/paths';
import { applyFix, findingKeys, lint, markerKeys } from './lint';

const root = path.join(fixturesDir, 'xen');

test('example tree: findings equal the markers', async (t) => {
  const l = await lint(root, 'xen-4.21', { config: configFromKconfig(fs.readFileSync(path.join(root, '.config'), 'utf8')) });

  await t.test('every marker, and nothing else', () => {
    assert.deepEqual(findingKeys(l), markerKeys(root));
  });

  await t.test('counts per rule', () => {
    const counts: Record<string, number> = {};
    for (const f of l.findings) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
    assert.deepEqual(counts, {
      'ops-missing-initdata': 3,
      'ops-kept-at-runtime': 2,
      'initdata-ops-used-at-runtime': 2,
      'impl-table-not-initconstrel': 2,
      'deprecated-initconst-annotation': 1,
      'write-after-patch': 5,
      'site-target-not-patchable': 4,
      'unset-accelerated-pointer': 2,
      'bad-suppression': 2,
    });
  });

  await t.test('severities: 6 errors, 12 warnings, 5 infos', () => {
    const by: Record<string, number> = {};
    for (const f of l.findings) by[f.severity] = (by[f.severity] ?? 0) + 1;
    assert.deepEqual(by, { error: 6, warning: 12, info: 5 });
  });

  await t.test('the boot-only write is the info-level one', () => {
    const infos = l.findings.filter((f) => f.rule === 'write-after-patch' && f.severity === 'info').map((f) => `${path.relative(root, f.file)}:${f.span.line + 1}`);
    assert.deepEqual(infos, ['xen/arch/x86/gvirt/gvirt.c:68']);
  });

  await t.test('the example message for the kept-at-runtime object', () => {
    const f = l.findings.find((x) => x.rule === 'ops-kept-at-runtime' && x.file.endsWith('gvirt.c'))!;
    assert.equal(f.message, '`gvirt_funcs` must stay in memory after boot: runtime code reads `.name` in gvirt_report(), reads `.caps.hap` through `gvirt_has_hap` in gvirt_report(), calls `.handle_exit` directly in gvirt_vmexit() and tests `.cpu_up` in gvirt_cpu_up(). It cannot be `__alt_call_maybe_initdata`, and `__ro_after_init` is right.');
  });

  await t.test('all preferred fixes at once apply cleanly, remove their findings, and leave nothing more to fix', async () => {
    const preferred = l.findings.filter((f) => f.fixes.some((x) => x.preferred));
    assert.deepEqual(preferred.map((f) => `${path.basename(f.file)}:${f.span.line + 1} ${f.rule}`), [
      'perfctr.c:70 initdata-ops-used-at-runtime',
      'perfctr.c:75 initdata-ops-used-at-runtime',
      'quirks.c:15 ops-missing-initdata',
      'thermal.c:28 impl-table-not-initconstrel',
      'cluster.c:13 impl-table-not-initconstrel',
      'probe.c:6 ops-missing-initdata',
      'time.c:7 ops-missing-initdata',
      'acpi.c:10 deprecated-initconst-annotation',
    ]);
    const edits = preferred.flatMap((f) => f.fixes.filter((x) => x.preferred).flatMap((x) => x.edits));
    const { after } = await applyFix(l, { title: 'all', edits, preferred: true }, 'xen-4.21', { config: configFromKconfig(fs.readFileSync(path.join(root, '.config'), 'utf8')) });
    const before = new Set(findingKeys(l));
    const left = new Set(findingKeys(after));
    for (const f of preferred) assert.ok(!left.has(`${path.relative(root, f.file)}:${f.span.line + 1} ${f.rule}`), `${f.rule} at ${f.file}:${f.span.line + 1} is fixed`);
    // perfctr_ops, now kept at runtime, gets the informational verdict instead.
    assert.deepEqual([...left].filter((k) => !before.has(k)), ['xen/arch/x86/cpu/perfctr.c:14 ops-kept-at-runtime']);
    assert.deepEqual(after.findings.filter((f) => f.fixes.some((x) => x.preferred)), []);
  });
});
