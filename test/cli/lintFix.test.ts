/**
 * `--fix`: what it writes, that a second run changes nothing, and how it
 * writes (atomically, keeping mode, BOM and line endings, never over a file
 * that changed since it was read), plus how fixes that overlap are chosen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFixes } from '../../server/out/cli/lintFix';
import { planFixes } from '../../server/out/engine/rules/edits';
import type { Finding, TextEdit } from '../../server/out/engine/rules/types';
import { fixturesDir } from '../helpers/paths';
import { lint, basicDir, copyOf, markedFindings, tempDir } from './lintSupport';

const FIXED_RULES = ['ops-missing-initdata', 'impl-table-not-initconstrel'];

function snapshot(dir: string): Map<string, { text: Buffer; ino: number; mtimeMs: number }> {
  const out = new Map<string, { text: Buffer; ino: number; mtimeMs: number }>();
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath ?? e.path, e.name);
    const st = fs.statSync(p);
    out.set(path.relative(dir, p), { text: fs.readFileSync(p), ino: st.ino, mtimeMs: st.mtimeMs });
  }
  return out;
}

test('--fix applies the preferred fixes, reports what remains, and a second --fix changes nothing', () => {
  const dir = copyOf(basicDir);
  const before = fs.readFileSync(path.join(dir, 'timer.c'), 'utf8');
  const r = lint([dir, '--fix', '--format', 'json']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /altcall-lint: fixed 2 findings in 1 file\n/);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.fix, { fixed: 2, files: [path.join(dir, 'timer.c')], skipped: [], untouched: [] });
  const remaining = markedFindings(basicDir).filter((m) => !FIXED_RULES.includes(m.split(' ')[1]));
  assert.deepEqual(j.findings.map((f: { file: string; line: number; rule: string }) => `${path.relative(dir, f.file)}:${f.line} ${f.rule}`).sort(), remaining);

  const after = fs.readFileSync(path.join(dir, 'timer.c'), 'utf8');
  const expected = before
    .replace('static struct timer_ops hpet_ops', 'static const struct timer_ops __initconst_cf_clobber hpet_ops')
    .replace('static struct timer_ops __ro_after_init timer_ops', 'static struct timer_ops __alt_call_maybe_initdata timer_ops');
  assert.notEqual(expected, before);
  assert.equal(after, expected);

  const settled = snapshot(dir);
  const again = lint([dir, '--fix', '--format', 'json']);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /fixed 0 findings in 0 files/);
  assert.deepEqual(JSON.parse(again.stdout).findings, j.findings);
  assert.deepEqual(snapshot(dir), settled, 'no file rewritten');
});

test('a second --fix changes nothing on the example tree either', () => {
  const dir = copyOf(path.join(fixturesDir, 'xen'));
  const first = lint([dir, '--fix', '--kconfig', path.join(dir, '.config')]);
  assert.match(first.stderr, /fixed [1-9]\d* findings in [1-9]\d* files/);
  const settled = snapshot(dir);
  const second = lint([dir, '--fix', '--kconfig', path.join(dir, '.config')]);
  assert.match(second.stderr, /fixed 0 findings in 0 files/);
  assert.equal(second.stdout, first.stdout);
  assert.deepEqual(snapshot(dir), settled);
});

test('fixed files are replaced by rename, keeping their mode, BOM and CRLF line endings, with no temporary file left', () => {
  const dir = copyOf(basicDir);
  const timer = path.join(dir, 'timer.c');
  const original = fs.readFileSync(timer, 'utf8');
  fs.writeFileSync(timer, '\uFEFF' + original.replace(/\n/g, '\r\n'));
  fs.chmodSync(timer, 0o640);
  const inode = fs.statSync(timer).ino;
  // A process that opened the file before the fix keeps reading the old text.
  const reader = fs.openSync(timer, 'r');
  const r = lint([dir, '--fix']);
  assert.match(r.stderr, /fixed 2 findings in 1 file/, r.stderr);
  const st = fs.statSync(timer);
  assert.equal(st.mode & 0o777, 0o640);
  assert.notEqual(st.ino, inode, 'a new file was renamed over the old one');
  const buf = Buffer.alloc(3);
  fs.readSync(reader, buf, 0, 3, 0);
  fs.closeSync(reader);
  assert.deepEqual([...buf], [0xef, 0xbb, 0xbf]);
  const text = fs.readFileSync(timer, 'utf8');
  assert.ok(text.startsWith('\uFEFF'));
  assert.equal(text.split('\n').length, original.split('\n').length);
  assert.ok(text.split('\n').slice(0, -1).every((l) => l.endsWith('\r')), 'CRLF kept on every line');
  assert.match(text, /__alt_call_maybe_initdata timer_ops/);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('.')), []);
});

test('a symlink given on the command line stays a symlink; the file it points to is fixed', () => {
  const dir = copyOf(basicDir);
  const link = path.join(tempDir(), 'timer-link.c');
  fs.symlinkSync(path.join(dir, 'timer.c'), link);
  const r = lint([link, '--fix']);
  assert.match(r.stderr, /fixed 2 findings in 1 file/, r.stderr);
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.match(fs.readFileSync(path.join(dir, 'timer.c'), 'utf8'), /__alt_call_maybe_initdata timer_ops/);
});

const edit = (file: string, start: number, end: number, newText: string): TextEdit => ({ file, start, end, newText });
const finding = (rule: string, ...edits: TextEdit[]): Finding => ({
  rule, severity: 'warning', file: edits[0].file, span: { start: edits[0].start, end: edits[0].end, line: 0, col: edits[0].start }, message: rule, related: [],
  fixes: [{ title: 'other', edits: [edit(edits[0].file, 0, 0, 'NOT PREFERRED')], preferred: false }, { title: rule, edits, preferred: true }],
});

test('a file that changed on disk since it was read is not touched', () => {
  const dir = tempDir();
  const file = path.join(dir, 'a.c');
  const linted = 'int a __read_mostly;\n';
  const plan = planFixes([finding('r', edit(file, 6, 19, '__ro_after_init'))]);
  fs.writeFileSync(file, 'int a __read_mostly; /* edited meanwhile */\n');
  const inode = fs.statSync(file).ino;
  const out = writeFixes(plan, () => linted);
  assert.deepEqual(out.written, []);
  assert.deepEqual(out.untouched.map((u) => [u.file, u.kind]), [[file, 'changed']]);
  assert.match(out.untouched[0].reason, /changed on disk since it was read/);
  assert.equal(fs.readFileSync(file, 'utf8'), 'int a __read_mostly; /* edited meanwhile */\n');
  assert.equal(fs.statSync(file).ino, inode);

  // Unchanged since read: written.
  fs.writeFileSync(file, linted);
  assert.deepEqual(writeFixes(plan, () => linted).written, [file]);
  assert.equal(fs.readFileSync(file, 'utf8'), 'int a __ro_after_init;\n');
  assert.deepEqual(fs.readdirSync(dir), ['a.c']);
});

test('a file that cannot be written is left as it was and reported as an I/O failure', () => {
  const dir = tempDir();
  const file = path.join(dir, 'a.c');
  const linted = 'int a __read_mostly;\n';
  fs.writeFileSync(file, linted);
  // The temporary file's name is taken (by this very process's id): the write must fail, and remove nothing.
  const squatter = path.join(dir, `.a.c.altcall-fix-${process.pid}.tmp`);
  fs.writeFileSync(squatter, 'not ours');
  const out = writeFixes(planFixes([finding('r', edit(file, 6, 19, '__ro_after_init'))]), () => linted);
  assert.deepEqual(out.written, []);
  assert.deepEqual(out.untouched.map((u) => [u.file, u.kind]), [[file, 'io']]);
  assert.match(out.untouched[0].reason, /cannot write the fixed file: .*EEXIST/);
  assert.equal(fs.readFileSync(file, 'utf8'), linted);
  assert.equal(fs.readFileSync(squatter, 'utf8'), 'not ours');
});

test('overlapping fixes: the first is kept, the others skipped; identical edits merge; each file gets its own edits', () => {
  const a = '/t/a.c';
  const b = '/t/b.c';
  const first = finding('first', edit(a, 5, 10, 'X'));
  const overlapping = finding('overlapping', edit(a, 8, 12, 'Y'));
  const same = finding('same', edit(a, 5, 10, 'X'), edit(a, 20, 20, 'Z'));
  const touching = finding('touching', edit(a, 10, 14, 'W'));
  const insert = finding('insert', edit(a, 30, 30, 'I'));
  const insertToo = finding('insert-too', edit(a, 30, 30, 'J'));
  const split = finding('split', edit(a, 40, 41, ''), edit(b, 0, 0, 'B'));
  const insideInsert = finding('inside', edit(a, 40, 40, 'K'), edit(a, 50, 50, 'L'));
  const selfOverlap = finding('self', edit(a, 60, 65, 'S'), edit(a, 62, 63, 'T'));
  const noFix: Finding = { ...first, rule: 'none', fixes: [] };
  const plan = planFixes([first, overlapping, same, touching, insert, insertToo, split, noFix, insideInsert, selfOverlap]);
  assert.deepEqual(plan.skipped.map((f) => f.rule), ['overlapping', 'insert-too', 'self']);
  assert.deepEqual(plan.edits.get(a), [edit(a, 5, 10, 'X'), edit(a, 5, 10, 'X'), edit(a, 20, 20, 'Z'), edit(a, 10, 14, 'W'), edit(a, 30, 30, 'I'), edit(a, 40, 41, ''), edit(a, 40, 40, 'K'), edit(a, 50, 50, 'L')]);
  assert.deepEqual(plan.edits.get(b), [edit(b, 0, 0, 'B')]);
  assert.deepEqual(plan.fixed.get(a)!.map((f) => f.rule), ['first', 'same', 'touching', 'insert', 'split', 'inside']);
  assert.deepEqual(plan.fixed.get(b)!.map((f) => f.rule), ['split']);
});
