/**
 * Attribute-like macros (`__init`, `__section(".x")`, `__ro_after_init`, ...)
 * are not C to tree-sitter: a declaration carrying one parses into ERROR
 * nodes. They are found here, learned from the tree's own #defines on top of
 * the configured names, and blanked (offsets kept) before parsing.
 */
import type { Token } from '../preproc/lexer';
import type { MacroDef } from '../preproc/directives';
import type { Annotation } from '../facts/types';
import type { LineIndex } from '../util/lines';

/** Names that behave as attributes; `withArgs` ones take a parenthesised argument list. */
export interface AttributeNames {
  plain: ReadonlySet<string>;
  withArgs: ReadonlySet<string>;
}

/** GCC's own spellings, always treated as attributes. */
const BUILTIN_WITH_ARGS = ['__attribute__', '__attribute', '__declspec'];

/**
 * Extends the configured names with every macro whose body is nothing but
 * attributes (or empty), to a fixpoint: `#define __init __text_section(".init.text")`
 * is learned once `__text_section(s)` is known to expand to `__attribute__((...))`.
 */
export function learnAttributeNames(configured: Iterable<string>, defs: Iterable<MacroDef>): AttributeNames {
  const plain = new Set<string>();
  const withArgs = new Set<string>(BUILTIN_WITH_ARGS);
  for (const name of configured) plain.add(name);
  const candidates = [...defs];
  let changed = true;
  while (changed) {
    changed = false;
    for (const def of candidates) {
      const set = def.params === null ? plain : withArgs;
      if (set.has(def.name)) continue;
      if (isAttributeBody(def.body, plain, withArgs)) {
        set.add(def.name);
        changed = true;
      }
    }
  }
  return { plain, withArgs };
}

/** True for an empty body, or one made only of attributes (a function-like one's may use its parameters inside parentheses). */
function isAttributeBody(body: readonly Token[], plain: ReadonlySet<string>, withArgs: ReadonlySet<string>): boolean {
  let i = 0;
  while (i < body.length) {
    const t = body[i];
    if (t.kind !== 'ident') return false;
    if (withArgs.has(t.text) && body[i + 1]?.text === '(') {
      const close = matchParen(body, i + 1);
      if (close < 0) return false;
      i = close + 1;
    } else if (plain.has(t.text)) {
      i++;
    } else {
      return false;
    }
  }
  return true;
}

/** Index of the `)` matching the `(` at `open`, or -1. */
export function matchParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const s = tokens[i].text;
    if (s === '(') depth++;
    else if (s === ')' && --depth === 0) return i;
  }
  return -1;
}

export interface Blanked { text: string; annotations: Annotation[]; }

/**
 * Replaces attribute occurrences (outside `skip` ranges, e.g. directive
 * lines) and the `dead` ranges with spaces, keeping newlines so that every
 * offset, line and column of the original stays valid.
 */
export function blankForParsing(
  text: string,
  tokens: readonly Token[],
  names: AttributeNames,
  skip: ReadonlyArray<readonly [number, number]>,
  dead: ReadonlyArray<readonly [number, number]>,
  lines: LineIndex,
): Blanked {
  const ranges: Array<[number, number]> = [];
  const annotations: Annotation[] = [];
  let s = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    while (s < skip.length && skip[s][1] <= t.start) s++;
    if (s < skip.length && skip[s][0] <= t.start) continue;
    if (t.kind !== 'ident') continue;
    let end = -1;
    if (names.withArgs.has(t.text) && tokens[i + 1]?.text === '(') {
      const close = matchParen(tokens, i + 1);
      if (close > 0) {
        end = tokens[close].end;
        i = close;
      }
    } else if (names.plain.has(t.text)) {
      end = t.end;
    }
    if (end < 0) continue;
    ranges.push([t.start, end]);
    annotations.push({ name: t.text, span: lines.span(t.start, end) });
  }
  if (ranges.length === 0 && dead.length === 0) return { text, annotations };
  return { text: blank(text, [...ranges, ...dead]), annotations };
}

function blank(text: string, ranges: Array<readonly [number, number]>): string {
  ranges.sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let pos = 0;
  for (const [start, end] of ranges) {
    if (end <= pos) continue;
    const from = Math.max(start, pos);
    parts.push(text.slice(pos, from), text.slice(from, end).replace(/[^\n]/g, ' '));
    pos = end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}
