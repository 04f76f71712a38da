import { addAddress, ENDBR64, ENDBR64_POISON, INT3, Insn, MASK64, NopSize, NOPS, UD0, UD2 } from './insn';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

export function isInt32(v: number): boolean {
  return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
}

function withInt32(opcode: readonly number[], value: number): Uint8Array {
  if (!isInt32(value)) throw new RangeError(`not a signed 32-bit value: ${value}`);
  const out = new Uint8Array(opcode.length + 4);
  out.set(opcode);
  new DataView(out.buffer).setInt32(opcode.length, value, true);
  return out;
}

/**
 * The bytes of an instruction. Throws RangeError for a displacement outside
 * int32 or a byte outside 0..255: callers check reachability with `rel32`.
 */
export function encode(insn: Insn): Uint8Array {
  switch (insn.op) {
    case 'call-rip': return withInt32([0xff, 0x15], insn.disp);
    case 'jmp-rip': return withInt32([0xff, 0x25], insn.disp);
    case 'call': return withInt32([0xe8], insn.rel);
    case 'jmp': return withInt32([0xe9], insn.rel);
    case 'cs-call': return withInt32([0x2e, 0xe8], insn.rel);
    case 'ud2': return UD2.slice();
    case 'ud0': return UD0.slice();
    case 'endbr64': return ENDBR64.slice();
    case 'endbr64-poison': return ENDBR64_POISON.slice();
    case 'nop': return NOPS[insn.size].slice();
    case 'int3': return INT3.slice();
    case 'byte':
      if (!Number.isInteger(insn.value) || insn.value < 0 || insn.value > 0xff) {
        throw new RangeError(`not a byte: ${insn.value}`);
      }
      return Uint8Array.of(insn.value);
  }
}

/**
 * The 32-bit displacement from `nextIp` (the address after the instruction)
 * to `target`, or undefined when the target is out of reach.
 */
export function rel32(nextIp: bigint, target: bigint): number | undefined {
  let diff = (target - nextIp) & MASK64;
  if (diff >= 1n << 63n) diff -= 1n << 64n;
  const n = Number(diff);
  return isInt32(n) ? n : undefined;
}

/** A direct branch at `address` to `target`, or undefined when out of rel32 reach. */
export function directBranch(op: 'call' | 'jmp' | 'cs-call', address: bigint, target: bigint): Insn | undefined {
  const rel = rel32(addAddress(address, op === 'cs-call' ? 6 : 5), target);
  return rel === undefined ? undefined : { op, rel };
}

/** A RIP-relative indirect branch at `address` through the pointer at `slot`. */
export function ripBranch(op: 'call-rip' | 'jmp-rip', address: bigint, slot: bigint): Insn | undefined {
  const disp = rel32(addAddress(address, 6), slot);
  return disp === undefined ? undefined : { op, disp };
}

/** Encodes a sequence of instructions back to back. */
export function encodeAll(insns: readonly Insn[]): Uint8Array {
  const parts = insns.map(encode);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Padding of `length` bytes as Xen's add_nops() writes it with the P6 NOPs: 9-byte NOPs, then the rest. */
export function nopFill(length: number): Insn[] {
  const out: Insn[] = [];
  for (let left = length; left > 0; left -= 9) out.push({ op: 'nop', size: Math.min(left, 9) as NopSize });
  return out;
}
