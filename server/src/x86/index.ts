/**
 * The x86 core: the only module that knows instruction bytes. Decoding,
 * encoding and objdump-compatible formatting of the forms in PATCHING.md
 * section 1.
 */
export * from './insn';
export { decodeAll, decodeOne } from './decode';
export { directBranch, encode, encodeAll, nopFill, rel32, ripBranch } from './encode';
export { formatAddressRef, formatInsn, formatSymbol, hex, hexAddress, hexBytes } from './format';
export type { FormatOptions, Syntax } from './format';
export { listingLine } from './listing';
export type { ListingOptions } from './listing';
