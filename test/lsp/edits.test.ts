/**
 * The index follows what changes: unsaved edits (in the edited file and in
 * files that are not open), files changed on disk, settings and the config
 * file, all without restarting the server.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExampleTree, positionOf, TestClient, uri, type Diagnostic } from './client';

const codes = (list: Diagnostic[]) => list.map((d) => `${d.range.start.line + 1}:${d.code}`).sort();
const has = (rule: string, line?: number) => (list: Diagnostic[]) => list.some((d) => d.code === rule && (line === undefined || d.range.start.line + 1 === line));
const not = (check: (list: Diagnostic[]) => boolean) => (list: Diagnostic[]) => !check(list);

describe('edits, files and settings', () => {
  let root: string;
  let client: TestClient;
  const file = (rel: string) => path.join(root, 'xen', rel);
  const end = (text: string) => {
    const lines = text.split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
  };
  const probe = () => file('arch/x86/irqchip/probe.c');
  const watched = (changes: Array<{ file: string; type: 1 | 2 | 3 }>) =>
    client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map((c) => ({ uri: uri(c.file), type: c.type })) });

  before(async () => {
    root = copyExampleTree();
    client = await TestClient.start({ root, settings: { build: { kconfig: '.config' } } });
    await client.indexed();
  });
  after(() => client.kill());

  test('typing a runtime write adds write-after-patch and drops ops-missing-initdata; undoing it restores both', async () => {
    const time = file('arch/x86/time.c');
    const text = await client.open(time);
    const before = codes(client.diagnostics.get(uri(time))!);
    const at = end(text);
    const added = '\nvoid tick_reset(void)\n{\n    tick_source = pit_tick;\n}\n';
    await client.edit(time, { start: at, end: at }, added);
    const writeLine = at.line + 4;
    const edited = await client.diagnosticsOf(time, 'the new write-after-patch', has('write-after-patch', writeLine));
    assert.ok(!has('ops-missing-initdata')(edited), 'an unguarded runtime write keeps the object from being init data');
    const addedEnd = { line: at.line + 5, character: 0 };
    await client.edit(time, { start: at, end: addedEnd }, '');
    const restored = await client.diagnosticsOf(time, 'the original findings', not(has('write-after-patch', writeLine)));
    assert.deepEqual(codes(restored), before);
    await client.close(time);
  });

  test('an unsaved edit in one file changes the findings of another file that is not open', async () => {
    const smp = file('arch/x86/smp.c');
    const text = await client.open(smp);
    assert.ok(has('ops-missing-initdata', 6)(client.diagnostics.get(uri(probe()))!));
    const at = end(text);
    await client.edit(smp, { start: at, end: at }, '\nconst char *irqchip_mode(void)\n{\n    return irqchip.name;\n}\n');
    const kept = await client.diagnosticsOf(probe(), 'ops-kept-at-runtime', has('ops-kept-at-runtime', 6));
    assert.ok(!has('ops-missing-initdata')(kept));
    assert.ok(kept.find((d) => d.code === 'ops-kept-at-runtime')!.relatedInformation?.some((r) => r.location.uri === uri(smp)), 'the use is related information');
    // Closing without saving: the file on disk is what counts again.
    await client.close(smp);
    await client.diagnosticsOf(probe(), 'ops-missing-initdata again', has('ops-missing-initdata', 6));
  });

  test('watched files: a file created, changed and deleted outside the editor', async () => {
    const mode = file('arch/x86/irqchip/mode.c');
    fs.writeFileSync(mode, '#include <asm/irqchip.h>\nconst char *irqchip_mode(void) { return irqchip.name; }\n');
    await watched([{ file: mode, type: 1 }]);
    await client.diagnosticsOf(probe(), 'ops-kept-at-runtime after the creation', has('ops-kept-at-runtime', 6));
    fs.writeFileSync(mode, '#include <asm/irqchip.h>\nconst char *irqchip_mode(void) { return "?"; }\n');
    await watched([{ file: mode, type: 2 }]);
    await client.diagnosticsOf(probe(), 'ops-missing-initdata after the change', has('ops-missing-initdata', 6));
    fs.writeFileSync(mode, '#include <asm/irqchip.h>\nconst char *irqchip_mode(void) { return irqchip.name; }\n');
    await watched([{ file: mode, type: 2 }]);
    await client.diagnosticsOf(probe(), 'ops-kept-at-runtime again', has('ops-kept-at-runtime', 6));
    fs.rmSync(mode);
    await watched([{ file: mode, type: 3 }]);
    await client.diagnosticsOf(probe(), 'ops-missing-initdata after the deletion', has('ops-missing-initdata', 6));
  });

  test('watched files: a created file that .gitignore covers stays out of the index', async () => {
    fs.mkdirSync(file('arch/x86/scratch'));
    fs.writeFileSync(path.join(root, '.gitignore'), 'scratch/\n');
    const ignored = file('arch/x86/scratch/mode.c');
    fs.writeFileSync(ignored, '#include <asm/irqchip.h>\nconst char *irqchip_mode(void) { return irqchip.name; }\n');
    await watched([{ file: ignored, type: 1 }]);
    await client.quiet();
    assert.ok(has('ops-missing-initdata', 6)(client.diagnostics.get(uri(probe()))!));
    fs.rmSync(path.join(root, '.gitignore'));
    fs.rmSync(file('arch/x86/scratch'), { recursive: true });
  });

  test('settings: per-rule severity and turning a rule off apply without a restart', async () => {
    const ends = client.progress.filter((p) => p.value.kind === 'end').length;
    await client.setSettings({ build: { kconfig: '.config' }, rules: { 'ops-missing-initdata': 'off', 'write-after-patch': 'error' } });
    const time = await client.diagnosticsOf(file('arch/x86/time.c'), 'ops-missing-initdata off', not(has('ops-missing-initdata')));
    assert.deepEqual(time.filter((d) => d.code === 'write-after-patch').map((d) => d.severity), [1]);
    await client.diagnosticsOf(probe(), 'no finding left', (d) => d.length === 0);
    // Severities do not need a new index.
    assert.equal(client.progress.filter((p) => p.value.kind === 'end').length, ends);
    await client.setSettings({ build: { kconfig: '.config' } });
    await client.diagnosticsOf(probe(), 'ops-missing-initdata back', has('ops-missing-initdata', 6));
  });

  test('settings: the profile and build defines re-index the folder', async () => {
    const cluster = file('arch/x86/irqchip/cluster.c');
    const hooks = file('include/pol/hooks.h');
    const consoleLine = positionOf(fs.readFileSync(hooks, 'utf8'), 'POL_HOOK(int, console_io').line;
    const lensLines = async () => (await client.request<Array<{ range: { start: { line: number } } }>>('textDocument/codeLens', { textDocument: { uri: uri(hooks) } })).map((l) => l.range.start.line);
    assert.ok(!(await lensLines()).includes(consoleLine), 'CONFIG_POL_CONSOLE is off in .config');
    const ends = client.progress.filter((p) => p.value.kind === 'end').length;
    await client.setSettings({ build: { kconfig: '.config', defines: { CONFIG_POL_CONSOLE: 'y' } }, profile: 'xen-4.16' });
    await client.waitFor('a new index', () => client.progress.filter((p) => p.value.kind === 'end').length > ends);
    // 4.16 wants __initconstrel, which cluster.c has.
    await client.diagnosticsOf(cluster, 'no impl-table finding under 4.16', not(has('impl-table-not-initconstrel')));
    assert.ok((await lensLines()).includes(consoleLine), 'the define turned the console_io hook on');
    await client.setSettings({ build: { kconfig: '.config' } });
    await client.diagnosticsOf(cluster, 'the 4.21 finding back', has('impl-table-not-initconstrel'));
  });

  test('the config file altcall.json: honoured, its mistakes shown on it, and settings win over it', async () => {
    const config = path.join(root, 'altcall.json');
    const cluster = file('arch/x86/irqchip/cluster.c');
    fs.writeFileSync(config, JSON.stringify({ rules: { 'bad-suppression': 'off' } }));
    await watched([{ file: config, type: 1 }]);
    await client.diagnosticsOf(cluster, 'bad-suppression off by the config file', not(has('bad-suppression')));
    fs.writeFileSync(config, '{\n  "rulez": {}\n}\n');
    await watched([{ file: config, type: 2 }]);
    const mistakes = await client.diagnosticsOf(config, 'the config file\'s mistake', (d) => d.length > 0);
    assert.equal(mistakes[0].range.start.line, 1);
    assert.match(mistakes[0].message, /unknown key 'rulez'/);
    await client.diagnosticsOf(cluster, 'defaults while the config file is wrong', has('bad-suppression'));
    fs.writeFileSync(config, JSON.stringify({ rules: { 'bad-suppression': 'off' } }));
    await watched([{ file: config, type: 2 }]);
    await client.diagnosticsOf(config, 'the mistake cleared', (d) => d.length === 0);
    await client.diagnosticsOf(cluster, 'bad-suppression off again', not(has('bad-suppression')));
    await client.setSettings({ build: { kconfig: '.config' }, rules: { 'bad-suppression': 'hint' } });
    const hinted = await client.diagnosticsOf(cluster, 'the setting over the config file', has('bad-suppression'));
    assert.equal(hinted.find((d) => d.code === 'bad-suppression')!.severity, 4);
    fs.rmSync(config);
    await watched([{ file: config, type: 3 }]);
    await client.setSettings({ build: { kconfig: '.config' } });
  });

  test('bad settings are reported and replaced by defaults', async () => {
    await client.setSettings({ build: { kconfig: '.config' }, profile: 'xen-5.0', rules: { 'no-such-rule': 'error' }, maxFiles: -3 });
    for (const warning of [/altcall\.profile: must be one of/, /altcall\.rules\.no-such-rule: unknown key/, /altcall\.maxFiles: must be a positive integer/]) {
      await client.waitFor(`the warning ${warning}`, () => client.logs.some((l) => l.type === 2 && warning.test(l.message)));
    }
    await client.setSettings({ build: { kconfig: '.config' } });
    assert.ok(has('ops-missing-initdata', 6)(await client.diagnosticsOf(probe(), 'findings as before', has('ops-missing-initdata', 6))));
  });
});
