import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldFact, StructFact, TypedefFact } from '../../server/out/engine/facts/types';
import { layoutStruct, memberOffset } from '../../server/out/patch';
import { TypeResolver } from '../../server/out/preview/ctypes';

const span = { start: 0, end: 0, line: 0, col: 0 };
const field = (name: string, typeText: string, more: Partial<FieldFact> = {}): FieldFact => ({
  name, start: 0, typeText, isPointer: false, isFunctionPointer: false, arrayLength: null, structName: null, ...more,
});
const struct = (name: string, fields: FieldFact[], isUnion = false): [string, StructFact] => [name, { name, span, fields, isUnion, bodyStart: 0, bodyEnd: 0 }];

const TYPEDEFS: TypedefFact[] = [
  { name: 'hook_t', structName: null, isFunctionPointer: true, isPointer: true, typeText: 'void' },
  { name: 'mfn_t', structName: 'mfn', isFunctionPointer: false, isPointer: false, typeText: 'struct mfn' },
  { name: 'paddr_t', structName: null, isFunctionPointer: false, isPointer: false, typeText: 'u64' },
  { name: 'bool_t', structName: null, isFunctionPointer: false, isPointer: false, typeText: 'char' },
  { name: 'opaque_t', structName: null, isFunctionPointer: false, isPointer: false, typeText: 'some_unknown_t' },
];

test('C type names map to their LP64 sizes', () => {
  const t = new TypeResolver(new Map(), TYPEDEFS);
  const size = (text: string) => {
    const c = t.named(text);
    return c.kind === 'int' ? c.size : c.kind;
  };
  assert.equal(size('unsigned long'), 8);
  assert.equal(size('long long unsigned int'), 8);
  assert.equal(size('short int'), 2);
  assert.equal(size('unsigned'), 4);
  assert.equal(size('signed char'), 'char');
  assert.equal(size('volatile uint16_t'), 2);
  assert.equal(size('u64'), 8);
  assert.equal(size('size_t'), 8);
  assert.equal(size('_Bool'), 'bool');
  assert.equal(size('enum x86_segment'), 4);
  assert.equal(size('hook_t'), 'function-pointer');
  assert.deepEqual(t.named('mfn_t'), { kind: 'struct', name: 'mfn' });
  // Integer typedefs resolve through what they alias; an alias of something unknown is reported, not guessed.
  assert.equal(size('paddr_t'), 8);
  assert.equal(size('bool_t'), 'char');
  assert.deepEqual(t.named('opaque_t'), { kind: 'unknown', text: 'opaque_t' });
  assert.deepEqual(t.named('long double'), { kind: 'unknown', text: 'long double' });
  assert.deepEqual(t.named('void'), { kind: 'unknown', text: 'void' });
});

test('fields: pointers, arrays with numeric lengths, nested structs and unions', () => {
  const structs = new Map([
    struct('ops', [
      field('name', 'char', { isPointer: true }),
      field('flags', 'uint8_t', { arrayLength: '3' }),
      field('u', 'union { int i; long l; }', { structName: 'anon-u' }),
      field('hooks', 'void', { isPointer: true, isFunctionPointer: true, arrayLength: '0x2' }),
      field('inner', 'struct inner', { structName: 'inner' }),
      field('fn', 'int', { isPointer: true, isFunctionPointer: true }),
    ]),
    struct('anon-u', [field('i', 'int'), field('l', 'long')], true),
    struct('inner', [field('c', 'char'), field('g', 'int', { isPointer: true, isFunctionPointer: true })]),
  ]);
  const t = new TypeResolver(structs, TYPEDEFS);
  // name 0..8; flags 8..11; u (union of int and long: 8 bytes, align 8) 16..24;
  // hooks[2] 24..40; inner (char, pad, pointer: 16 bytes) 40..56; fn 56..64.
  const at = (path: string) => {
    const r = memberOffset('ops', path, t.lookup);
    assert.ok(!('problem' in r), JSON.stringify(r));
    return r.offset;
  };
  assert.equal(at('u'), 16);
  assert.equal(at('hooks[1]'), 32);
  assert.equal(at('inner.g'), 48);
  assert.equal(at('fn'), 56);
  const layout = layoutStruct('ops', t.lookup);
  assert.ok(!('problem' in layout));
  assert.equal(layout.size, 64);
});

test('a macro array length or an unknown typedef makes later offsets unknown, with the reason', () => {
  const structs = new Map([
    struct('ops', [
      field('early', 'int', { isPointer: true, isFunctionPointer: true }),
      field('slots', 'int', { arrayLength: 'NR_SLOTS' }),
      field('late', 'int', { isPointer: true, isFunctionPointer: true }),
    ]),
    struct('ops2', [field('base', 'opaque_t'), field('fn', 'int', { isPointer: true, isFunctionPointer: true })]),
  ]);
  const t = new TypeResolver(structs, TYPEDEFS);
  assert.deepEqual(memberOffset('ops', 'early', t.lookup), { offset: 0, type: { kind: 'function-pointer' }, size: 8 });
  const late = memberOffset('ops', 'late', t.lookup);
  assert.ok('problem' in late && /int\[NR_SLOTS\]/.test(late.problem), JSON.stringify(late));
  const fn = memberOffset('ops2', 'fn', t.lookup);
  assert.ok('problem' in fn && /unknown type `opaque_t`/.test(fn.problem), JSON.stringify(fn));
});
