/**
 * Hover, code lens, implementation, references, the preview request and
 * code actions on the example tree, over framed JSON-RPC.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyTextEdits, copyExampleTree, positionOf, TestClient, uri, type Location, type Position, type Range } from './client';

interface Hover { contents: { kind: string; value: string }; range: Range }
interface Lens { range: Range; command: { title: string; command: string; arguments?: unknown[] } }
interface Action { title: string; kind: string; isPreferred?: boolean; diagnostics?: Array<{ code: string }>; edit: { changes: Record<string, Array<{ range: Range; newText: string }>> } }
interface PreviewResult {
  text: string;
  structure: { profile: string; sites: Array<{ ops: string; member: string; scheme: string; ibt: boolean; before: { asm: string[] }; candidates: Array<{ target: string | null; after: { asm: string[] } }> }> };
}

describe('features on the example tree', () => {
  let root: string;
  let client: TestClient;
  const file = (rel: string) => path.join(root, 'xen', rel);
  const read = (rel: string) => fs.readFileSync(file(rel), 'utf8');
  const at = (rel: string, needle: string, delta = 0) => ({ textDocument: { uri: uri(file(rel)) }, position: positionOf(read(rel), needle, delta) });
  const hover = async (rel: string, needle: string, delta = 0) => (await client.request<Hover | null>('textDocument/hover', at(rel, needle, delta)))?.contents.value ?? '';
  const lines = (locations: Location[]) => locations.map((l) => `${path.relative(root, new URL(l.uri).pathname)}:${l.range.start.line + 1}`).sort();

  before(async () => {
    root = copyExampleTree();
    client = await TestClient.start({ root, settings: { build: { kconfig: '.config' } } });
    await client.indexed();
  });
  after(() => client.kill());

  test('hover on a site\'s pointer: the ops object, each target, and the patched code', async () => {
    const text = await hover('arch/x86/time.c', 'alternative_call(tick_source)', 'alternative_call('.length + 2);
    assert.match(text, /Ops object `tick_source`, defined at xen\/arch\/x86\/time\.c:7/);
    for (const fn of ['hpet_tick', 'pit_tick', 'tsc_tick']) assert.match(text, new RegExp(`→ \`${fn}\``));
    // The short preview: the indirect call before, a direct call to each target after (4.21 with IBT: past endbr64).
    assert.match(text, /before +call +\*.*<tick_source>/);
    assert.match(text, /hpet_tick +cs call +\w+ <hpet_tick\+0x4>/);
  });

  test('hover on an impl table lists what it sets, on an ops object sums it up with its findings', async () => {
    const table = await hover('arch/x86/cpu/thermal.c', 'thermal_hwmon_ops =', 2);
    assert.match(table, /\*\*Impl table\*\* `thermal_hwmon_ops` for ops object `ops`/);
    assert.match(table, /`ops\.read_temp` → `hwmon_read_temp`/);
    assert.match(table, /`impl-table-not-initconstrel`/);
    const ops = await hover('arch/x86/irqchip/probe.c', 'irqchip;', 1);
    assert.match(ops, /\*\*Ops object\*\* `irqchip`.*with no annotation/);
    assert.match(ops, /3 sites/);
    assert.match(ops, /`irqchip_cluster`.*`irqchip_flat`|`irqchip_flat`.*`irqchip_cluster`/);
    assert.match(ops, /warning `ops-missing-initdata`/);
  });

  test('hover documents site macros, wrappers and annotations', async () => {
    assert.match(await hover('arch/x86/time.c', 'alternative_call(tick_source)', 3), /\*\*`alternative_call\(ptr, args…\)`\*\*: an alternative-call site/);
    const wrapper = await hover('arch/x86/smp.c', 'irqchip_send_ipi(cpu', 3);
    assert.match(wrapper, /`irqchip_send_ipi` wraps an alternative-call site: `irqchip_send_ipi` → `alternative_vcall`, here calling through `irqchip\.send_ipi`/);
    assert.match(wrapper, /for a function returning `void`/);
    // 4.21 keeps runtime ops objects __ro_after_init, so __read_mostly is explained as the older choice.
    assert.match(await hover('arch/x86/time.c', '__read_mostly', 3), /in profile `xen-4\.21` they use `__ro_after_init`/);
    assert.match(await hover('arch/x86/irqchip/cluster.c', '__initconstrel', 3), /4\.16's impl-table annotation/);
    assert.equal(await client.request('textDocument/hover', at('arch/x86/time.c', 'uint64_t read_platform', 2)), null);
  });

  test('a code lens above each site: its targets, and the preview command with its position', async () => {
    const text = read('arch/x86/time.c');
    const lenses = await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: uri(file('arch/x86/time.c')) } });
    const site = positionOf(text, 'alternative_call(tick_source)');
    assert.equal(lenses.length, 2);
    assert.ok(lenses.every((l) => l.range.start.line === site.line));
    assert.equal(lenses[0].command.title, '→ hpet_tick, pit_tick and tsc_tick');
    assert.equal(lenses[1].command.command, 'altcall.showPreview');
    assert.deepEqual(lenses[1].command.arguments, [{ uri: uri(file('arch/x86/time.c')), position: site }]);
    const callback = await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri: uri(file('common/callback.c')) } });
    assert.ok(callback.some((l) => /^not patchable: `fn` is a parameter/.test(l.command.title)));
    assert.ok(callback.every((l) => l.command.command !== 'altcall.showPreview' || !/not patchable/.test(l.command.title)));
  });

  test('go to implementation on a site reached through a wrapper macro: the functions of both impl tables', async () => {
    const got = await client.request<Location[]>('textDocument/implementation', at('arch/x86/smp.c', 'irqchip_init_ldr();', 4));
    const cluster = positionOf(read('arch/x86/irqchip/cluster.c'), 'cluster_init_ldr(void)').line + 1;
    const flat = positionOf(read('arch/x86/irqchip/flat.c'), 'flat_init_ldr(void)').line + 1;
    assert.deepEqual(lines(got), [`xen/arch/x86/irqchip/cluster.c:${cluster}`, `xen/arch/x86/irqchip/flat.c:${flat}`]);
  });

  test('references on an accelerated pointer: its sites and writes (and its declaration when asked)', async () => {
    const text = read('arch/x86/time.c');
    const lineOf = (needle: string) => `xen/arch/x86/time.c:${positionOf(text, needle).line + 1}`;
    const sites = [lineOf('alternative_call(tick_source)')];
    const writes = [lineOf('tick_source = hpet_ok'), lineOf('tick_source = tsc_tick'), lineOf('tick_source = pit_tick')];
    const without = await client.request<Location[]>('textDocument/references', { ...at('arch/x86/time.c', 'tick_source)(void)', 2), context: { includeDeclaration: false } });
    assert.deepEqual(lines(without), [...sites, ...writes].sort());
    const withDecl = await client.request<Location[]>('textDocument/references', { ...at('arch/x86/time.c', 'tick_source)(void)', 2), context: { includeDeclaration: true } });
    assert.deepEqual(lines(withDecl), [lineOf('tick_source)(void)'), ...sites, ...writes].sort());
  });

  test('altcall/preview: text and structure for the folder\'s profile, for another profile, and off any site', async () => {
    const site = positionOf(read('arch/x86/time.c'), 'alternative_call(tick_source)');
    const params = { uri: uri(file('arch/x86/time.c')), position: site };
    const own = await client.request<PreviewResult>('altcall/preview', params);
    assert.equal(own.structure.profile, 'xen-4.21');
    const s = own.structure.sites[0];
    assert.deepEqual([s.ops, s.member, s.scheme, s.ibt], ['tick_source', '', 'alt_call_sites', true]);
    assert.deepEqual(s.candidates.map((c) => c.target).sort(), ['hpet_tick', 'pit_tick', 'tsc_tick']);
    assert.match(own.text, /^site .*time\.c:\d+ +alternative_call\(tick_source\)/);
    const old = await client.request<PreviewResult>('altcall/preview', { ...params, profile: 'xen-4.16' });
    assert.deepEqual([old.structure.profile, old.structure.sites[0].scheme, old.structure.sites[0].ibt], ['xen-4.16', 'alternative', false]);
    // Without IBT the direct call lands on the function itself, not past an endbr64.
    assert.ok(old.structure.sites[0].candidates.every((c) => c.after.asm.some((a) => new RegExp(`<${c.target}>`).test(a))));
    const none = await client.request<PreviewResult>('altcall/preview', { ...params, position: { line: 0, character: 0 } });
    assert.deepEqual(none.structure.sites, []);
    assert.match(none.text, /No alternative-call site at line 1/);
  });

  test('code actions: the preferred quick fix first; applying it removes the finding', async () => {
    const rel = 'arch/x86/cpu/perfctr.c';
    const text = await client.open(file(rel));
    const call = positionOf(text, 'perfctr_ops.do_interrupt(regs)');
    const actions = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri: uri(file(rel)) }, range: { start: call, end: call }, context: { diagnostics: [] },
    });
    const quick = actions.filter((a) => a.kind === 'quickfix');
    assert.ok(quick.length >= 2, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(quick[0].isPreferred, true);
    assert.ok(quick.slice(1).every((a) => !a.isPreferred));
    assert.equal(quick[0].diagnostics?.[0].code, 'initdata-ops-used-at-runtime');
    const edits = quick[0].edit.changes[uri(file(rel))];
    const fixed = applyTextEdits(text, edits);
    assert.match(fixed, /return alternative_call\(perfctr_ops\.do_interrupt, regs\);/);
    // Sent as the editor would: one incremental change per edit, last first.
    for (const e of [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character)) {
      await client.edit(file(rel), e.range, e.newText);
    }
    const left = await client.diagnosticsOf(file(rel), 'one finding left', (d) => d.length === 1);
    assert.equal(left[0].range.start.line, positionOf(fixed, 'perfctr_ops.nr_counters').line);
    await client.close(file(rel));
  });

  test('source.fixAll.altcall: every preferred fix of the file in one edit', async () => {
    const rel = 'arch/x86/irqchip/probe.c';
    const text = read(rel);
    const actions = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri: uri(file(rel)) }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.altcall']);
    assert.match(applyTextEdits(text, actions[0].edit.changes[uri(file(rel))]), /struct irqchip_ops __alt_call_maybe_initdata irqchip;/);
    const none = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri: uri(file(rel)) }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['refactor'] },
    });
    assert.deepEqual(none, []);
  });

  test('a code action request overtaken by an edit is answered ContentModified', async () => {
    const rel = 'arch/x86/time.c';
    const text = await client.open(file(rel));
    const pos: Position = positionOf(text, 'tick_source)(void)');
    // A new attribute-like macro makes the server re-parse every file while handling the open:
    // the request and the edit queue up behind it, as they do behind any long analysis.
    const busy = file('include/xen/busy.h');
    void client.open(busy, '#define __busy_attr __attribute__((cold))\n');
    const pending = client.request('textDocument/codeAction', { textDocument: { uri: uri(file(rel)) }, range: { start: pos, end: pos }, context: { diagnostics: [] } });
    await client.edit(file(rel), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ' ');
    await assert.rejects(pending, (e: { code: number }) => e.code === -32801);
    await client.close(busy);
    await client.close(file(rel));
  });
});
