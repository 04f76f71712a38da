import { Decoded, MASK64, NopSize, Symbolizer } from './insn';

export type Syntax = 'att' | 'intel';

export interface FormatOptions {
  /** Default 'att'. */
  readonly syntax?: Syntax;
  /** Names branch targets and RIP-relative operands, as objdump does from a symbol table. */
  readonly symbolize?: Symbolizer;
}

/** Lower-case hex without `0x` or padding, as objdump prints addresses. */
export function hex(v: bigint | number): string {
  return BigInt(v).toString(16);
}

/** 16-digit lower-case hex, the column form of a 64-bit address. */
export function hexAddress(address: bigint): string {
  return (address & MASK64).toString(16).padStart(16, '0');
}

/** Space-separated lower-case hex pairs: `ff 15 e7 25 4f 00`. */
export function hexBytes(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** `0x..`, or `-0x..` for negative values (objdump's signed displacement). */
function signedHex(v: number): string {
  return v < 0 ? `-0x${hex(-v)}` : `0x${hex(v)}`;
}

/**
 * An address operand the way objdump prints it: `ffff82d040200044 <f+0x4>`
 * when a symbol is known, `0xffff82d040200044` otherwise.
 */
export function formatAddressRef(address: bigint, symbolize?: Symbolizer): string {
  const sym = symbolize?.(address);
  return sym ? `${hex(address)} <${formatSymbol(sym)}>` : `0x${hex(address)}`;
}

/** `name`, `name+0x4` or `name-0x10`. */
export function formatSymbol(sym: { name: string; offset: bigint }): string {
  if (sym.offset === 0n) return sym.name;
  return sym.offset > 0n ? `${sym.name}+0x${hex(sym.offset)}` : `${sym.name}-0x${hex(-sym.offset)}`;
}

/** objdump pads the mnemonic (with its prefixes) to 6 columns, then one space. */
function withOperands(mnemonic: string, operands: string): string {
  return `${mnemonic.padEnd(6)} ${operands}`;
}

/** The ` # target` comment objdump adds after a RIP-relative operand. */
function ripComment(memAddress: bigint, symbolize?: Symbolizer): string {
  return `        # ${formatAddressRef(memAddress, symbolize)}`;
}

/** [mnemonic, operands] of the NOP forms, in AT&T and Intel syntax. */
const NOP_TEXT: Readonly<Record<NopSize, { att: [string, string]; intel: [string, string] }>> = {
  1: { att: ['nop', ''], intel: ['nop', ''] },
  2: { att: ['xchg', '%ax,%ax'], intel: ['xchg', 'ax,ax'] },
  3: { att: ['nopl', '(%rax)'], intel: ['nop', 'DWORD PTR [rax]'] },
  4: { att: ['nopl', '0x0(%rax)'], intel: ['nop', 'DWORD PTR [rax+0x0]'] },
  5: { att: ['nopl', '0x0(%rax,%rax,1)'], intel: ['nop', 'DWORD PTR [rax+rax*1+0x0]'] },
  6: { att: ['nopw', '0x0(%rax,%rax,1)'], intel: ['nop', 'WORD PTR [rax+rax*1+0x0]'] },
  7: { att: ['nopl', '0x0(%rax)'], intel: ['nop', 'DWORD PTR [rax+0x0]'] },
  8: { att: ['nopl', '0x0(%rax,%rax,1)'], intel: ['nop', 'DWORD PTR [rax+rax*1+0x0]'] },
  9: { att: ['nopw', '0x0(%rax,%rax,1)'], intel: ['nop', 'WORD PTR [rax+rax*1+0x0]'] },
};

function ripOperand(disp: number, syntax: Syntax): string {
  // objdump's Intel form shows the displacement sign-extended to 64 bits, unsigned.
  return syntax === 'intel' ? `QWORD PTR [rip+0x${hex(BigInt(disp) & MASK64)}]` : `*${signedHex(disp)}(%rip)`;
}

/** The instruction text as `objdump -d --insn-width=16` (or `-M intel`) prints it. */
export function formatInsn(d: Decoded, options: FormatOptions = {}): string {
  const syntax = options.syntax ?? 'att';
  const symbolize = options.symbolize;
  const insn = d.insn;
  switch (insn.op) {
    case 'call-rip': case 'jmp-rip':
      return withOperands(insn.op === 'call-rip' ? 'call' : 'jmp', ripOperand(insn.disp, syntax))
        + ripComment(d.memAddress!, symbolize);
    case 'call': case 'jmp': case 'cs-call':
      return withOperands(insn.op === 'cs-call' ? 'cs call' : insn.op, formatAddressRef(d.target!, symbolize));
    case 'ud2': return 'ud2';
    case 'ud0': return withOperands('ud0', syntax === 'intel' ? 'edi,edi' : '%edi,%edi');
    case 'endbr64': return 'endbr64';
    case 'endbr64-poison': return syntax === 'intel' ? withOperands('nop', 'WORD PTR [rcx]') : withOperands('nopw', '(%rcx)');
    case 'int3': return 'int3';
    // objdump prints undecodable bytes with a single space, unpadded.
    case 'byte': return `.byte 0x${hex(insn.value)}`;
    case 'nop': {
      const [mnemonic, operands] = NOP_TEXT[insn.size][syntax];
      return operands ? withOperands(mnemonic, operands) : mnemonic;
    }
  }
}
