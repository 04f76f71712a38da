import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type FileProblem, type SourceText, isProblem, readSource } from '../../server/out/engine/files/read';
import { removeDir, tempDir, writeTree } from './tree';

const dir = tempDir();
after(() => removeDir(dir));
const at = (rel: string): string => path.join(dir, rel);

function text(file: string, opts?: { maxBytes?: number }): SourceText {
  const r = readSource(file, opts);
  if (isProblem(r)) assert.fail(`unexpected problem: ${r.message}`);
  return r;
}

function problem(file: string, opts?: { maxBytes?: number }): FileProblem {
  const r = readSource(file, opts);
  if (!isProblem(r)) assert.fail(`expected a problem, read ${r.bytes} bytes`);
  assert.equal(r.path, file);
  return r;
}

writeTree(dir, {
  'plain.c': 'int x;\n',
  'bom.c': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('int y;\n')]),
  'crlf.c': 'int a;\r\nint b;\r\n',
  'object.c': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x00, 0x01]),
  'latin1.c': Buffer.from([0x2f, 0x2a, 0x0a, 0x0a, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]), // "/*\n\n Caf\xe9\n"
  'utf8.c': '/* Café € */\n',
  'two-k.c': 'x'.repeat(2000),
  'dir.c/inner.h': '',
});

test('reads a plain file', () => {
  assert.deepEqual(readSource(at('plain.c')), { path: at('plain.c'), text: 'int x;\n', bytes: 7 });
  assert.equal(text(at('utf8.c')).text, '/* Café € */\n');
});

test('removes a UTF-8 BOM from the text but counts it in bytes', () => {
  const r = text(at('bom.c'));
  assert.equal(r.text, 'int y;\n');
  assert.equal(r.bytes, 10);
});

test('keeps CRLF line endings', () => {
  assert.equal(text(at('crlf.c')).text, 'int a;\r\nint b;\r\n');
});

test('a file with a NUL byte is binary', () => {
  const p = problem(at('object.c'));
  assert.equal(p.kind, 'binary');
  assert.equal(p.message, 'binary file (NUL byte at offset 5), skipped');
});

test('invalid UTF-8 says where the first bad byte is', () => {
  const p = problem(at('latin1.c'));
  assert.equal(p.kind, 'encoding');
  assert.equal(p.message, 'not valid UTF-8 (first bad byte at offset 8, line 3), skipped');
});

test('a file over the limit is not read', () => {
  const p = problem(at('two-k.c'), { maxBytes: 1000 });
  assert.equal(p.kind, 'too-large');
  assert.equal(p.message, 'file is 2 KB, over the 1000 bytes limit, skipped');
  assert.equal(text(at('two-k.c'), { maxBytes: 2000 }).bytes, 2000, 'a file exactly at the limit is read');
});

test('the default limit is 16 MiB', () => {
  // Sparse: 17.5 MiB on paper, nothing on disk, and never read.
  const big = at('big.c');
  fs.writeFileSync(big, '');
  fs.truncateSync(big, 17.5 * 1024 * 1024);
  assert.equal(problem(big).message, 'file is 17.5 MB, over the 16 MB limit, skipped');
  fs.truncateSync(big, 16 * 1024 * 1024);
  assert.equal(problem(big).kind, 'binary', 'at the limit it is read (and is all NULs)');
});

test('a directory is not a file, even when named like one', () => {
  const p = problem(at('dir.c'));
  assert.equal(p.kind, 'not-a-file');
  assert.equal(p.message, 'a directory, skipped');
});

test('a missing file is a problem, not a throw', () => {
  const p = problem(at('nope.c'));
  assert.equal(p.kind, 'missing');
  assert.equal(p.message, 'cannot read: no such file or directory (ENOENT)');
});

test('a dangling symlink says so', () => {
  fs.symlinkSync('gone.c', at('dangling.c'));
  const p = problem(at('dangling.c'));
  assert.equal(p.kind, 'missing');
  assert.equal(p.message, 'cannot read: broken symbolic link (ENOENT)');
});

test('a symlink loop is unreadable', () => {
  fs.symlinkSync('loop-b.c', at('loop-a.c'));
  fs.symlinkSync('loop-a.c', at('loop-b.c'));
  const p = problem(at('loop-a.c'));
  assert.equal(p.kind, 'unreadable');
  assert.equal(p.message, 'cannot read: too many levels of symbolic links (ELOOP)');
});

test('a FIFO is refused without blocking', { skip: process.platform === 'win32' }, () => {
  execFileSync('mkfifo', [at('pipe.c')]);
  const p = problem(at('pipe.c'));
  assert.equal(p.kind, 'not-a-file');
  assert.equal(p.message, 'not a regular file, skipped');
});
