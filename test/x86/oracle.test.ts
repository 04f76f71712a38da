import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAll, encode, encodeAll, formatInsn, Insn, NopSize, Symbolizer } from '../../server/out/x86';
import { assemble, objdumpRaw, objdumpWithSymbol, requireBinutils, Syntax } from './binutils';
import { randomInt32, seededRandom } from './random';

// Compares the core with GNU binutils: `as` for encodings, `objdump` for
// lengths and text. Many instructions go through one invocation each.

const BOUNDARY_VALUES = [
  0, 1, -1, 5, -5, -6, 6, 0x7f, -0x80, 0x80, -0x81, 0x100, 0x4f25e7, -0x4f25e7,
  0x7fffffff, -0x80000000, 0x7ffffffe, -0x7fffffff, 0x40000000, -0x40000000,
];

function int32Values(seed: number): number[] {
  const rand = seededRandom(seed);
  return [...BOUNDARY_VALUES, ...Array.from({ length: 30 }, () => randomInt32(rand))];
}

const FIXED: Insn[] = [
  { op: 'ud2' }, { op: 'ud0' }, { op: 'endbr64' }, { op: 'endbr64-poison' }, { op: 'int3' },
  ...([1, 2, 3, 4, 5, 6, 7, 8, 9] as NopSize[]).map((size): Insn => ({ op: 'nop', size })),
];

function allForms(seed: number): Insn[] {
  const values = int32Values(seed);
  return [
    ...FIXED,
    ...values.flatMap((v): Insn[] => [
      { op: 'call-rip', disp: v }, { op: 'jmp-rip', disp: v },
      { op: 'call', rel: v }, { op: 'jmp', rel: v }, { op: 'cs-call', rel: v },
    ]),
    ...FIXED,
  ];
}

const ADDRESSES = [0n, 0xffff82d040200000n, 0x7fffff00n, 0xffff82d0406f3000n, 0xfffffffffff00000n];

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();

function symbolAt(base: bigint): Symbolizer {
  return (address) => ({ name: 'foo', offset: address - base });
}

function compareWithObjdump(insns: Insn[], vma: bigint, syntax: Syntax, withSymbol: boolean): void {
  const bytes = encodeAll(insns);
  const ours = decodeAll(bytes, vma);
  const theirs = withSymbol ? objdumpWithSymbol(bytes, vma, syntax) : objdumpRaw(bytes, vma, syntax);
  assert.equal(ours.length, theirs.length, 'instruction count');
  const symbolize = withSymbol ? symbolAt(vma) : undefined;
  ours.forEach((d, i) => {
    const o = theirs[i]!;
    const where = `${syntax} at 0x${d.address.toString(16)} (${JSON.stringify(d.insn)})`;
    assert.equal(d.address, o.address, `address, ${where}`);
    assert.equal(d.length, o.length, `length, ${where}`);
    assert.equal(normalise(formatInsn(d, { syntax, symbolize })), normalise(o.text), `text, ${where}`);
  });
}

test('binutils are installed', () => {
  requireBinutils();
});

for (const syntax of ['att', 'intel'] as const) {
  for (const withSymbol of [false, true]) {
    test(`objdump agrees on every form (${syntax}, ${withSymbol ? 'symbol foo' : 'no symbols'})`, () => {
      ADDRESSES.forEach((vma, i) => compareWithObjdump(allForms(1000 + i), vma, syntax, withSymbol));
    });
  }
}

test('objdump agrees on exact spacing of the forms PATCHING.md shows', () => {
  const vma = 0xffff82d040200000n;
  const insns = allForms(7);
  const ours = decodeAll(encodeAll(insns), vma).map((d) => formatInsn(d, { symbolize: symbolAt(vma) }));
  const theirs = objdumpWithSymbol(encodeAll(insns), vma, 'att').map((l) => l.text);
  assert.deepEqual(ours, theirs);
});

/** The gas source line that should assemble to exactly `encode(insn)`. */
function gasLine(insn: Insn): string {
  switch (insn.op) {
    case 'call-rip': return `call *${insn.disp}(%rip)`;
    case 'jmp-rip': return `jmp *${insn.disp}(%rip)`;
    // `.` is the instruction's own address; the target is next_ip + rel.
    case 'call': return `call . + 5 + (${insn.rel})`;
    // gas would pick the 2-byte jmp for near targets without {disp32}.
    case 'jmp': return `{disp32} jmp . + 5 + (${insn.rel})`;
    case 'cs-call': return `.byte 0x2e\ncall . + 5 + (${insn.rel})`;
    case 'ud2': return 'ud2';
    case 'ud0': return 'ud0 %edi,%edi';
    case 'endbr64': return 'endbr64';
    case 'endbr64-poison': return 'nopw (%rcx)';
    case 'int3': return 'int3';
    case 'byte': return `.byte ${insn.value}`;
    case 'nop':
      return ['', 'nop', 'xchg %ax,%ax', 'nopl (%rax)', '{disp8} nopl 0(%rax)', '{disp8} nopl 0(%rax,%rax,1)',
        '{disp8} nopw 0(%rax,%rax,1)', '{disp32} nopl 0(%rax)', '{disp32} nopl 0(%rax,%rax,1)',
        '{disp32} nopw 0(%rax,%rax,1)'][insn.size]!;
  }
}

test('as assembles each form to the bytes encode() produces', () => {
  const insns = allForms(42);
  const assembled = assemble(insns.map(gasLine).join('\n'));
  let at = 0;
  for (const insn of insns) {
    const ours = encode(insn);
    assert.deepEqual(assembled.subarray(at, at + ours.length), ours, `${gasLine(insn)}`);
    at += ours.length;
  }
  assert.equal(at, assembled.length);
});
