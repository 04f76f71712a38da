// Evaluates `#if`-family conditions against what the user told us about the
// build (a Kconfig .config or CONFIG_X=y defines). Anything the
// configuration does not decide is 'unknown', and unknown branches are always
// kept: dropping code on a guess would hide facts.

import { Directive } from './directives';
import { lex, Token } from './lexer';

export interface BuildConfig {
  known(name: string): boolean;
  /** The macro's replacement text; undefined = known not to be defined. */
  value(name: string): string | undefined;
  /** Everything known, as plain data: configurations cross to worker threads and merge this way. */
  entries(): Array<[string, string | undefined]>;
}

/**
 * The build configuration from a Kconfig .config text (if any) overlaid with
 * `CONFIG_X=value` defines, which win: how both the CLI and the editor layer
 * their sources.
 */
export function layeredConfig(kconfigText: string | null, defines: Record<string, string>): BuildConfig {
  return kconfigText === null ? configFromDefines(defines) : configFromEntries([...configFromKconfig(kconfigText).entries(), ...configFromDefines(defines).entries()]);
}

/** A configuration from known names; later entries win, so `[...fromFile, ...fromFlags]` lets flags override. */
export function configFromEntries(entries: Iterable<readonly [string, string | undefined]>): BuildConfig {
  return fromMap(new Map(entries));
}

function fromMap(map: Map<string, string | undefined>): BuildConfig {
  return { known: (n) => map.has(n), value: (n) => map.get(n), entries: () => [...map] };
}

export type Truth = boolean | 'unknown';

export interface ConditionalResult {
  /** Offset ranges of text in branches known to be false (directive lines themselves excluded). */
  dead: Array<[number, number]>;
  /** Unbalanced #else/#elif/#endif, missing #endif. Lines are 0-based. */
  problems: Array<{ line: number; message: string }>;
}

// Kconfig values as they reach C through autoconf.h: y -> 1, m -> only
// CONFIG_X_MODULE, n -> not defined.
function addKconfigValue(map: Map<string, string | undefined>, name: string, raw: string): void {
  if (raw === 'y') map.set(name, '1');
  else if (raw === 'n') map.set(name, undefined);
  else if (raw === 'm') {
    map.set(name, undefined);
    map.set(`${name}_MODULE`, '1');
  } else map.set(name, raw);
}

export function configFromDefines(defines: Record<string, string>): BuildConfig {
  const map = new Map<string, string | undefined>();
  for (const [name, raw] of Object.entries(defines)) addKconfigValue(map, name, raw);
  return fromMap(map);
}

export function configFromKconfig(text: string): BuildConfig {
  const map = new Map<string, string | undefined>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    const set = /^(CONFIG_\w+)=(.*)$/.exec(line);
    if (set) addKconfigValue(map, set[1], set[2]);
    const unset = /^#\s*(CONFIG_\w+) is not set$/.exec(line);
    if (unset) map.set(unset[1], undefined);
  }
  // Only what the file says is known: a hand-written or partial .config must
  // not make code under options it does not mention disappear.
  return fromMap(map);
}

// Preprocessor arithmetic is done in intmax_t / uintmax_t.
interface Num {
  v: bigint;
  unsigned: boolean;
}
type Val = Num | 'unknown';

const U = 'unknown' as const;
const MAX_VALUE_DEPTH = 16;

export function evalCondition(tokens: Token[], cfg: BuildConfig): Truth {
  return truth(evaluate(tokens, cfg, 0));
}

function truth(v: Val): Truth {
  return v === U ? U : v.v !== 0n;
}

function num(v: bigint | boolean, unsigned = false): Num {
  const b = typeof v === 'boolean' ? (v ? 1n : 0n) : v;
  return { v: unsigned ? BigInt.asUintN(64, b) : BigInt.asIntN(64, b), unsigned };
}

function evaluate(tokens: Token[], cfg: BuildConfig, depth: number): Val {
  const p = new Parser(tokens, cfg, depth);
  try {
    const v = p.comma();
    return p.atEnd() ? v : U;
  } catch (e) {
    if (e instanceof SyntaxFailure) return U;
    throw e;
  }
}

class SyntaxFailure extends Error {}

// Precedence climbing over the C conditional-expression grammar. Both sides
// of && || ?: are always parsed (there are no side effects), and combined
// three-valued.
class Parser {
  private i = 0;

  constructor(
    private readonly toks: Token[],
    private readonly cfg: BuildConfig,
    private readonly depth: number,
  ) {}

  atEnd(): boolean {
    return this.i >= this.toks.length;
  }

  private peek(): string | undefined {
    return this.toks[this.i]?.text;
  }

  private take(): Token {
    const t = this.toks[this.i++];
    if (t === undefined) throw new SyntaxFailure();
    return t;
  }

  private expect(text: string): void {
    if (this.take().text !== text) throw new SyntaxFailure();
  }

  comma(): Val {
    let v = this.conditional();
    while (this.peek() === ',') {
      this.i++;
      v = this.conditional();
    }
    return v;
  }

  private conditional(): Val {
    const c = this.binary(0);
    if (this.peek() !== '?') return c;
    this.i++;
    const a = this.comma();
    this.expect(':');
    const b = this.conditional();
    const t = truth(c);
    if (t === true) return a;
    if (t === false) return b;
    return a !== U && b !== U && a.v === b.v ? a : U;
  }

  private binary(minPrec: number): Val {
    let left = this.unary();
    for (;;) {
      const op = this.peek();
      const prec = op === undefined ? undefined : PRECEDENCE[op];
      if (prec === undefined || prec < minPrec) return left;
      this.i++;
      const right = this.binary(prec + 1);
      left = applyBinary(op!, left, right);
    }
  }

  private unary(): Val {
    const t = this.take();
    switch (t.text) {
      case '!': {
        const v = this.unary();
        return v === U ? U : num(v.v === 0n);
      }
      case '~': {
        const v = this.unary();
        return v === U ? U : num(~v.v, v.unsigned);
      }
      case '-': {
        const v = this.unary();
        return v === U ? U : num(-v.v, v.unsigned);
      }
      case '+':
        return this.unary();
      case '(': {
        const v = this.comma();
        this.expect(')');
        return v;
      }
      default:
        break;
    }
    if (t.kind === 'number') return parseInteger(t.text);
    if (t.kind === 'char') return parseChar(t.text);
    if (t.kind !== 'ident') throw new SyntaxFailure();
    if (t.text === 'defined') return this.defined();
    if (t.text === 'IS_ENABLED' || t.text === 'IS_BUILTIN') return this.isEnabled();
    if (this.peek() === '(') {
      // A function-like macro or operator (__has_include, ...) nobody told us about.
      this.skipParens();
      return U;
    }
    return this.identifier(t.text);
  }

  private defined(): Val {
    const paren = this.peek() === '(';
    if (paren) this.i++;
    const name = this.take();
    if (name.kind !== 'ident') throw new SyntaxFailure();
    if (paren) this.expect(')');
    if (!this.cfg.known(name.text)) return U;
    return num(this.cfg.value(name.text) !== undefined);
  }

  // Kconfig's IS_ENABLED: 1 when the option is y (or m), 0 otherwise.
  private isEnabled(): Val {
    this.expect('(');
    const name = this.take();
    this.expect(')');
    if (name.kind !== 'ident' || !this.cfg.known(name.text)) return U;
    const v = this.cfg.value(name.text);
    if (v === '1' || this.cfg.value(`${name.text}_MODULE`) === '1') return num(1n);
    return v === undefined ? num(0n) : U;
  }

  private identifier(name: string): Val {
    if (!this.cfg.known(name)) return U;
    const value = this.cfg.value(name);
    // An identifier that is not a macro is 0 in #if.
    if (value === undefined) return num(0n);
    if (this.depth >= MAX_VALUE_DEPTH) return U;
    const body = lex(value);
    return body.length === 0 ? U : evaluate(body, this.cfg, this.depth + 1);
  }

  private skipParens(): void {
    let depth = 0;
    do {
      const t = this.take().text;
      if (t === '(') depth++;
      else if (t === ')') depth--;
    } while (depth > 0);
  }
}

const PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6, '!=': 6,
  '<': 7, '>': 7, '<=': 7, '>=': 7,
  '<<': 8, '>>': 8,
  '+': 9, '-': 9,
  '*': 10, '/': 10, '%': 10,
};

function applyBinary(op: string, a: Val, b: Val): Val {
  if (op === '&&') {
    if (a !== U && a.v === 0n) return num(0n);
    if (b !== U && b.v === 0n) return num(0n);
    return a === U || b === U ? U : num(1n);
  }
  if (op === '||') {
    if (a !== U && a.v !== 0n) return num(1n);
    if (b !== U && b.v !== 0n) return num(1n);
    return a === U || b === U ? U : num(0n);
  }
  if (a === U || b === U) return U;
  const unsigned = a.unsigned || b.unsigned;
  const x = unsigned ? BigInt.asUintN(64, a.v) : a.v;
  const y = unsigned ? BigInt.asUintN(64, b.v) : b.v;
  switch (op) {
    case '|': return num(x | y, unsigned);
    case '^': return num(x ^ y, unsigned);
    case '&': return num(x & y, unsigned);
    case '==': return num(x === y);
    case '!=': return num(x !== y);
    case '<': return num(x < y);
    case '>': return num(x > y);
    case '<=': return num(x <= y);
    case '>=': return num(x >= y);
    case '<<': return y < 0n || y > 63n ? U : num(x << y, a.unsigned);
    case '>>': return y < 0n || y > 63n ? U : num((a.unsigned ? BigInt.asUintN(64, a.v) : a.v) >> y, a.unsigned);
    case '+': return num(x + y, unsigned);
    case '-': return num(x - y, unsigned);
    case '*': return num(x * y, unsigned);
    case '/': return y === 0n ? U : num(x / y, unsigned);
    case '%': return y === 0n ? U : num(x % y, unsigned);
    default: return U;
  }
}

function parseInteger(text: string): Val {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)([uUlL]*)$/.exec(text);
  if (!m || !/^(u?(l|ll|L|LL)?|(l|ll|L|LL)u?)$/i.test(m[2])) return U;
  const digits = m[1];
  let v: bigint;
  if (/^0[0-7]+$/.test(digits)) v = BigInt(`0o${digits.slice(1)}`);
  else if (/^0[0-9]+$/.test(digits)) return U; // 08, 09: not an octal number
  else v = BigInt(digits);
  const unsigned = /u/i.test(m[2]) || v > 0x7fffffffffffffffn;
  if (v > 0xffffffffffffffffn) return U;
  return num(v, unsigned);
}

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11, '?': 63,
};

function parseChar(text: string): Val {
  const m = /^'(?:([^\\'])|\\(.))'$/.exec(text);
  if (!m) return U;
  if (m[1] !== undefined) return num(BigInt(m[1].charCodeAt(0)));
  const e = SIMPLE_ESCAPES[m[2]];
  return e === undefined ? U : num(BigInt(e));
}

interface Frame {
  line: number;
  /** The group is inside a dead branch of an enclosing conditional. */
  outerDead: boolean;
  /** Some earlier branch of this conditional is known true. */
  taken: boolean;
  /** The current branch is known false; its text starts at `deadFrom`. */
  dead: boolean;
  deadFrom: number;
  sawElse: boolean;
}

export function analyseConditionals(directives: Directive[], textLength: number, cfg: BuildConfig): ConditionalResult {
  const dead: Array<[number, number]> = [];
  const problems: ConditionalResult['problems'] = [];
  const stack: Frame[] = [];
  const top = (): Frame | undefined => stack[stack.length - 1];
  const closeBranch = (f: Frame, at: number): void => {
    if (f.dead && !f.outerDead && at > f.deadFrom) dead.push([f.deadFrom, at]);
  };
  const openBranch = (f: Frame, d: Directive, t: Truth): void => {
    f.dead = t === false || f.taken;
    if (t === true) f.taken = true;
    f.deadFrom = d.end;
  };

  for (const d of directives) {
    switch (d.kind) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const parent = top();
        const outerDead = parent !== undefined && (parent.dead || parent.outerDead);
        const f: Frame = { line: d.line, outerDead, taken: false, dead: false, deadFrom: d.end, sawElse: false };
        openBranch(f, d, outerDead ? 'unknown' : conditionTruth(d, cfg));
        stack.push(f);
        break;
      }
      case 'elif':
      case 'else': {
        const f = top();
        if (f === undefined) {
          problems.push({ line: d.line, message: `#${d.name} without #if` });
          break;
        }
        if (f.sawElse) problems.push({ line: d.line, message: `#${d.name} after #else` });
        closeBranch(f, d.start);
        if (d.kind === 'else') f.sawElse = true;
        const t = d.kind === 'else' ? true : f.taken || f.outerDead ? 'unknown' : conditionTruth(d, cfg);
        openBranch(f, d, t);
        break;
      }
      case 'endif': {
        const f = stack.pop();
        if (f === undefined) problems.push({ line: d.line, message: '#endif without #if' });
        else closeBranch(f, d.start);
        break;
      }
      default:
        break;
    }
  }
  for (let f = stack.pop(); f !== undefined; f = stack.pop()) {
    problems.push({ line: f.line, message: 'unterminated conditional: #endif missing' });
    closeBranch(f, textLength);
  }
  dead.sort((a, b) => a[0] - b[0]);
  return { dead, problems };
}

function conditionTruth(d: Directive, cfg: BuildConfig): Truth {
  const cond = d.condition ?? [];
  if (d.kind !== 'ifdef' && d.kind !== 'ifndef') return evalCondition(cond, cfg);
  const name = cond[0];
  if (name === undefined || name.kind !== 'ident' || !cfg.known(name.text)) return 'unknown';
  const defined = cfg.value(name.text) !== undefined;
  return d.kind === 'ifdef' ? defined : !defined;
}
