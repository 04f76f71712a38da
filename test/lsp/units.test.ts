/** The server's pure parts: settings, positions, what is under the cursor. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings } from '../../server/out/lsp/settings';
import { TextPositions } from '../../server/out/lsp/positions';
import { memberPath, wordAt } from '../../server/out/lsp/lookup';
import { ibtFor } from '../../server/out/engine/config/ibt';
import { profile } from '../../server/out/engine/config/profiles';
import { configFromKconfig } from '../../server/out/engine/preproc/conditions';
import { AnalysisSession } from '../../server/out/engine/session';
import { indexFiles } from '../../server/out/lsp/indexer';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

test('settings: defaults defer to the config file; both exclude shapes; Kconfig-style defines', () => {
  const none = readSettings(undefined);
  assert.deepEqual([none.settings.profile, none.settings.ibt, none.settings.maxFiles, none.settings.build.kconfig], [null, null, null, null]);
  const r = readSettings({
    profile: 'xen-4.18', ibt: false, exclude: { 'tools/': true, 'docs/': false }, build: { kconfig: 'xen/.config', defines: { CONFIG_A: true, CONFIG_B: 'm' } },
    rules: { 'write-after-patch': 'off' }, names: { patchRoutine: 'my_patch' }, parser: 'wasm', maxFiles: 10, trace: { server: 'verbose' },
  });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.settings, {
    profile: 'xen-4.18', ibt: false, exclude: ['tools/'], build: { kconfig: 'xen/.config', defines: { CONFIG_A: 'y', CONFIG_B: 'm' } },
    rules: { 'write-after-patch': 'off' }, names: { patchRoutine: 'my_patch' }, parser: 'wasm', maxFiles: 10, trace: { server: 'verbose' },
  });
  assert.deepEqual(readSettings({ exclude: ['a/', 'b/*.c'] }).settings.exclude, ['a/', 'b/*.c']);
});

test('settings: each bad value is named and replaced by its default', () => {
  const r = readSettings({ profile: 'xen-4.2', ibt: 'yes', rules: { 'write-after-patch': 'loud' }, names: { patchRoutine: 'not an identifier' }, parser: 'gcc', build: { defines: { '1X': 'y' } }, maxFiles: 2.5, trace: { server: 'all' } });
  assert.equal(r.problems.length, 8, r.problems.join('\n'));
  for (const key of ['profile', 'ibt', 'rules.write-after-patch', 'names.patchRoutine', 'parser', 'build.defines.1X', 'maxFiles', 'trace.server']) {
    assert.ok(r.problems.some((p) => p.startsWith(`altcall.${key}: `)), key);
  }
  assert.deepEqual(r.settings, readSettings({}).settings);
  assert.deepEqual(readSettings('xen-4.16').problems, ['altcall: settings must be an object']);
});

test('positions count UTF-16 code units, treat CRLF as a line break, and clamp', () => {
  const text = 'a\u{1F600}b\r\nxy\n';
  const p = new TextPositions(text);
  assert.deepEqual(p.position(text.indexOf('b')), { line: 0, character: 3 });
  assert.deepEqual(p.position(text.indexOf('y')), { line: 1, character: 1 });
  assert.equal(p.offset({ line: 1, character: 1 }), text.indexOf('y'));
  assert.equal(p.offset({ line: 1, character: 99 }), text.indexOf('y') + 1);
  assert.equal(p.offset({ line: 9, character: 0 }), text.length);
});

test('the word and the member path under the cursor', () => {
  const text = 'x = gvirt_funcs . nested.vcpu_init(v); p->ops.fn(); 3abc';
  const w = wordAt(text, text.indexOf('vcpu_init') + 2)!;
  assert.equal(w.text, 'vcpu_init');
  assert.deepEqual(memberPath(text, w), ['gvirt_funcs', 'nested', 'vcpu_init']);
  assert.deepEqual(memberPath(text, wordAt(text, text.indexOf('fn'))!), ['ops', 'fn']);
  assert.equal(wordAt(text, text.indexOf('(v)'))!.text, 'vcpu_init', 'a cursor right after a word is on it');
  assert.equal(wordAt(text, text.indexOf('=')), null);
  assert.equal(wordAt(text, text.indexOf('3abc') + 1), null);
});

test('IBT in previews: the setting, else CONFIG_XEN_IBT, else on; never where the profile\'s Xen has none', () => {
  const withIbt = profile('xen-4.21');
  const known = (value: string) => configFromKconfig(value);
  assert.equal(ibtFor(withIbt, known('CONFIG_XEN_IBT=y\n'), null), true);
  assert.equal(ibtFor(withIbt, known('# CONFIG_XEN_IBT is not set\n'), null), false);
  assert.equal(ibtFor(withIbt, known(''), null), true);
  assert.equal(ibtFor(withIbt, known('CONFIG_XEN_IBT=y\n'), false), false);
  assert.equal(ibtFor(profile('xen-4.16'), known(''), true), false);
});

test('background indexing ends when files of another architecture are among those offered', async () => {
  const session = await AnalysisSession.create();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'altcall-index-'));
  const files = ['xen/arch/arm/a.c', 'xen/common/b.c', 'xen/arch/arm/c.c'].map((rel) => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'int x;\n');
    return file;
  });
  const quiet = { error() {}, warn() {}, info() {}, debug() {} } as unknown as Parameters<typeof indexFiles>[2];
  const outcome = await Promise.race([
    indexFiles(session, { files, maxFileSize: 1e6, isOpen: () => false, cancelled: () => false, progress() {} }, quiet),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000)),
  ]);
  assert.ok(outcome, 'indexing did not end');
  assert.deepEqual([outcome.indexed, session.has(files[1]), session.has(files[0])], [3, true, false]);
});

test('a big folder (on worker threads when there are two cores or more) is indexed with progress, and can be cancelled', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'altcall-threads-'));
  const files = Array.from({ length: 200 }, (_, i) => {
    const file = path.join(dir, `f${i}.c`);
    // 5 KB each: the threads are handed work in batches of some 256 KB, and cancelling stops between batches.
    fs.writeFileSync(file, `/* ${'x'.repeat(5000)} */\nstruct o${i} { void (*f)(void); };\nstatic struct o${i} ops${i};\nvoid g${i}(void) { alternative_vcall(ops${i}.f); }\n`);
    return file;
  });
  const quiet = { error() {}, warn() {}, info() {}, debug() {} } as unknown as Parameters<typeof indexFiles>[2];
  const session = await AnalysisSession.create();
  const seen: number[] = [];
  const outcome = await indexFiles(session, { files, maxFileSize: 1e6, isOpen: (f) => f === files[0], cancelled: () => false, progress: (phase, done) => phase === 'parsing' && seen.push(done) }, quiet);
  assert.deepEqual([outcome.indexed, outcome.cancelled, seen[seen.length - 1]], [200, false, 200]);
  assert.equal(session.result().sites.length, 199, 'every file but the open one');

  let asked = 0;
  const cancelled = await indexFiles(await AnalysisSession.create(), { files, maxFileSize: 1e6, isOpen: () => false, cancelled: () => ++asked > 205, progress() {} }, quiet);
  assert.equal(cancelled.cancelled, true);
  assert.ok(cancelled.indexed < 200, `${cancelled.indexed} files indexed`);
});
