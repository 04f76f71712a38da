/**
 * The instruction forms that Xen's alternative-call patching reads and writes
 * (PATCHING.md section 1). Anything else is carried as single `.byte` items so
 * that any byte sequence has a representation.
 */

/** NOP lengths with a canonical encoding (the P6 long-NOP family). */
export type NopSize = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

export type Insn =
  /** `ff 15 disp32`: call *disp32(%rip). */
  | { readonly op: 'call-rip'; readonly disp: number }
  /** `ff 25 disp32`: jmp *disp32(%rip). */
  | { readonly op: 'jmp-rip'; readonly disp: number }
  /** `e8 rel32`. */
  | { readonly op: 'call'; readonly rel: number }
  /** `e9 rel32`. */
  | { readonly op: 'jmp'; readonly rel: number }
  /** `2e e8 rel32`: the 6-byte direct call that replaces a 6-byte indirect one. */
  | { readonly op: 'cs-call'; readonly rel: number }
  | { readonly op: 'ud2' }
  /** `0f ff ff`: ud0 %edi,%edi. */
  | { readonly op: 'ud0' }
  | { readonly op: 'endbr64' }
  /** `66 0f 1f 01` (nopw (%rcx)): what Xen writes over a sealed endbr64. */
  | { readonly op: 'endbr64-poison' }
  | { readonly op: 'nop'; readonly size: NopSize }
  | { readonly op: 'int3' }
  /** A byte the core does not decode (also a truncated instruction's bytes). */
  | { readonly op: 'byte'; readonly value: number };

/** One decoded instruction at an address. Addresses are unsigned 64-bit. */
export interface Decoded {
  readonly address: bigint;
  readonly length: number;
  readonly bytes: Uint8Array;
  readonly insn: Insn;
  /** Destination of a direct branch (call, jmp, cs call). */
  readonly target?: bigint;
  /** Address of the memory operand of a RIP-relative branch (the pointer slot). */
  readonly memAddress?: bigint;
}

/** Resolves an address to the nearest symbol; offset may be negative. */
export type Symbolizer = (address: bigint) => { name: string; offset: bigint } | undefined;

export const MASK64 = (1n << 64n) - 1n;

/** `address + delta` wrapped to 64 bits, as the CPU (and objdump) compute it. */
export function addAddress(address: bigint, delta: number | bigint): bigint {
  return (address + BigInt(delta)) & MASK64;
}

/** The byte sequences of the fixed-form instructions and NOPs. */
export const ENDBR64 = Uint8Array.of(0xf3, 0x0f, 0x1e, 0xfa);
export const ENDBR64_POISON = Uint8Array.of(0x66, 0x0f, 0x1f, 0x01);
export const UD2 = Uint8Array.of(0x0f, 0x0b);
export const UD0 = Uint8Array.of(0x0f, 0xff, 0xff);
export const INT3 = Uint8Array.of(0xcc);

export const NOPS: Readonly<Record<NopSize, Uint8Array>> = {
  1: Uint8Array.of(0x90),
  2: Uint8Array.of(0x66, 0x90),
  3: Uint8Array.of(0x0f, 0x1f, 0x00),
  4: Uint8Array.of(0x0f, 0x1f, 0x40, 0x00),
  5: Uint8Array.of(0x0f, 0x1f, 0x44, 0x00, 0x00),
  6: Uint8Array.of(0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00),
  7: Uint8Array.of(0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00),
  8: Uint8Array.of(0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00),
  9: Uint8Array.of(0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00),
};
