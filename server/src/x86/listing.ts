import { Decoded } from './insn';
import { FormatOptions, formatInsn, hexAddress, hexBytes } from './format';

export interface ListingOptions extends FormatOptions {
  /** Width of the bytes column in characters; default 22 (room for 7 bytes and a gap). */
  readonly bytesWidth?: number;
}

/**
 * One line of a listing, as PATCHING.md section 6 shows it:
 * `ffff82d040200a13: ff 15 e7 25 4f 00      call   *0x4f25e7(%rip)  # ...`.
 */
export function listingLine(d: Decoded, options: ListingOptions = {}): string {
  const bytes = hexBytes(d.bytes).padEnd(options.bytesWidth ?? 22);
  return `${hexAddress(d.address)}: ${bytes} ${formatInsn(d, options)}`;
}
