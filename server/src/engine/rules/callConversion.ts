/**
 * The fix that turns a direct call through an ops object, `ops.fn(a, b)`,
 * into a site, `alternative_call(ops.fn, a, b)`: two small edits so the
 * arguments keep their formatting.
 */
import type { VarFact } from '../facts/types';
import type { IndexResult } from '../index/workspace';
import type { UseInfo } from '../index/types';
import type { TextEdit } from './types';
import { fieldOf, functionPointerTypedef } from './lookup';

/** The site macros take the function and at most this many arguments. */
const MAX_ARGS = 6;

export interface Conversion { macro: 'alternative_call' | 'alternative_vcall'; callee: string; edits: TextEdit[]; }

/**
 * `alternative_vcall` is required for a `void` function (`alternative_call`
 * declares a variable of the return type) and fine for any call whose value
 * is discarded, so it is chosen when the call is a statement of its own and
 * the member's return type is `void` (or `void *`: the text does not say
 * which) or not known.
 * Null when the use is not a plain call written at the use, or the call
 * has too many arguments for the site macros.
 */
export function convertDirectCall(index: IndexResult, text: string, use: UseInfo, decl: VarFact): Conversion | null {
  if (use.kind !== 'call' || use.via) return null;
  const open = skipSpace(text, use.span.end);
  if (text[open] !== '(') return null;
  const close = matchingParen(text, open);
  if (close < 0) return null;
  const inner = text.slice(open + 1, close);
  const args = countArgs(inner);
  if (args === null || args > MAX_ARGS) return null;
  const typed = use.path === '' ? decl : fieldOf(index, decl, use.path);
  // A pointer declared through a typedef has its return type on the typedef.
  const returnType = !typed ? null : typed.isFunctionPointer ? typed.typeText : functionPointerTypedef(index, typed.typeText.trim())?.typeText ?? null;
  const maybeVoid = returnType === null || /^(const\s+)?void$/.test(returnType.trim());
  const macro = maybeVoid && isStatement(text, use.span.start, close) ? 'alternative_vcall' : 'alternative_call';
  const callee = text.slice(use.span.start, use.span.end);
  const file = use.file;
  const edits: TextEdit[] = [{ file, start: use.span.start, end: use.span.start, newText: `${macro}(` }];
  if (args === 0) edits.push({ file, start: use.span.end, end: close + 1, newText: ')' });
  else edits.push({ file, start: use.span.end, end: skipSpace(text, open + 1), newText: ', ' });
  return { macro, callee, edits };
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

/** Offset of the `)` closing the `(` at `open`, skipping strings, characters and comments; -1 if unbalanced. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = endOfQuoted(text, i);
    else if (c === '/' && text[i + 1] === '*') i = text.indexOf('*/', i + 2) < 0 ? text.length : text.indexOf('*/', i + 2) + 1;
    else if (c === '/' && text[i + 1] === '/') i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function endOfQuoted(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === text[start] || text[i] === '\n') return i;
  }
  return text.length;
}

/** Number of top-level comma-separated arguments (0 for none); null when the brackets do not balance. */
function countArgs(inner: string): number | null {
  if (inner.trim() === '') return 0;
  let depth = 0;
  let count = 1;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '"' || c === "'") i = endOfQuoted(inner, i);
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) count++;
    if (depth < 0) return null;
  }
  return depth === 0 ? count : null;
}

/**
 * Whether the call from `start` to `close` is an expression statement: `;`
 * after it, and before it the start of a statement (`;`, a brace, a label,
 * `else`/`do`, an `if`/`while`/`for` condition) or a `(void)` cast.
 */
function isStatement(text: string, start: number, close: number): boolean {
  if (text[skipSpace(text, close + 1)] !== ';') return false;
  const i = previousCodeChar(text, start - 1);
  const c = text[i];
  if (i < 0 || c === ';' || c === '{' || c === '}') return true;
  if (c === ':') return isLabel(text.slice(text.lastIndexOf('\n', i) + 1, i));
  if (/\w/.test(c)) {
    const word = /\w+$/.exec(text.slice(Math.max(0, i - 10), i + 1))?.[0];
    return word === 'else' || word === 'do';
  }
  if (c !== ')') return false;
  let depth = 0;
  let j = i;
  for (; j >= 0; j--) {
    if (text[j] === ')') depth++;
    else if (text[j] === '(' && --depth === 0) break;
  }
  if (j < 0) return false;
  if (/^\s*void\s*$/.test(text.slice(j + 1, i))) return true;
  const keyword = /(\w+)\s*$/.exec(text.slice(Math.max(0, j - 10), j))?.[1];
  return keyword === 'if' || keyword === 'while' || keyword === 'for';
}

/** `case X`, `default`, `label` before a `:` (not the middle of `?:`). */
function isLabel(before: string): boolean {
  return /^\s*(case\b[^?]*|default|[A-Za-z_]\w*)\s*$/.test(before);
}

/** The last offset at or before `i` that is neither blank nor in a comment (-1 at the start of the text). */
function previousCodeChar(text: string, i: number): number {
  for (;;) {
    while (i >= 0 && /\s/.test(text[i])) i--;
    if (i < 0) return -1;
    if (i > 0 && text[i] === '/' && text[i - 1] === '*') {
      i = text.lastIndexOf('/*', i - 2) - 1;
      continue;
    }
    const lineStart = text.lastIndexOf('\n', i) + 1;
    const lineComment = text.slice(lineStart, i + 1).indexOf('//');
    if (lineComment >= 0) {
      i = lineStart + lineComment - 1;
      continue;
    }
    return i;
  }
}
