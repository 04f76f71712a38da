import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { walkSources } from '../../server/out/engine/files/walk';
import { removeDir, tempDir, writeTree } from './tree';

const dirs: string[] = [];
after(() => dirs.forEach(removeDir));

/** A temporary tree holding `files`; returns its absolute root. */
function tree(files: Record<string, string>): string {
  const dir = tempDir();
  dirs.push(dir);
  return writeTree(dir, files);
}

/** Walks `root` and returns the files relative to it, '/'-separated. */
function walkRel(root: string, opts?: Parameters<typeof walkSources>[1]): string[] {
  const result = walkSources([root], opts);
  assert.deepEqual(result.problems, []);
  return result.files.map((f) => path.relative(root, f).split(path.sep).join('/'));
}

test('keeps .c and .h files, or the extensions asked for', () => {
  const root = tree({ 'a.c': '', 'b.h': '', 'c.txt': '', 'd.cpp': '', 'e.C': '', 'f.cc': '', 'sub/g.c': '' });
  assert.deepEqual(walkRel(root), ['a.c', 'b.h', 'sub/g.c']);
  assert.deepEqual(walkRel(root, { extensions: ['.txt', '.C'] }), ['c.txt', 'e.C']);
});

test('honours nested .gitignore files, with negation', () => {
  // Expected list checked against `git add -A && git ls-files` on the same tree.
  const root = tree({
    '.gitignore': '*.h\nbuild/\n/top-only.c\n',
    'a.c': '', 'a.h': '', 'top-only.c': '', 'local.c': '', 'build/x.c': '',
    'sub/.gitignore': '!keep.h\nlocal.c\n',
    'sub/keep.h': '', 'sub/other.h': '', 'sub/local.c': '', 'sub/top-only.c': '',
    'sub/deep/local.c': '', 'sub/deep/keep.h': '',
  });
  assert.deepEqual(walkRel(root), ['a.c', 'local.c', 'sub/deep/keep.h', 'sub/keep.h', 'sub/top-only.c']);
});

test('gitignore matching is case-sensitive, as git is by default', () => {
  const root = tree({ '.gitignore': 'Gen.c\n', 'Gen.c': '', 'gen.c': '' });
  assert.deepEqual(walkRel(root), ['gen.c']);
});

test('skips .git, whether a directory or a submodule\'s file', () => {
  const root = tree({ '.git/hooks/x.c': '', 'mod/.git': 'gitdir: ../.git/modules/mod\n', 'mod/m.c': '' });
  assert.deepEqual(walkRel(root), ['mod/m.c']);
});

test('exclude patterns apply to each root and beat .gitignore negations', () => {
  const files = {
    '.gitignore': '!keep.h\n',
    'arch/x86/a.c': '', 'arch/arm/b.c': '', 'tools/t.c': '', 'x.c': '', 'keep.h': '', 'lib/tools/u.c': '',
  };
  const one = tree(files);
  const two = tree(files);
  const result = walkSources([one, two], { exclude: ['arch/arm/', '/tools', '*.h'] });
  const expected = ['arch/x86/a.c', 'lib/tools/u.c', 'x.c'];
  assert.deepEqual(result.files, [...expected.map((f) => path.join(one, f)), ...expected.map((f) => path.join(two, f))]);
});

test('a file given directly is taken whatever its name, .gitignore or excludes', () => {
  const root = tree({ '.gitignore': '*.txt\n', 'notes.txt': '', 'a.c': '' });
  const result = walkSources([path.join(root, 'notes.txt')], { exclude: ['*.txt'] });
  assert.deepEqual(result.files, [path.join(root, 'notes.txt')]);
});

test('a directory named like a C file is walked, not listed', () => {
  const root = tree({ 'weird.c/inner.h': '', 'weird.c/notes.txt': '' });
  assert.deepEqual(walkRel(root), ['weird.c/inner.h']);
});

test('does not follow symlinks out of the root, nor list a file twice through one', () => {
  const outside = tree({ 'secret.c': '', 'lib/s.c': '' });
  const root = tree({ 'inside.c': '' });
  fs.symlinkSync(path.join(outside, 'secret.c'), path.join(root, 'link.c'));
  fs.symlinkSync(path.join(outside, 'lib'), path.join(root, 'lib'));
  fs.symlinkSync('inside.c', path.join(root, 'alias.c'));
  assert.deepEqual(walkRel(root), ['inside.c']);
});

test('symlink loops do not hang the walk', () => {
  const root = tree({ 'sub/x.c': '' });
  fs.symlinkSync('.', path.join(root, 'sub', 'self'));
  fs.symlinkSync('..', path.join(root, 'sub', 'up'));
  fs.symlinkSync('b.c', path.join(root, 'a.c'));
  fs.symlinkSync('a.c', path.join(root, 'b.c'));
  assert.deepEqual(walkRel(root), ['sub/x.c']);
});

test('a path that does not exist is a problem, and the other paths are still walked', () => {
  const root = tree({ 'a.c': '' });
  const missing = path.join(root, 'nope');
  const result = walkSources([missing, root]);
  assert.deepEqual(result.files, [path.join(root, 'a.c')]);
  assert.deepEqual(result.problems, [
    { path: missing, kind: 'missing', message: 'cannot read: no such file or directory (ENOENT)' },
  ]);
});

test('a root that is neither file nor directory is a problem', { skip: process.platform === 'win32' }, () => {
  const root = tree({});
  const fifo = path.join(root, 'pipe.c');
  execFileSync('mkfifo', [fifo]);
  const dangling = path.join(root, 'gone');
  fs.symlinkSync('nowhere', dangling);
  assert.deepEqual(walkSources([fifo, dangling]), {
    files: [],
    problems: [
      { path: fifo, kind: 'not-a-file', message: 'not a regular file or directory, skipped' },
      { path: dangling, kind: 'missing', message: 'cannot read: broken symbolic link (ENOENT)' },
    ],
    truncated: false,
  });
});

test('sorts by path within a root, roots in the order given, without duplicates', () => {
  const root = tree({ 'a.c': '', 'a/b.c': '', 'a/B.c': '', 'a-b.c': '', 'B.c': '', 'ab/c.c': '' });
  // Code-unit order of whole paths: 'B' < 'a', and '-' < '.' < '/' < 'b'.
  assert.deepEqual(walkRel(root), ['B.c', 'a-b.c', 'a.c', 'a/B.c', 'a/b.c', 'ab/c.c']);

  const other = tree({ 'z.c': '' });
  const result = walkSources([other, path.join(root, 'a'), root, path.join(root, 'a.c')]);
  assert.deepEqual(result.files, [
    path.join(other, 'z.c'),
    path.join(root, 'a/B.c'), path.join(root, 'a/b.c'),
    path.join(root, 'B.c'), path.join(root, 'a-b.c'), path.join(root, 'a.c'), path.join(root, 'ab/c.c'),
  ]);
});

test('paths keep the form of the root: relative stays relative, absolute stays absolute', () => {
  const root = tree({ 'arch/x86/foo.c': '' });
  const relative = path.relative(process.cwd(), root);
  assert.ok(!path.isAbsolute(relative));
  assert.deepEqual(walkSources([relative]).files, [`${relative}/arch/x86/foo.c`]);
  assert.deepEqual(walkSources([`./${relative}/`]).files, [`${relative}/arch/x86/foo.c`]);
  assert.deepEqual(walkSources([root]).files, [`${root}/arch/x86/foo.c`]);
});

test('maxFiles stops the walk with the first files in order and sets truncated', () => {
  const root = tree({ 'a.c': '', 'b/c.c': '', 'b/d.c': '', 'e.c': '' });
  const cut = walkSources([root, path.join(root, 'missing')], { maxFiles: 3 });
  assert.deepEqual(cut.files, ['a.c', 'b/c.c', 'b/d.c'].map((f) => path.join(root, f)));
  assert.equal(cut.truncated, true);
  const exact = walkSources([root], { maxFiles: 4 });
  assert.equal(exact.files.length, 4);
  assert.equal(exact.truncated, false);
});

test('walks a 1,500-file tree quickly', () => {
  const files: Record<string, string> = { '.gitignore': '*.o\n' };
  for (let d = 0; d < 50; d++) {
    files[`arch/d${d}/.gitignore`] = '!keep.o\ngen-*.c\n';
    for (let f = 0; f < 30; f++) files[`arch/d${d}/f${f}.c`] = '';
    files[`arch/d${d}/gen-x.c`] = '';
    files[`arch/d${d}/x.o`] = '';
  }
  const root = tree(files);
  const start = performance.now();
  const result = walkSources([root]);
  const ms = performance.now() - start;
  assert.equal(result.files.length, 1500);
  // Typically well under 100 ms; the bound only catches accidental quadratic work.
  assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
});
