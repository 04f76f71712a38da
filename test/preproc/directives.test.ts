import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanDirectives } from '../../server/out/engine/preproc/directives';

test('finds directives only at the start of a logical line', () => {
  const src = [
    '#include <asm/pet.h>',
    '  # include "local.h" /* why */',
    'int a = b # c;',
    'x /* multi',
    '*/ #define NOT_A_DIRECTIVE',
    '/* lead */ #if defined(CONFIG_PET) && X > 2',
    '#endif',
  ].join('\n');
  const ds = scanDirectives(src);
  assert.deepEqual(ds.map((d) => d.kind), ['include', 'include', 'if', 'endif']);
  assert.deepEqual(ds.map((d) => d.line), [0, 1, 5, 6]);
  assert.equal(ds[0].path, 'asm/pet.h');
  assert.equal(ds[0].angled, true);
  assert.equal(ds[1].path, 'local.h');
  assert.equal(ds[1].angled, false);
  assert.equal(src.slice(ds[1].start, ds[1].end), '  # include "local.h" /* why */');
  assert.deepEqual(ds[2].condition!.map((t) => t.text), ['defined', '(', 'CONFIG_PET', ')', '&&', 'X', '>', '2']);
});

test('object-like and function-like defines, with continuations', () => {
  const src = [
    '#define EMPTY',
    '#define OBJ (1 + \\',
    '            2) // trailing',
    '#define FN(a, b) a ## b',
    '#define NOTFN (x) x',
    '#define VA(fmt, ...) f(fmt, __VA_ARGS__)',
    '#define GNU(ops, fn, args...) call(ops.fn, ## args)',
    '#define NOARGS() 0',
    'after',
  ].join('\n');
  const ds = scanDirectives(src);
  const m = ds.map((d) => d.macro!);
  assert.deepEqual(m.map((x) => x.name), ['EMPTY', 'OBJ', 'FN', 'NOTFN', 'VA', 'GNU', 'NOARGS']);
  assert.equal(m[0].params, null);
  assert.deepEqual(m[0].body, []);
  assert.deepEqual(m[1].body.map((t) => t.text), ['(', '1', '+', '2', ')']);
  assert.equal(src.slice(ds[1].start, ds[1].end), '#define OBJ (1 + \\\n            2) // trailing');
  assert.equal(m[1].line, 1);
  assert.equal(src.slice(m[1].nameStart, m[1].nameStart + 3), 'OBJ');
  assert.deepEqual(m[2].params, ['a', 'b']);
  assert.equal(m[2].variadic, null);
  assert.equal(m[3].params, null);
  assert.deepEqual(m[3].body.map((t) => t.text), ['(', 'x', ')', 'x']);
  assert.deepEqual(m[4].params, ['fmt', '__VA_ARGS__']);
  assert.equal(m[4].variadic, '__VA_ARGS__');
  assert.deepEqual(m[5].params, ['ops', 'fn', 'args']);
  assert.equal(m[5].variadic, 'args');
  assert.deepEqual(m[6].params, []);
  assert.deepEqual(m[6].body.map((t) => t.text), ['0']);
});

test('malformed and other directives', () => {
  const src = [
    '#define 3 x',
    '#define BAD(a, ) a',
    '#undef OBJ',
    '#ifdef CONFIG_A',
    '#elifdef CONFIG_B',
    '#elifndef CONFIG_C',
    '#else',
    '#endif /* CONFIG_A */',
    '#',
    '#error stop "it" don\'t',
    '#pragma once',
    '#include_next <x.h>',
    '#include MACRO_PATH(y)',
    '#warning hmm',
  ].join('\n');
  const ds = scanDirectives(src);
  assert.deepEqual(
    ds.map((d) => d.kind),
    ['other', 'other', 'undef', 'ifdef', 'elif', 'elif', 'else', 'endif', 'other', 'error', 'pragma', 'include', 'include', 'other'],
  );
  assert.equal(ds[2].macroName, 'OBJ');
  assert.deepEqual(ds[3].condition!.map((t) => t.text), ['CONFIG_A']);
  assert.deepEqual(ds[4].condition!.map((t) => t.text), ['defined', 'CONFIG_B']);
  assert.deepEqual(ds[5].condition!.map((t) => t.text), ['!', 'defined', 'CONFIG_C']);
  assert.equal(ds[8].name, '');
  assert.equal(ds[11].name, 'include_next');
  assert.equal(ds[11].path, 'x.h');
  assert.equal(ds[12].computed, true);
  assert.equal(ds[13].name, 'warning');
});

test('a directive line ends after a comment that spans lines', () => {
  const src = '#define A 1 /* one\n two */\nint z;\n#endif';
  const ds = scanDirectives(src);
  assert.equal(ds.length, 2);
  assert.equal(src.slice(ds[0].start, ds[0].end), '#define A 1 /* one\n two */');
  assert.equal(ds[1].line, 3);
});
