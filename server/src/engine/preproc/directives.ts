// Finds the preprocessor directives of a file and decodes the parts the
// engine needs (macro definitions, include paths, conditions), without
// evaluating anything.

import { lex, removeContinuations, Token } from './lexer';

export interface MacroDef {
  name: string;
  /** Parameter names, the variadic one last (as `__VA_ARGS__` or its GNU name); null = object-like. */
  params: string[] | null;
  /** '__VA_ARGS__', the GNU named variadic parameter (`args...` -> 'args'), or null. */
  variadic: string | null;
  body: Token[];
  /** The whole `#define` logical line. */
  start: number;
  end: number;
  nameStart: number;
  line: number;
}

/** Macro definitions as text, to tell whether a file's definitions changed. */
export function macroDefsKey(defs: readonly MacroDef[]): string {
  return defs.map((d) => `${d.name}(${d.params?.join(',') ?? ''})${d.body.map((t) => t.text).join(' ')}`).join('\n');
}

export type DirectiveKind =
  | 'define' | 'undef' | 'include' | 'if' | 'ifdef' | 'ifndef' | 'elif' | 'else' | 'endif'
  | 'error' | 'pragma' | 'other';

export interface Directive {
  kind: DirectiveKind;
  /** The directive word as written (`include_next`, `warning`, `elifdef`, ...); '' for a null directive. */
  name: string;
  /** The whole logical line: from the start of the `#` line to its terminating newline (excluded). */
  start: number;
  end: number;
  line: number;
  /** Tokens after the directive word. */
  tokens: Token[];
  /** kind 'define'. */
  macro?: MacroDef;
  /** kind 'undef'. */
  macroName?: string;
  /** kind 'include': the path without delimiters; for a computed include (`#include MACRO`) the tokens' text. */
  path?: string;
  angled?: boolean;
  computed?: boolean;
  /** kinds 'if', 'elif', 'ifdef', 'ifndef' (for the last two, the macro name). `#elifdef X` is an 'elif' on `defined X`. */
  condition?: Token[];
}

const KIND_BY_NAME: Record<string, DirectiveKind> = {
  define: 'define',
  undef: 'undef',
  include: 'include',
  include_next: 'include',
  import: 'include',
  if: 'if',
  ifdef: 'ifdef',
  ifndef: 'ifndef',
  elif: 'elif',
  elifdef: 'elif',
  elifndef: 'elif',
  else: 'else',
  endif: 'endif',
  error: 'error',
  pragma: 'pragma',
};

export function scanDirectives(text: string, tokens: Token[] = lex(text)): Directive[] {
  const out: Directive[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const hash = tokens[i];
    if (!hash.bol || hash.text !== '#') continue;
    let j = i + 1;
    while (j < tokens.length && !tokens[j].bol) j++;
    const last = j - 1 > i ? tokens[j - 1] : hash;
    out.push(decode(text, tokens.slice(i + 1, j), lineStart(text, hash.start), logicalLineEnd(text, last.end), hash.line));
    i = j - 1;
  }
  return out;
}

function decode(text: string, toks: Token[], start: number, end: number, line: number): Directive {
  const word = toks.length > 0 && toks[0].kind === 'ident' ? toks[0].text : '';
  const rest = word === '' ? toks : toks.slice(1);
  const d: Directive = { kind: KIND_BY_NAME[word] ?? 'other', name: word, start, end, line, tokens: rest };
  switch (d.kind) {
    case 'define': {
      const macro = parseDefine(rest, start, end, line);
      if (macro) d.macro = macro;
      else d.kind = 'other';
      break;
    }
    case 'undef':
      if (rest.length > 0 && rest[0].kind === 'ident') d.macroName = rest[0].text;
      else d.kind = 'other';
      break;
    case 'include':
      decodeInclude(text, d, end);
      break;
    case 'elif':
      d.condition = word === 'elif' ? rest : definedTest(rest, word === 'elifndef');
      break;
    case 'if':
    case 'ifdef':
    case 'ifndef':
      d.condition = rest;
      break;
    default:
      break;
  }
  return d;
}

// `#elifdef X` / `#elifndef X` as the tokens of `defined X` / `! defined X`,
// placed on the name so that diagnostics still point into the directive.
function definedTest(rest: Token[], negate: boolean): Token[] {
  if (rest.length === 0) return rest;
  const at = rest[0];
  const synth = (kind: Token['kind'], tokText: string): Token => ({ ...at, kind, text: tokText, spaceBefore: true });
  const test = [synth('ident', 'defined'), rest[0]];
  return negate ? [synth('punct', '!'), ...test] : test;
}

function decodeInclude(text: string, d: Directive, end: number): void {
  const first = d.tokens[0];
  if (first === undefined) {
    d.kind = 'other';
    return;
  }
  if (first.kind === 'string' && first.text.startsWith('"')) {
    d.path = first.text.slice(1, first.text.endsWith('"') && first.text.length > 1 ? -1 : undefined);
    d.angled = false;
    return;
  }
  if (first.text === '<') {
    // A header name is not made of ordinary tokens (`<a//b.h>` holds no
    // comment), so it is read from the raw text.
    const close = text.indexOf('>', first.end);
    if (close !== -1 && close <= end) {
      d.path = removeContinuations(text.slice(first.end, close));
      d.angled = true;
      return;
    }
  }
  d.path = d.tokens.map((t) => t.text).join('');
  d.angled = false;
  d.computed = true;
}

function parseDefine(rest: Token[], start: number, end: number, line: number): MacroDef | null {
  const nameTok = rest[0];
  if (nameTok === undefined || nameTok.kind !== 'ident') return null;
  const def: MacroDef = {
    name: nameTok.text,
    params: null,
    variadic: null,
    body: [],
    start,
    end,
    nameStart: nameTok.start,
    line,
  };
  let k = 1;
  // Function-like only when the parenthesis touches the name.
  if (rest[1] !== undefined && rest[1].text === '(' && !rest[1].spaceBefore) {
    const params: string[] = [];
    k = 2;
    let expectName = true;
    for (;;) {
      const t = rest[k++];
      if (t === undefined) return null;
      if (t.text === ')' && (!expectName || params.length === 0)) break;
      if (!expectName) {
        if (t.text !== ',' || def.variadic !== null) return null;
        expectName = true;
        continue;
      }
      if (t.text === '...') {
        def.variadic = '__VA_ARGS__';
        params.push('__VA_ARGS__');
      } else if (t.kind === 'ident') {
        params.push(t.text);
        if (rest[k] !== undefined && rest[k].text === '...') {
          def.variadic = t.text;
          k++;
        }
      } else {
        return null;
      }
      expectName = false;
    }
    def.params = params;
  }
  def.body = rest.slice(k);
  return def;
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

// The newline ending the logical line that contains `pos`, where `pos` is
// past the line's last token: only whitespace, comments and continuations
// can lie between them.
function logicalLineEnd(text: string, pos: number): number {
  let i = pos;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) return text.charCodeAt(i - 1) === 13 ? i - 1 : i;
    if (c === 92 /* \ */) {
      const m = text.charCodeAt(i + 1) === 13 ? i + 2 : i + 1;
      if (text.charCodeAt(m) === 10) {
        i = m + 1;
        continue;
      }
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      if (close === -1) return n;
      i = close + 2;
      continue;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      // A line comment runs to the newline, possibly past continuations.
      i += 2;
      for (;;) {
        while (i < n && text.charCodeAt(i) !== 10) i++;
        if (i < n && isContinued(text, i)) i++;
        else break;
      }
      return i < n && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
    }
    i++;
  }
  return n;
}

function isContinued(text: string, nl: number): boolean {
  const before = text.charCodeAt(nl - 1) === 13 ? nl - 2 : nl - 1;
  return before >= 0 && text.charCodeAt(before) === 92;
}
