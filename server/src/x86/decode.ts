import {
  addAddress, Decoded, ENDBR64, ENDBR64_POISON, INT3, Insn, NOPS, NopSize, UD0, UD2,
} from './insn';

interface FixedForm { readonly bytes: Uint8Array; readonly insn: Insn }

const FIXED_FORMS: readonly FixedForm[] = [
  { bytes: ENDBR64, insn: { op: 'endbr64' } },
  { bytes: ENDBR64_POISON, insn: { op: 'endbr64-poison' } },
  { bytes: UD2, insn: { op: 'ud2' } },
  { bytes: UD0, insn: { op: 'ud0' } },
  { bytes: INT3, insn: { op: 'int3' } },
  ...Object.entries(NOPS).map(([size, bytes]) => ({
    bytes, insn: { op: 'nop', size: Number(size) as NopSize } as const,
  })),
];

/** Opcode bytes before a 32-bit little-endian displacement or immediate. */
interface Disp32Form { readonly opcode: readonly number[]; readonly make: (v: number) => Insn }

const DISP32_FORMS: readonly Disp32Form[] = [
  { opcode: [0xff, 0x15], make: (disp) => ({ op: 'call-rip', disp }) },
  { opcode: [0xff, 0x25], make: (disp) => ({ op: 'jmp-rip', disp }) },
  { opcode: [0xe8], make: (rel) => ({ op: 'call', rel }) },
  { opcode: [0xe9], make: (rel) => ({ op: 'jmp', rel }) },
  { opcode: [0x2e, 0xe8], make: (rel) => ({ op: 'cs-call', rel }) },
];

function startsWith(buf: Uint8Array, at: number, prefix: ArrayLike<number>): boolean {
  if (at + prefix.length > buf.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[at + i] !== prefix[i]) return false;
  return true;
}

function readInt32(buf: Uint8Array, at: number): number {
  return (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) | 0;
}

function matchInsn(buf: Uint8Array, at: number): { insn: Insn; length: number } {
  for (const form of DISP32_FORMS) {
    const length = form.opcode.length + 4;
    if (startsWith(buf, at, form.opcode) && at + length <= buf.length) {
      return { insn: form.make(readInt32(buf, at + form.opcode.length)), length };
    }
  }
  for (const form of FIXED_FORMS) {
    if (startsWith(buf, at, form.bytes)) return { insn: form.insn, length: form.bytes.length };
  }
  return { insn: { op: 'byte', value: buf[at]! }, length: 1 };
}

/**
 * Decodes the instruction at `buf[offset]`, located at `address`. Never throws:
 * unknown or truncated bytes come back one at a time as `byte` items.
 */
export function decodeOne(buf: Uint8Array, offset: number, address: bigint): Decoded {
  const { insn, length } = matchInsn(buf, offset);
  const bytes = buf.slice(offset, offset + length);
  const next = addAddress(address, length);
  switch (insn.op) {
    case 'call': case 'jmp': case 'cs-call':
      return { address, length, bytes, insn, target: addAddress(next, insn.rel) };
    case 'call-rip': case 'jmp-rip':
      return { address, length, bytes, insn, memAddress: addAddress(next, insn.disp) };
    default:
      return { address, length, bytes, insn };
  }
}

/** Decodes a whole buffer placed at `address`; the lengths sum to `buf.length`. */
export function decodeAll(buf: Uint8Array, address: bigint): Decoded[] {
  const out: Decoded[] = [];
  for (let offset = 0; offset < buf.length;) {
    const d = decodeOne(buf, offset, addAddress(address, offset));
    out.push(d);
    offset += d.length;
  }
  return out;
}
