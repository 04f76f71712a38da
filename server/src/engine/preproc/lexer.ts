// A preprocessing-token scanner for C (translation phases 1-3 as GCC applies
// them), fast enough for a Xen-sized tree: one pass, charCodeAt, no regex.
// It never throws: anything it does not recognise becomes an 'other' token.

export type TokenKind = 'ident' | 'number' | 'string' | 'char' | 'punct' | 'other';

export interface Token {
  kind: TokenKind;
  /** The token as the compiler sees it: backslash-newline continuations removed. */
  text: string;
  /** Offsets into the original text (JS string indices). */
  start: number;
  end: number;
  /** 0-based line of `start`. */
  line: number;
  /** First token of a logical line (continuations do not start one). */
  bol: boolean;
  /** Whitespace or a comment precedes the token (matters for stringizing). */
  spaceBefore: boolean;
}

const NL = 10;
const CR = 13;
const BACKSLASH = 92;

// Character classes for the ASCII range; every code >= 0x80 counts as an
// identifier character because GCC accepts UTF-8 identifiers.
const C_IDENT = 1;
const C_DIGIT = 2;
const C_SPACE = 4;
const charClass = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_$]/.test(ch)) charClass[c] = C_IDENT;
  else if (/[0-9]/.test(ch)) charClass[c] = C_DIGIT;
}
for (const c of [32, 9, 11, 12, CR]) charClass[c] = C_SPACE;

function isIdentStart(c: number): boolean {
  return c >= 128 ? true : charClass[c] === C_IDENT;
}
function isIdentChar(c: number): boolean {
  return c >= 128 ? true : (charClass[c] & (C_IDENT | C_DIGIT)) !== 0;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Removes backslash-newline continuations from a token's source text. */
export function removeContinuations(raw: string): string {
  return raw.replace(/\\\r?\n/g, '');
}

export function lex(text: string, from = 0, to = text.length): Token[] {
  const end = Math.min(Math.max(to, 0), text.length);
  let pos = Math.max(0, Math.min(from, end));
  const tokens: Token[] = [];

  // Skips any run of backslash-newline continuations starting at i.
  const skipSplices = (i: number): number => {
    while (i < end && text.charCodeAt(i) === BACKSLASH) {
      const n = text.charCodeAt(i + 1);
      if (n === NL && i + 1 < end) i += 2;
      else if (n === CR && i + 2 < end && text.charCodeAt(i + 2) === NL) i += 3;
      else break;
    }
    return i;
  };
  // Code of the character at i, or -1 past the range.
  const code = (i: number): number => (i < end ? text.charCodeAt(i) : -1);

  // Lines are counted lazily between tokens, which keeps the hot loops free of
  // newline bookkeeping inside strings, comments and continuations.
  let { line, offset: lineCountedTo } = lineMark(text, pos);
  const lineAt = (offset: number): number => {
    let i = text.indexOf('\n', lineCountedTo);
    while (i !== -1 && i < offset) {
      line++;
      i = text.indexOf('\n', i + 1);
    }
    lineCountedTo = offset;
    return line;
  };

  let bol = startsLine(text, pos);
  let space = pos > 0 && isSpaceCode(text.charCodeAt(pos - 1));
  let spliced = false;

  const push = (kind: TokenKind, start: number, stop: number): void => {
    const raw = text.slice(start, stop);
    tokens.push({
      kind,
      text: spliced ? removeContinuations(raw) : raw,
      start,
      end: stop,
      line: lineAt(start),
      bol,
      spaceBefore: space,
    });
    bol = false;
    space = false;
    spliced = false;
  };

  // Scans a quoted literal whose opening quote is at q; ends after the closing
  // quote, or before the newline / at the range end when unterminated.
  const scanQuoted = (q: number, quote: number): number => {
    let i = q + 1;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === quote) return i + 1;
      if (c === NL) return i;
      if (c === BACKSLASH) {
        const j = skipSplices(i);
        if (j !== i) {
          spliced = true;
          i = j;
          continue;
        }
        // An escape: the next character cannot close the literal.
        if (i + 1 >= end) return end;
        i += 2;
        continue;
      }
      i++;
    }
    return end;
  };

  while (pos < end) {
    const c = text.charCodeAt(pos);

    if (c === NL) {
      bol = true;
      space = true;
      pos++;
      continue;
    }
    if (c < 128 && charClass[c] === C_SPACE) {
      space = true;
      pos++;
      continue;
    }
    if (c === BACKSLASH) {
      const j = skipSplices(pos);
      if (j !== pos) {
        pos = j;
        continue;
      }
      push('other', pos, pos + 1);
      pos++;
      continue;
    }
    const start = pos;

    if (c === 47 /* / */) {
      const p1 = skipSplices(pos + 1);
      const c1 = code(p1);
      if (c1 === 42 /* * */) {
        const close = findCommentEnd(text, p1 + 1, end, skipSplices);
        pos = close;
        space = true;
        continue;
      }
      if (c1 === 47) {
        // A line comment continues over backslash-newlines.
        let i = p1 + 1;
        while (i < end) {
          const ch = text.charCodeAt(i);
          if (ch === NL) break;
          if (ch === BACKSLASH) {
            const j = skipSplices(i);
            if (j !== i) {
              i = j;
              continue;
            }
          }
          i++;
        }
        pos = i;
        space = true;
        continue;
      }
    }

    if (isIdentStart(c)) {
      let i = pos + 1;
      for (;;) {
        if (i >= end) break;
        const ch = text.charCodeAt(i);
        if (isIdentChar(ch)) {
          i++;
          continue;
        }
        if (ch === BACKSLASH) {
          const j = skipSplices(i);
          if (j !== i && isIdentChar(code(j))) {
            spliced = true;
            i = j;
            continue;
          }
        }
        break;
      }
      // Encoding prefixes (L, u, U, u8) glue onto a following literal.
      const q = skipSplices(i);
      const qc = code(q);
      if ((qc === 34 || qc === 39) && isEncodingPrefix(text, pos, i, spliced)) {
        if (q !== i) spliced = true;
        pos = scanQuoted(q, qc);
        push(qc === 34 ? 'string' : 'char', start, pos);
        continue;
      }
      pos = i;
      push('ident', start, pos);
      continue;
    }

    if (isDigit(c) || (c === 46 /* . */ && isDigit(code(skipSplices(pos + 1))))) {
      let i = pos + 1;
      let prev = c;
      for (;;) {
        if (i >= end) break;
        let ch = text.charCodeAt(i);
        let at = i;
        if (ch === BACKSLASH) {
          at = skipSplices(i);
          if (at === i) break;
          ch = code(at);
        }
        const isExp = (prev | 0x20) === 101 /* e */ || (prev | 0x20) === 112; /* p */
        if (isIdentChar(ch) || ch === 46 || ((ch === 43 || ch === 45) && isExp)) {
          if (at !== i) spliced = true;
          prev = ch;
          i = at + 1;
          continue;
        }
        break;
      }
      pos = i;
      push('number', start, pos);
      continue;
    }

    if (c === 34 || c === 39) {
      pos = scanQuoted(pos, c);
      push(c === 34 ? 'string' : 'char', start, pos);
      continue;
    }

    const stop = scanPunct(text, pos, end, skipSplices);
    if (stop > 0) {
      if (stop - pos > 1 && text.slice(pos, stop).indexOf('\\') !== -1) spliced = true;
      pos = stop;
      push('punct', start, pos);
      continue;
    }

    // Anything else, including a lone surrogate half or a control byte.
    pos++;
    push('other', start, pos);
  }
  lastLines = { text, offset: lineCountedTo, line };
  return tokens;
}

// Where the previous call stopped counting lines, so that lexing one text
// range by range, front to back, counts each newline once.
let lastLines = { text: '', offset: 0, line: 0 };

function lineMark(text: string, pos: number): { line: number; offset: number } {
  const m = lastLines;
  return m.text === text && m.offset <= pos ? { line: m.line, offset: m.offset } : { line: 0, offset: 0 };
}

function isSpaceCode(c: number): boolean {
  return c === NL || (c < 128 && charClass[c] === C_SPACE);
}

// Whether only spaces and tabs separate `pos` from the previous newline.
function startsLine(text: string, pos: number): boolean {
  for (let i = pos - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === NL) {
      const before = i > 0 && text.charCodeAt(i - 1) === CR ? i - 2 : i - 1;
      return before < 0 || text.charCodeAt(before) !== BACKSLASH;
    }
    if (!isSpaceCode(c)) return false;
  }
  return true;
}

function isEncodingPrefix(text: string, start: number, stop: number, spliced: boolean): boolean {
  const word = spliced ? removeContinuations(text.slice(start, stop)) : text.slice(start, stop);
  return word === 'L' || word === 'u' || word === 'U' || word === 'u8';
}

// Offset just past the `*/` closing a block comment whose body starts at i
// (EOF or the range end when unterminated).
function findCommentEnd(text: string, i: number, end: number, skipSplices: (i: number) => number): number {
  for (;;) {
    const star = text.indexOf('*', i);
    if (star === -1 || star >= end) return end;
    const after = skipSplices(star + 1);
    if (after < end && text.charCodeAt(after) === 47) return after + 1;
    i = star + 1;
  }
}

// Punctuators by first character: candidates that extend it, longest first.
const PUNCT_EXT: Record<string, string[]> = {
  '.': ['...'],
  '-': ['->', '--', '-='],
  '+': ['++', '+='],
  '<': ['<<=', '<<', '<='],
  '>': ['>>=', '>>', '>='],
  '=': ['=='],
  '!': ['!='],
  '&': ['&&', '&='],
  '|': ['||', '|='],
  '*': ['*='],
  '/': ['/='],
  '%': ['%='],
  '^': ['^='],
  '#': ['##'],
};
const SINGLE_PUNCT = '[](){}.&*+-~!/%<>^|?:;=,#';
const punctExt: Array<string[] | undefined> = [];
const isSinglePunct = new Uint8Array(128);
for (const ch of SINGLE_PUNCT) isSinglePunct[ch.charCodeAt(0)] = 1;
for (const [first, list] of Object.entries(PUNCT_EXT)) punctExt[first.charCodeAt(0)] = list;

// Offset past the punctuator at pos (longest match, continuations allowed
// inside it), or 0 when the character is not a punctuator.
function scanPunct(text: string, pos: number, end: number, skipSplices: (i: number) => number): number {
  const c = text.charCodeAt(pos);
  if (c >= 128 || !isSinglePunct[c]) return 0;
  const ext = punctExt[c];
  if (ext === undefined) return pos + 1;
  const p1 = skipSplices(pos + 1);
  const c1 = p1 < end ? text.charCodeAt(p1) : -1;
  const p2 = c1 === -1 ? end : skipSplices(p1 + 1);
  const c2 = p2 < end ? text.charCodeAt(p2) : -1;
  for (const cand of ext) {
    if (cand.charCodeAt(1) !== c1) continue;
    if (cand.length === 2) return p1 + 1;
    if (cand.charCodeAt(2) === c2) return p2 + 1;
  }
  return pos + 1;
}
