import { addAddress, formatSymbol, hex, Symbolizer } from '../x86';

/**
 * A modelled memory image: plain data, independent of any parser.
 * Sections do not overlap; `bytes` is their content (mutated by the patcher on
 * its own copy only).
 */
export interface ImageSection {
  /** ELF-style name: `.text`, `.init.text`, `.data`, `.init.rodata`, `.init.rodata.cf_clobber`, ... */
  readonly name: string;
  readonly address: bigint;
  readonly bytes: Uint8Array;
}

export interface ImageSymbol {
  readonly name: string;
  readonly address: bigint;
  readonly size: number;
}

export interface MemoryImage {
  readonly sections: readonly ImageSection[];
  readonly symbols: readonly ImageSymbol[];
}

/** The section names whose contents Xen's sealing walks as an array of pointers. */
export const CF_CLOBBER_SECTIONS: readonly string[] = ['.init.data.cf_clobber', '.init.rodata.cf_clobber'];

/** Xen's is_kernel_text(): only `.text` (not `.init.text`) counts. */
export const KERNEL_TEXT_SECTION = '.text';

export function cloneImage(image: MemoryImage): MemoryImage {
  return {
    sections: image.sections.map((s) => ({ ...s, bytes: s.bytes.slice() })),
    symbols: image.symbols.map((s) => ({ ...s })),
  };
}

/** The section holding all of [address, address + length), if any. */
export function sectionAt(image: MemoryImage, address: bigint, length = 1): ImageSection | undefined {
  return image.sections.find((s) =>
    address >= s.address && address + BigInt(length) <= s.address + BigInt(s.bytes.length));
}

export function readBytes(image: MemoryImage, address: bigint, length: number): Uint8Array | undefined {
  const s = sectionAt(image, address, length);
  if (!s) return undefined;
  const at = Number(address - s.address);
  return s.bytes.slice(at, at + length);
}

/** Writes `bytes` at `address`; false (nothing written) when not mapped. */
export function writeBytes(image: MemoryImage, address: bigint, bytes: Uint8Array): boolean {
  const s = sectionAt(image, address, bytes.length);
  if (!s) return false;
  s.bytes.set(bytes, Number(address - s.address));
  return true;
}

/** A little-endian 64-bit pointer, or undefined when not mapped. */
export function readPointer(image: MemoryImage, address: bigint): bigint | undefined {
  const b = readBytes(image, address, 8);
  return b && new DataView(b.buffer).getBigUint64(0, true);
}

export function writePointer(image: MemoryImage, address: bigint, value: bigint): boolean {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, value, true);
  return writeBytes(image, address, b);
}

/**
 * objdump's naming of an address: the nearest symbol at or below it in the
 * same section (`pet_ops+0x8`); undefined outside every section.
 */
export function imageSymbolizer(image: MemoryImage): Symbolizer {
  return (address) => {
    const section = sectionAt(image, address);
    if (!section) return undefined;
    const end = addAddress(section.address, section.bytes.length);
    let best: ImageSymbol | undefined;
    for (const sym of image.symbols) {
      if (sym.address < section.address || sym.address >= end || sym.address > address) continue;
      if (!best || sym.address > best.address) best = sym;
    }
    return best && { name: best.name, offset: address - best.address };
  };
}

/** An address as messages name it: `dog_feed+0x4`, or `0x...` when no symbol covers it. */
export function symbolName(image: MemoryImage, address: bigint): string {
  const sym = imageSymbolizer(image)(address);
  return sym ? formatSymbol(sym) : `0x${hex(address)}`;
}
