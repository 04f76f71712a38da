import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/out/engine/rules/edits';

const e = (start: number, end: number, newText: string, file = 'a.c') => ({ file, start, end, newText });

test('applyEdits applies edits in offset order, whatever order they come in', () => {
  assert.equal(applyEdits('static struct x y;', [e(17, 17, ' = {}'), e(7, 7, 'const ')]), 'static const struct x y = {};');
});

test('applyEdits: an insertion right before a replacement at the same offset', () => {
  assert.equal(applyEdits('abc', [e(1, 2, 'B'), e(1, 1, '+')]), 'a+Bc');
});

test('applyEdits: identical edits count once', () => {
  assert.equal(applyEdits('int __initdata x;', [e(4, 14, '__ro_after_init'), e(4, 14, '__ro_after_init')]), 'int __ro_after_init x;');
});

test('applyEdits refuses overlapping edits', () => {
  assert.throws(() => applyEdits('abcdef', [e(1, 4, 'X'), e(3, 5, 'Y')]), /overlap/);
});

test('applyEdits refuses two different insertions at one offset', () => {
  assert.throws(() => applyEdits('abc', [e(1, 1, 'X'), e(1, 1, 'Y')]), /overlap/);
});

test('applyEdits refuses edits outside the text or reversed', () => {
  assert.throws(() => applyEdits('abc', [e(2, 4, 'X')]), /outside/);
  assert.throws(() => applyEdits('abc', [e(2, 1, 'X')]), /outside/);
  assert.throws(() => applyEdits('abc', [e(-1, 0, 'X')]), /outside/);
});

test('applyEdits refuses edits for several files', () => {
  assert.throws(() => applyEdits('abc', [e(0, 0, 'X', 'a.c'), e(1, 1, 'Y', 'b.c')]), /several files/);
});

test('applyEdits with no edits returns the text', () => {
  assert.equal(applyEdits('abc', []), 'abc');
});
