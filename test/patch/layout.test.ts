import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CType, layoutStruct, memberOffset, StructDef, StructLayout } from '../../server/out/patch';

const int = (size: number): CType => ({ kind: 'int', size });
const struct = (name: string): CType => ({ kind: 'struct', name });
const array = (of: CType, count: number): CType => ({ kind: 'array', of, count });
const fnptr: CType = { kind: 'function-pointer' };

const DEFS: StructDef[] = [
  // char c @0; long l @8 (aligned to 8); size 16
  { name: 'inner', members: [{ name: 'c', type: { kind: 'char' } }, { name: 'l', type: int(8) }] },
  {
    name: 'outer', members: [
      { name: 'b', type: { kind: 'bool' } }, //             @0
      { name: 'in', type: struct('inner') }, //            @8  (align 8), ends 24
      { name: 'i', type: int(4) }, //                      @24, ends 28
      { name: 'fp', type: fnptr }, //                      @32 (align 8), ends 40
      { name: 'arr', type: array(int(4), 3) }, //          @40, ends 52
      { name: 'ins', type: array(struct('inner'), 2) }, // @56 (align 8), ends 88
      { name: 's', type: int(2) }, //                      @88, ends 90 -> size rounded to 96
    ],
  },
  { name: 'u', union: true, members: [{ name: 'c', type: { kind: 'char' } }, { name: 'l', type: int(8) }] },
  {
    name: 'with_unknown', members: [
      { name: 'a', type: { kind: 'pointer' } },
      { name: 'x', type: { kind: 'unknown', text: 'foo_t' } },
      { name: 'f', type: fnptr },
    ],
  },
  {
    name: 'anon_holder', members: [
      { name: 'n', type: int(4) }, //          @0
      { name: '', type: struct('u_fns') }, //  @8: anonymous union of function pointers
    ],
  },
  { name: 'u_fns', union: true, members: [{ name: 'fn', type: fnptr }, { name: 'data', type: { kind: 'pointer' } }] },
  { name: 'loop', members: [{ name: 'self', type: struct('loop') }] },
  { name: 'holes', members: [{ name: 'g', type: struct('nowhere') }] },
];
const lookup = (name: string) => DEFS.find((d) => d.name === name);

function layout(name: string): StructLayout {
  const l = layoutStruct(name, lookup);
  assert.ok(!('problem' in l), `layout of ${name}`);
  return l as StructLayout;
}

test('LP64 natural alignment of nested structs and arrays', () => {
  const l = layout('outer');
  assert.deepEqual(l.members.map((m) => [m.name, m.offset]),
    [['b', 0], ['in', 8], ['i', 24], ['fp', 32], ['arr', 40], ['ins', 56], ['s', 88]]);
  assert.equal(l.size, 96);
  assert.equal(l.align, 8);
  assert.deepEqual(l.problems, []);
  assert.equal(layout('inner').size, 16);
});

test('member paths through nested structs and array elements', () => {
  // in.l: 8 + 8
  assert.deepEqual(memberOffset('outer', 'in.l', lookup), { offset: 16, type: int(8), size: 8 });
  // ins[1].l: 56 + 1 * 16 + 8
  assert.equal((memberOffset('outer', 'ins[1].l', lookup) as { offset: number }).offset, 80);
  // arr[2]: 40 + 2 * 4
  assert.equal((memberOffset('outer', 'arr[2]', lookup) as { offset: number }).offset, 48);
  assert.equal((memberOffset('outer', 'fp', lookup) as { offset: number }).offset, 32);
});

test('unions and anonymous members', () => {
  const u = layout('u');
  assert.deepEqual(u.members.map((m) => m.offset), [0, 0]);
  assert.equal(u.size, 8);
  // n is 4 bytes; the anonymous union (align 8) starts at 8
  assert.equal((memberOffset('anon_holder', 'fn', lookup) as { offset: number }).offset, 8);
});

test('unknown types are reported, not guessed', () => {
  const l = layout('with_unknown');
  assert.deepEqual(l.members.map((m) => m.offset), [0, 8, undefined]);
  assert.equal(l.size, undefined);
  assert.match(l.problems.join('\n'), /foo_t/);
  assert.deepEqual(memberOffset('with_unknown', 'a', lookup), { offset: 0, type: { kind: 'pointer' }, size: 8 });
  const f = memberOffset('with_unknown', 'f', lookup);
  assert.ok('problem' in f);
  assert.match(f.problem, /foo_t/);
});

test('undefined, self-containing structs and bad paths are problems', () => {
  assert.match((layoutStruct('missing', lookup) as { problem: string }).problem, /not defined/);
  assert.match(layout('loop').problems.join('\n'), /contains itself/);
  assert.match(layout('holes').problems.join('\n'), /nowhere/);
  assert.ok('problem' in memberOffset('outer', 'nope', lookup));
  assert.ok('problem' in memberOffset('outer', 'b.c', lookup));
  assert.ok('problem' in memberOffset('outer', 'fp[1]', lookup));
  assert.ok('problem' in memberOffset('outer', 'in..l', lookup));
  const odd = layoutStruct('odd', () => ({ name: 'odd', members: [{ name: 'z', type: int(3) }] })) as StructLayout;
  assert.match(odd.problems.join('\n'), /3-byte integer/);
});
