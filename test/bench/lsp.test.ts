/**
 * The language server bench: where it edits (sites at statement starts,
 * wrapper macros in headers, the generated tree's 5,000-line file), edits
 * that undo each other, and a whole run on a small generated tree in which
 * every edit is answered with diagnostics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { profile } from '../../server/out/engine/config/profiles';
import { generateTree } from '../../server/out/bench/tree';
import { ensureTree } from '../../server/out/bench/treeCache';
import { EDITED_FILE_LINES, findTargets, statementSites, wrapperDefinitions } from '../../server/out/bench/lspTargets';
import { percentile, sameFileEdits, wrapperEdits, type Edit } from '../../server/out/bench/lspEdits';
import type { LspRun } from '../../server/out/bench/lspRun';
import { serverOut } from '../helpers/paths';

const macros = profile().names.siteMacros;

function applyEdit(text: string, e: Edit): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(0, offset(e.range.start)) + e.text + text.slice(offset(e.range.end));
}

const SOURCE = [
  'static int f(struct vcpu *v)',
  '{',
  '    int rc = alternative_call(foo_ops.get, v, g(v, 1), "a,b");',
  '    if ( rc )',
  '        alternative_vcall(foo_ops.put, v);',
  '    rc = h(1,',
  '           alternative_call(foo_ops.get, v));',
  '    alternative_vcall(p->fn, v);',
  '    alternative_vcall(tbl[i].fn);',
  '    alternative_vcall(lone);',
  '    return rc;',
  '}',
  '#define LOCAL_CALL(x) \\',
  '    alternative_call(foo_ops.get, x)',
].join('\n');

test('sites at the start of a statement in a body, through a plain target, become direct calls', () => {
  const sites = statementSites(SOURCE, macros);
  assert.deepEqual(sites.map((s) => [s.line, s.indent.length, s.directCall]), [
    [2, 4, 'foo_ops.get(v, g(v, 1), "a,b")'],
    [4, 8, 'foo_ops.put(v)'],
    [9, 4, 'lone()'],
  ]);
});

test('wrapper macros: function-like defines whose body calls a site macro, not the site macros themselves', () => {
  const header = [
    '#define foo_call(fn, args...)  alternative_call(foo_ops.fn, ## args)',
    '# define foo_vcall(ops, fn, args...) ({ \\',
    '    ASSERT((ops) == &foo_ops);           \\',
    '    alternative_vcall(foo_ops.fn, ## args); \\',
    '})',
    '#define FOO_ALT_void alternative_vcall',
    '#define alternative_call(func, args...) (func)(args)',
    '#define not_a_wrapper(x) \\',
    '    (x + 1)',
    'int alternative_call_count(void);',
  ].join('\n');
  assert.deepEqual(wrapperDefinitions(header, macros), [
    { macro: 'foo_call', siteMacro: 'alternative_call', line: 0, character: 48 },
    { macro: 'foo_vcall', siteMacro: 'alternative_vcall', line: 3, character: 22 },
  ]);
});

test('each edit is undone by the next', () => {
  const sites = statementSites(SOURCE, macros);
  let text = SOURCE;
  const edits = sameFileEdits({ file: 'f.c', lines: 14, sites }, 6);
  for (const [k, e] of edits.entries()) {
    text = applyEdit(text, e);
    if (k % 2 === 0) assert.ok(text.includes(`\n${sites[k / 2].indent}${sites[k / 2].directCall};\n`), text);
    else assert.equal(text, SOURCE);
  }
  const header = '#define foo_call(fn, args...)  alternative_call( foo_ops.fn, ## args)\n';
  const [w] = wrapperDefinitions(header, macros);
  const [through, back] = wrapperEdits({ file: 'foo.h', users: 1, ...w }, 2);
  const edited = applyEdit(header, through);
  assert.match(edited, /alternative_call\( \w+->foo_ops\.fn, ## args\)/);
  assert.equal(applyEdit(edited, back), header);
});

test('percentiles by nearest rank', () => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 95), 95);
  assert.equal(percentile([7], 95), 7);
});

test('the generated tree has a 5,000-line source file with sites, and a wrapper used across files', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-lsp-targets-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tree = generateTree({ files: 160, bytes: 1_600_000, seed: 7 });
  for (const [rel, text] of tree.files) {
    fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const { sameFile, wrapper } = findTargets(dir);
  assert.ok(sameFile, 'a file to edit');
  assert.ok(Math.abs(sameFile.lines - EDITED_FILE_LINES) < EDITED_FILE_LINES * 0.1, `${sameFile.lines} lines`);
  const rel = path.relative(dir, sameFile.file).split(path.sep).join('/');
  const planted = tree.manifest.sites.filter((s) => s.file === rel);
  assert.ok(planted.length >= sameFile.sites.length && sameFile.sites.length >= 5, `${sameFile.sites.length} of ${planted.length} sites`);
  assert.ok(sameFile.sites.every((s) => planted.some((p) => s.directCall.startsWith(`${p.ops}.${p.member}(`))));
  assert.ok(wrapper && wrapper.file.endsWith('.h') && wrapper.users >= 2, JSON.stringify(wrapper));
});

test('a run on a small tree times every edit and reads the server memory', async (t) => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-lsp-run-')), 'tree');
  t.after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));
  ensureTree(dir, { files: 60, bytes: 400_000, seed: 3 });
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(serverOut, 'bench', 'lspRun.js'), dir, 'native'], { maxBuffer: 1 << 20 });
  const run = JSON.parse(stdout) as LspRun;
  assert.deepEqual(run.notes, []);
  assert.ok(run.indexMs > 0 && run.firstDiagnosticsMs! >= run.indexMs, JSON.stringify(run));
  assert.equal(run.sameFile?.answered, 100);
  assert.equal(run.sameFile?.sent, 100);
  assert.ok(run.sameFile!.p50Ms! <= run.sameFile!.p95Ms! && run.sameFile!.p95Ms! <= run.sameFile!.maxMs!);
  assert.equal(run.wrapper?.answered, run.wrapper?.sent);
  assert.ok(run.wrapper!.filesPerEdit! >= 1);
  if (process.platform === 'linux') assert.ok(run.rssBytes! > 10e6 && run.peakRssBytes! >= run.rssBytes!, JSON.stringify(run));
});
