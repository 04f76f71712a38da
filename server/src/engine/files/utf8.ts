/**
 * Offset of the first byte of the first ill-formed UTF-8 sequence, or -1 when
 * the whole buffer is well-formed. Well-formed means what a fatal TextDecoder
 * accepts: no overlong forms, no surrogates, nothing above U+10FFFF, no
 * sequence cut short. TextDecoder only says *that* the input is bad; users
 * need to know *where*.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    // The allowed range of the second byte is what rules out overlongs,
    // surrogates (ED A0..BF) and code points above U+10FFFF (F4 90..).
    let trail: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      trail = 1;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      trail = 2;
      if (lead === 0xe0) lo = 0xa0;
      if (lead === 0xed) hi = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      trail = 3;
      if (lead === 0xf0) lo = 0x90;
      if (lead === 0xf4) hi = 0x8f;
    } else {
      return i;
    }
    if (i + trail >= bytes.length || bytes[i + 1] < lo || bytes[i + 1] > hi) return i;
    for (let k = 2; k <= trail; k++) {
      if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    }
    i += trail + 1;
  }
  return -1;
}
