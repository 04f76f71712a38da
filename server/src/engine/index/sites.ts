/**
 * Finds alternative-call sites in one file's live tokens, expanding wrapper
 * macros (with the definitions in effect there) until a site macro appears,
 * and reads the site's real first argument.
 */
import type { Token } from '../preproc/lexer';
import { lex } from '../preproc/lexer';
import type { MacroDef } from '../preproc/directives';
import { collectArgs, expandInvocation } from '../preproc/macros';
import type { Span } from '../facts/types';
import type { LineIndex } from '../util/lines';

export interface RawSite {
  /** The outermost invocation written in the source (its name token). */
  start: number;
  end: number;
  macro: string;
  wrappers: string[];
  target: Token[];
  targetSpan: Span | null;
  args: string[];
}

export type Lookup = (offset: number, name: string) => MacroDef | undefined;

/** Live tokens of a text: directive lines and dead branches left out. */
export function liveTokens(text: string, skip: ReadonlyArray<readonly [number, number]>, from = 0, to = text.length): Token[] {
  const out: Token[] = [];
  let s = 0;
  for (const t of lex(text, from, to)) {
    while (s < skip.length && skip[s][1] <= t.start) s++;
    if (s < skip.length && skip[s][0] <= t.start) continue;
    out.push(t);
  }
  return out;
}

export function findSites(tokens: Token[], siteMacros: ReadonlySet<string>, wrappers: ReadonlySet<string>, lookup: Lookup, lines: LineIndex): RawSite[] {
  const out: RawSite[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'ident') continue;
    if (siteMacros.has(t.text)) {
      if (tokens[i + 1]?.text !== '(') continue;
      const call = collectArgs(tokens, i + 1);
      if (!call) continue;
      out.push(site(t, tokens[call.end - 1] ?? t, t.text, [], call.args, true, lines));
      i = call.end - 1;
    } else if (wrappers.has(t.text)) {
      const expanded = expandInvocation(tokens, i, { lookup: (name) => lookup(t.start, name), opaque: siteMacros });
      if (!expanded) continue;
      const last = tokens[expanded.end - 1] ?? t;
      const output = expanded.output;
      for (let j = 0; j < output.length; j++) {
        const o = output[j];
        if (o.kind !== 'ident' || !siteMacros.has(o.text) || output[j + 1]?.text !== '(') continue;
        const call = collectArgs(output, j + 1);
        if (!call) continue;
        const chain = o.via.length ? o.via : [t.text];
        out.push(site(t, last, o.text, chain, call.args, false, lines));
        j = call.end - 1;
      }
      i = expanded.end - 1;
    }
  }
  return out;
}

function site(first: Token, last: Token, macro: string, wrappers: string[], args: Token[][], direct: boolean, lines: LineIndex): RawSite {
  const target = args[0] ?? [];
  const targetSpan = direct && target.length ? lines.span(target[0].start, target[target.length - 1].end) : null;
  return { start: first.start, end: last.end, macro, wrappers, target, targetSpan, args: args.slice(1).map(render) };
}

export function render(tokens: readonly Token[]): string {
  let s = '';
  for (const t of tokens) s += (s && t.spaceBefore ? ' ' : '') + t.text;
  return s;
}

export type Target = { root: string; path: string } | { reason: string };

/** Reads a site's first argument: a file-scope name with an optional `.member.path`, or why it cannot be patched. */
export function classifyTarget(tokens: readonly Token[]): Target {
  let toks = [...tokens];
  while (toks.length >= 2 && toks[0].text === '(' && toks[toks.length - 1].text === ')' && balancedInside(toks)) toks = toks.slice(1, -1);
  if (toks.length === 0) return { reason: 'the site has no function argument' };
  if (toks[0].kind !== 'ident') {
    if (toks[0].text === '(') return { reason: `\`${render(toks)}\` is a cast or an expression, not a file-scope object: the call cannot be patched` };
    if (toks[0].text === '*') return { reason: `\`${render(toks)}\` dereferences a pointer at run time: the call cannot be patched` };
    return { reason: `\`${render(toks)}\` is not a file-scope object: the call cannot be patched` };
  }
  const parts: string[] = [];
  for (let i = 1; i < toks.length; i += 2) {
    const op = toks[i].text;
    const name = toks[i + 1];
    if (op === '->') return { reason: `\`${render(toks)}\` goes through a pointer (\`->\`): the call cannot be patched` };
    if (op === '[') return { reason: `\`${render(toks)}\` selects an array element at run time: the call cannot be patched` };
    if (op === '(') return { reason: `\`${render(toks)}\` calls a function to get the pointer: the call cannot be patched` };
    if (op !== '.' || !name || name.kind !== 'ident') return { reason: `\`${render(toks)}\` is not a file-scope object or member path: the call cannot be patched` };
    parts.push(name.text);
  }
  return { root: toks[0].text, path: parts.join('.') };
}

function balancedInside(toks: Token[]): boolean {
  let depth = 0;
  for (let i = 0; i < toks.length - 1; i++) {
    if (toks[i].text === '(') depth++;
    else if (toks[i].text === ')') depth--;
    if (depth === 0) return false;
  }
  return true;
}

/**
 * Macros that may expand into a site: a body naming a site macro or another
 * such macro, or pasting (`##`) onto a prefix of one (`XSM_ALT_ ## rtype`).
 */
export function wrapperNames(defs: Iterable<MacroDef>, siteMacros: ReadonlySet<string>): Set<string> {
  const all = [...defs].filter((d) => !siteMacros.has(d.name));
  const found = new Set<string>();
  const reaches = (name: string) => siteMacros.has(name) || found.has(name);
  let changed = true;
  while (changed) {
    changed = false;
    for (const def of all) {
      if (found.has(def.name)) continue;
      const body = def.body;
      let hit = false;
      for (let i = 0; i < body.length && !hit; i++) {
        const t = body[i];
        if (t.kind !== 'ident') continue;
        if (reaches(t.text)) hit = true;
        // A pasted parameter (`X ## Y` in `__AC(X, Y)`) is the caller's text, not a name prefix.
        else if (body[i + 1]?.text === '##' && !def.params?.includes(t.text) && /[A-Za-z].*[A-Za-z_]/.test(t.text) && [...siteMacros, ...found].some((n) => n.startsWith(t.text) && n !== t.text)) hit = true;
      }
      if (hit) {
        found.add(def.name);
        changed = true;
      }
    }
  }
  return found;
}
