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
  /** Iterator macros (`for_each_online_cpu(cpu) { ... }`): loop headers tree-sitter cannot read as such. */
  loops: ReadonlySet<string>;
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
  return { plain, withArgs, loops: learnLoopMacros(candidates) };
}

/** Function-like macros whose body starts a `for` loop header, directly or through another such macro. */
export function learnLoopMacros(defs: readonly MacroDef[]): Set<string> {
  const loops = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const def of defs) {
      if (def.params === null || loops.has(def.name) || def.name.length < 5) continue;
      const first = def.body.findIndex((t) => t.text !== '(');
      const head = def.body[first];
      if (head && (head.text === 'for' || (loops.has(head.text) && def.body[first + 1]?.text === '('))) {
        loops.add(def.name);
        changed = true;
      }
    }
  }
  return loops;
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
  const rewrites: Array<readonly [number, number, string]> = [];
  const annotations: Annotation[] = [];
  let s = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    while (s < skip.length && skip[s][1] <= t.start) s++;
    if (s < skip.length && skip[s][0] <= t.start) continue;
    if (t.kind !== 'ident') continue;
    if (names.loops.has(t.text) && tokens[i + 1]?.text === '(') {
      // `for_each_cpu(c) { ... }` reads as `while      (c) { ... }`: the same loop shape, same offsets.
      rewrites.push([t.start, t.end, 'while']);
      continue;
    }
    if (TAG_KEYWORDS.has(t.text) && (tokens[i - 1]?.text === '(' || tokens[i - 1]?.text === ',') && tokens[i + 1]?.kind === 'ident' && (tokens[i + 2]?.text === ',' || tokens[i + 2]?.text === ')') && isMacroArgument(tokens, i)) {
      // `xzalloc(struct foo)`: a type as a macro argument; without its keyword it parses as an expression.
      ranges.push([t.start, t.end]);
      continue;
    }
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
  if (ranges.length === 0 && dead.length === 0 && rewrites.length === 0) return { text, annotations };
  return { text: blank(text, [...ranges.map(([s, e]) => [s, e, ''] as const), ...dead.map(([s, e]) => [s, e, ''] as const), ...rewrites]), annotations };
}

const TAG_KEYWORDS = new Set(['struct', 'union', 'enum']);

/** The `(` enclosing token `i` belongs to a call (an identifier before it), not a declarator or a cast. */
function isMacroArgument(tokens: readonly Token[], i: number): boolean {
  let depth = 0;
  for (let j = i - 1; j >= 0; j--) {
    const s = tokens[j].text;
    if (s === ')') depth++;
    else if (s === '(') {
      if (depth === 0) return tokens[j - 1]?.kind === 'ident' && !DECLARATION_CONTEXT.has(tokens[j - 1].text) && (tokens[j - 2]?.kind !== 'ident' || tokens[j - 2].text === 'return');
      depth--;
    } else if (s === ';' || s === '{' || s === '}') return false;
  }
  return false;
}

/** Before `(`, these start statements, not calls; and `type name(` is a declarator (checked by the ident before it). */
const DECLARATION_CONTEXT = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof']);

/** Each range becomes `text` padded with spaces to its length (blank when ''), newlines kept, so offsets hold. */
function blank(text: string, ranges: Array<readonly [number, number, string]>): string {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let pos = 0;
  for (const [start, end, replacement] of sorted) {
    if (end <= pos) continue;
    const from = Math.max(start, pos);
    const blanked = text.slice(from, end).replace(/[^\n]/g, ' ');
    parts.push(text.slice(pos, from), replacement && from === start ? replacement + blanked.slice(replacement.length) : blanked);
    pos = end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}
