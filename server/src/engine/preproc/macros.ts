// Macro expansion as GCC does it, far enough to see what a wrapper macro
// really passes to alternative_call. Recursion is stopped with Prosser's hide
// sets (each token carries the names that must not expand it again), which
// is what "painting blue" amounts to.

import { MacroDef } from './directives';
import { lex, Token } from './lexer';

export type MacroLookup = (name: string) => MacroDef | undefined;

export interface ExpandOptions {
  lookup: MacroLookup;
  /** Names never expanded: kept as invocations in the output (their arguments are still expanded). */
  opaque?: ReadonlySet<string>;
  /**
   * Cap on the tokens returned (default 100,000). Substitution work is capped
   * at 20 times that, against blow-ups whose tokens are later dropped.
   */
  maxTokens?: number;
  /** Cap on nesting (pending expansions, argument pre-expansion). Default 200. */
  maxDepth?: number;
}

export interface ExpandedToken extends Token {
  /** Macros whose expansion produced the token, outermost first; [] for tokens written at the call site. */
  via: string[];
}

interface XTok extends ExpandedToken {
  hs: ReadonlySet<string> | undefined;
}

/** Where an invocation sits in the source; every token its body produces is placed there. */
interface Site {
  start: number;
  end: number;
  line: number;
  via: string[];
  spaceBefore: boolean;
}

const WORK_PER_TOKEN = 20;

// Marks a `##` operator (as opposed to a `##` token passed in an argument)
// and an empty operand of one.
const PASTE = 'paste';
const PLACEMARKER = 'placemarker';
type Piece = XTok | typeof PASTE | typeof PLACEMARKER;

export function collectArgs(tokens: Token[], openParen: number): { args: Token[][]; end: number } | null {
  if (tokens[openParen]?.text !== '(') return null;
  const args: Token[][] = [[]];
  let depth = 0;
  for (let i = openParen + 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'punct') {
      if (t.text === '(') depth++;
      else if (t.text === ')') {
        if (depth === 0) return { args, end: i + 1 };
        depth--;
      } else if (t.text === ',' && depth === 0) {
        args.push([]);
        continue;
      }
    }
    args[args.length - 1].push(t);
  }
  return null;
}

export function expandTokens(tokens: Token[], opts: ExpandOptions): ExpandedToken[] {
  const ex = new Expander(opts);
  return ex.run(tokens, 0, false, true).map(strip);
}

export function expandInvocation(
  tokens: Token[],
  index: number,
  opts: ExpandOptions,
): { end: number; output: ExpandedToken[] } | null {
  const t = tokens[index];
  if (t === undefined || t.kind !== 'ident' || opts.opaque?.has(t.text) || !opts.lookup(t.text)) return null;
  const ex = new Expander(opts);
  const output = ex.run(tokens, index, true, true);
  if (ex.bottomEnd === index) return null;
  return { end: ex.bottomEnd, output: output.map(strip) };
}

function strip(t: XTok): ExpandedToken {
  const { hs: _hs, ...rest } = t;
  return rest;
}

function fromSource(t: Token): XTok {
  return { ...t, via: [], hs: undefined };
}

interface Context {
  toks: ReadonlyArray<Token>;
  pos: number;
  /** Tokens of the caller's list, wrapped on read so that a call does not copy the whole list. */
  raw: boolean;
}

class Expander {
  private readonly lookup: MacroLookup;
  private readonly opaque: ReadonlySet<string>;
  private readonly maxTokens: number;
  private readonly maxDepth: number;
  /** Tokens created so far by every substitution of this call, nested runs included. */
  private produced = 0;
  private depth = 0;
  private stack: Context[] = [];
  bottomEnd = 0;

  constructor(opts: ExpandOptions) {
    this.lookup = opts.lookup;
    this.opaque = opts.opaque ?? new Set();
    this.maxTokens = opts.maxTokens ?? 100_000;
    this.maxDepth = opts.maxDepth ?? 200;
  }

  private get exhausted(): boolean {
    return this.produced > this.maxTokens * WORK_PER_TOKEN;
  }

  /**
   * Expands `toks` from `from`. With `single`, stops once the invocation at
   * `from` and whatever its expansion pulled from the following tokens are
   * done; `bottomEnd` is then the index just past them.
   */
  run(toks: ReadonlyArray<Token>, from: number, single: boolean, raw: boolean): XTok[] {
    const saved = this.stack;
    const bottom: Context = { toks, pos: from, raw };
    this.stack = [bottom];
    const out: XTok[] = [];
    let started = false;
    for (;;) {
      if (single && started) {
        this.dropFinished();
        if (this.stack.length === 1) break;
      }
      if (out.length >= this.maxTokens) break;
      const t = this.next();
      if (t === undefined) break;
      const expansion = this.tryExpand(t);
      if (expansion === null) {
        if (single && !started) break;
        out.push(t);
        continue;
      }
      started = true;
      // Contexts the arguments used up go first, so that only real nesting counts toward maxDepth.
      this.dropFinished();
      this.stack.push({ toks: expansion, pos: 0, raw: false });
    }
    this.bottomEnd = single && !started ? from : bottom.pos;
    this.stack = saved;
    return out;
  }

  private dropFinished(): void {
    const s = this.stack;
    while (s.length > 1 && s[s.length - 1].pos >= s[s.length - 1].toks.length) s.pop();
  }

  private next(): XTok | undefined {
    this.dropFinished();
    const c = this.stack[this.stack.length - 1];
    if (c.pos >= c.toks.length) return undefined;
    const t = c.toks[c.pos++];
    return c.raw ? fromSource(t) : (t as XTok);
  }

  private peek(): Token | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const c = this.stack[i];
      if (c.pos < c.toks.length) return c.toks[c.pos];
    }
    return undefined;
  }

  /** The tokens replacing invocation `t` (its arguments consumed), or null when `t` is not expanded. */
  private tryExpand(t: XTok): XTok[] | null {
    if (t.kind !== 'ident' || this.exhausted || this.stack.length > this.maxDepth) return null;
    if (this.opaque.has(t.text) || t.hs?.has(t.text)) return null;
    const def = this.lookup(t.text);
    if (def === undefined) return null;
    if (def.params === null) {
      const site = siteOf(t, undefined, def.name);
      return this.substitute(def, [], withName(t.hs, def.name), site);
    }
    if (this.peek()?.text !== '(') return null;
    const snapshot = this.stack.slice();
    const positions = snapshot.map((c) => c.pos);
    const collected = this.readArgs(def);
    if (collected === null) {
      this.stack = snapshot;
      snapshot.forEach((c, i) => (c.pos = positions[i]));
      return null;
    }
    const { args, close } = collected;
    const site = siteOf(t, close, def.name);
    return this.substitute(def, args, withName(intersect(t.hs, close.hs), def.name), site);
  }

  /** Reads `( args )` through the context stack; null when unbalanced or of the wrong count. */
  private readArgs(def: MacroDef): { args: XTok[][]; close: XTok } | null {
    this.next(); // the '('
    const args: XTok[][] = [[]];
    const commas: XTok[] = [];
    let depth = 0;
    for (;;) {
      const t = this.next();
      if (t === undefined) return null;
      if (t.kind === 'punct') {
        if (t.text === '(') depth++;
        else if (t.text === ')') {
          if (depth === 0) {
            const fitted = fitArgs(def, args, commas);
            return fitted === null ? null : { args: fitted, close: t };
          }
          depth--;
        } else if (t.text === ',' && depth === 0) {
          commas.push(t);
          args.push([]);
          continue;
        }
      }
      args[args.length - 1].push(t);
    }
  }

  /** Fully expands one argument on its own, as C requires before substitution. */
  private preExpand(arg: XTok[]): XTok[] {
    if (this.depth >= this.maxDepth || this.exhausted) return arg;
    this.depth++;
    const saved = this.bottomEnd;
    const out = this.run(arg, 0, false, false);
    this.bottomEnd = saved;
    this.depth--;
    return out;
  }

  private substitute(def: MacroDef, args: XTok[][], hs: ReadonlySet<string>, site: Site): XTok[] {
    const paramIndex = new Map<string, number>();
    def.params?.forEach((p, i) => paramIndex.set(p, i));
    const expanded: Array<XTok[] | undefined> = [];
    const expandedArg = (i: number): XTok[] => (expanded[i] ??= this.preExpand(args[i]));
    const variadicIndex = def.variadic === null ? -1 : paramIndex.get(def.variadic) ?? -1;

    const pieces: Piece[] = [];
    const body = def.body;
    const fromBody = (b: Token): XTok => ({
      kind: b.kind,
      text: b.text,
      start: site.start,
      end: site.end,
      line: site.line,
      bol: false,
      spaceBefore: b.spaceBefore,
      via: site.via,
      hs: undefined,
    });

    const emitRange = (from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        const b = body[i];
        const param = def.params === null || b.kind !== 'ident' ? undefined : paramIndex.get(b.text);

        if (b.text === '#' && b.kind === 'punct' && def.params !== null && i + 1 < to) {
          const target = paramIndex.get(body[i + 1].text);
          if (target !== undefined && body[i + 1].kind === 'ident') {
            pieces.push({ ...fromBody(b), kind: 'string', text: stringize(args[target]) });
            i++;
            continue;
          }
        }
        if (b.text === '##' && b.kind === 'punct') {
          // GNU: `, ## __VA_ARGS__` drops the comma when the variadic argument is empty.
          const next = body[i + 1];
          const prev = pieces[pieces.length - 1];
          if (
            next !== undefined && variadicIndex >= 0 && next.text === def.variadic && i + 1 < to &&
            typeof prev === 'object' && prev.text === ',' && body[i - 1]?.text === ','
          ) {
            const va = args[variadicIndex];
            if (va.length === 0) pieces.pop();
            else pieces.push(...va);
            i++;
            continue;
          }
          pieces.push(PASTE);
          continue;
        }
        if (b.text === '__VA_OPT__' && def.variadic !== null && body[i + 1]?.text === '(') {
          const close = matchParen(body, i + 1, to);
          if (close !== -1) {
            if (expandedArg(variadicIndex).length > 0) emitRange(i + 2, close);
            else pieces.push(PLACEMARKER);
            i = close;
            continue;
          }
        }
        if (param !== undefined) {
          const nextToPaste = body[i - 1]?.text === '##' || (i + 1 < to && body[i + 1].text === '##');
          const arg = nextToPaste ? args[param] : expandedArg(param);
          if (arg.length === 0) pieces.push(PLACEMARKER);
          else {
            const first = arg[0];
            pieces.push({ ...first, spaceBefore: b.spaceBefore }, ...arg.slice(1));
          }
          continue;
        }
        pieces.push(fromBody(b));
      }
    };
    emitRange(0, body.length);

    const out = paste(pieces, site);
    this.produced += out.length;
    if (out.length > 0) out[0] = { ...out[0], spaceBefore: site.spaceBefore };
    for (let i = 0; i < out.length; i++) {
      const t = out[i];
      out[i] = { ...t, hs: union(t.hs, hs) };
    }
    return out;
  }
}

// Applies the `##` operators left to right and drops placemarkers.
function paste(pieces: Piece[], site: Site): XTok[] {
  const acc: Array<XTok | typeof PLACEMARKER> = [];
  let pending = false;
  for (const p of pieces) {
    if (p === PASTE) {
      pending = acc.length > 0;
      continue;
    }
    if (!pending) {
      acc.push(p);
      continue;
    }
    pending = false;
    const left = acc.pop()!;
    if (left === PLACEMARKER) acc.push(p);
    else if (p === PLACEMARKER) acc.push(left);
    else acc.push(...pasteTwo(left, p, site));
  }
  return acc.filter((p): p is XTok => p !== PLACEMARKER);
}

function pasteTwo(left: XTok, right: XTok, site: Site): XTok[] {
  const text = left.text + right.text;
  const relexed = lex(text);
  // An invalid paste (GCC reports it) leaves the two tokens side by side.
  if (relexed.length !== 1 || relexed[0].end !== text.length) return [left, { ...right, spaceBefore: false }];
  return [{
    kind: relexed[0].kind,
    text,
    start: site.start,
    end: site.end,
    line: site.line,
    bol: false,
    spaceBefore: left.spaceBefore,
    via: site.via,
    hs: undefined,
  }];
}

function stringize(arg: ReadonlyArray<Token>): string {
  let s = '';
  arg.forEach((t, i) => {
    if (i > 0 && t.spaceBefore) s += ' ';
    s += t.kind === 'string' || t.kind === 'char' ? t.text.replace(/[\\"]/g, '\\$&') : t.text;
  });
  return `"${s}"`;
}

function matchParen(body: ReadonlyArray<Token>, open: number, to: number): number {
  let depth = 0;
  for (let i = open; i < to; i++) {
    if (body[i].text === '(') depth++;
    else if (body[i].text === ')' && --depth === 0) return i;
  }
  return -1;
}

// Matches collected arguments to the parameters: `F()` is one empty
// argument, surplus arguments join the variadic one (commas kept), and a
// missing variadic argument is empty (GNU).
function fitArgs(def: MacroDef, args: XTok[][], commas: XTok[]): XTok[][] | null {
  const n = def.params!.length;
  if (n === 0) return args.length === 1 && args[0].length === 0 ? [] : null;
  if (def.variadic === null) return args.length === n ? args : null;
  if (args.length < n - 1) return null;
  if (args.length === n - 1) return [...args, []];
  const va: XTok[] = [...args[n - 1]];
  for (let i = n; i < args.length; i++) va.push(commas[i - 1], ...args[i]);
  return [...args.slice(0, n - 1), va];
}

function siteOf(name: XTok, close: XTok | undefined, macro: string): Site {
  // The invocation is where the source wrote it: when the closing parenthesis
  // comes from a deeper expansion than the name, the invocation was formed
  // inside that expansion.
  const anchor = close !== undefined && close.via.length > name.via.length ? close : name;
  const whole = anchor === name && close !== undefined && name.via.length === 0 && close.via.length === 0;
  return {
    start: anchor.start,
    end: whole && close !== undefined ? Math.max(close.end, name.end) : anchor.end,
    line: anchor.line,
    via: [...anchor.via, macro],
    spaceBefore: name.spaceBefore,
  };
}

function withName(hs: ReadonlySet<string> | undefined, name: string): ReadonlySet<string> {
  const s = new Set(hs);
  s.add(name);
  return s;
}

function intersect(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): ReadonlySet<string> | undefined {
  if (a === undefined || b === undefined) return undefined;
  const s = new Set<string>();
  for (const x of a) if (b.has(x)) s.add(x);
  return s;
}

function union(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): ReadonlySet<string> {
  if (a === undefined || a.size === 0) return b;
  const s = new Set(a);
  for (const x of b) s.add(x);
  return s;
}
