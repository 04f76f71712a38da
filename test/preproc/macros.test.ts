import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex, Token } from '../../server/out/engine/preproc/lexer';
import { MacroDef, scanDirectives } from '../../server/out/engine/preproc/directives';
import {
  collectArgs,
  ExpandOptions,
  expandInvocation,
  expandTokens,
} from '../../server/out/engine/preproc/macros';

const ALT = new Set(['alternative_call', 'alternative_vcall']);

// Splits a snippet into its macro table (definitions in order, #undef
// honoured) and the tokens outside directives.
function load(src: string, opaque: ReadonlySet<string> = new Set()): { tokens: Token[]; opts: ExpandOptions } {
  const all = lex(src);
  const directives = scanDirectives(src, all);
  const defs = new Map<string, MacroDef>();
  for (const d of directives) {
    if (d.kind === 'define') defs.set(d.macro!.name, d.macro!);
    if (d.kind === 'undef') defs.delete(d.macroName!);
  }
  const tokens = all.filter((t) => !directives.some((d) => t.start >= d.start && t.end <= d.end));
  return { tokens, opts: { lookup: (n) => defs.get(n), opaque } };
}

const spaced = (ts: ReadonlyArray<{ text: string }>): string => ts.map((t) => t.text).join(' ');
const norm = (s: string): string => spaced(lex(s));

function expandAll(src: string, opaque?: ReadonlySet<string>): string {
  const { tokens, opts } = load(src, opaque);
  return spaced(expandTokens(tokens, opts));
}

test('C11 6.10.3.5 example 3: rescanning, recursion and argument pre-expansion', () => {
  const src = `
#define x 3
#define f(a) f(x * (a))
#undef x
#define x 2
#define g f
#define z z[0]
#define h g(~
#define m(a) a(w)
#define w 0,1
#define t(a) a
#define p() int
#define q(x) x
#define r(x,y) x ## y
#define str(x) # x
f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);
g(x+(3,4)-w) | h 5) & m
(f)^m(m);
p() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };
char c[2][6] = { str(hello), str() };
`;
  assert.equal(
    expandAll(src),
    norm(`f(2 * (y+1)) + f(2 * (f(2 * (z[0])))) % f(2 * (0)) + t(1);
f(2 * (2+(3,4)-0,1)) | f(2 * (~ 5)) & f(2 * (0,1))^m(0,1);
int i[] = { 1, 23, 4, 5, };
char c[2][6] = { "hello", "" };`),
  );
});

test('C11 6.10.3.5 example 4: stringizing and pasting', () => {
  const src = `
#define str(s) # s
#define xstr(s) str(s)
#define debug(s, t) printf("x" # s "= %d, x" # t "= %s", \\
 x ## s, x ## t)
#define INCFILE(n) vers ## n
#define glue(a, b) a ## b
#define xglue(a, b) glue(a, b)
#define HIGHLOW "hello"
#define LOW LOW ", world"
debug(1, 2);
fputs(str(strncmp("abc\\0d", "abc", '\\4') // this goes away
 == 0) str(: @\\n), s);
xstr(INCFILE(2).h)
glue(HIGH, LOW);
xglue(HIGH, LOW)
`;
  const { tokens, opts } = load(src);
  const out = expandTokens(tokens, opts).map((t) => t.text);
  assert.deepEqual(out, [
    'printf', '(', '"x"', '"1"', '"= %d, x"', '"2"', '"= %s"', ',', 'x1', ',', 'x2', ')', ';',
    'fputs', '(', '"strncmp(\\"abc\\\\0d\\", \\"abc\\", \'\\\\4\') == 0"', '": @\\n"', ',', 's', ')', ';',
    '"vers2.h"',
    '"hello"', ';',
    '"hello"', '", world"',
  ]);
});

test('C11 6.10.3.5 examples 5 and 7: placemarkers and variadics', () => {
  const src = `
#define t(x,y,z) x ## y ## z
#define debug(...) fprintf(stderr, __VA_ARGS__)
#define showlist(...) puts(#__VA_ARGS__)
#define report(test, ...) ((test)?puts(#test): printf(__VA_ARGS__))
int j[] = { t(1,2,3), t(,4,5), t(6,,7), t(8,9,), t(10,,), t(,11,), t(,,12), t(,,) };
debug("Flag");
debug("X = %d\\n", x);
showlist(The first, second, and third items.);
report(x>y, "x is %d but y is %d", x, y);
`;
  assert.equal(
    expandAll(src),
    norm(`int j[] = { 123, 45, 67, 89, 10, 11, 12, };
fprintf(stderr, "Flag");
fprintf(stderr, "X = %d\\n", x);
puts("The first, second, and third items.");
((x>y)?puts("x>y"): printf("x is %d but y is %d", x, y));`),
  );
});

test('token pasting re-lexes the result and keeps invalid pastes apart', () => {
  const src = `
#define CAT(a, b) a ## b
#define N 4
CAT(foo, bar) CAT(1, 2) CAT(-, >) CAT(N, 1) CAT(+, /) CAT(<<, =)
`;
  const { tokens, opts } = load(src);
  const out = expandTokens(tokens, opts);
  assert.deepEqual(out.map((t) => [t.kind, t.text]), [
    ['ident', 'foobar'], ['number', '12'], ['punct', '->'], ['ident', 'N1'],
    ['punct', '+'], ['punct', '/'], ['punct', '<<='],
  ]);
});

test('GNU named variadics and the `, ## args` comma elision', () => {
  const src = `
#define LOG(fmt, args...) printk(fmt, ## args)
#define LOG2(fmt, ...) printk(fmt, ## __VA_ARGS__)
#define KEEP(fmt, args...) printk(fmt, args)
LOG("a"); LOG("b", 1, (2, 3)); LOG("c",); LOG2("d"); LOG2("e", x); KEEP("f");
`;
  assert.equal(
    expandAll(src),
    norm('printk("a"); printk("b", 1, (2, 3)); printk("c"); printk("d"); printk("e", x); printk("f", );'),
  );
});

test('__VA_OPT__', () => {
  const src = `
#define F(a, ...) f(a __VA_OPT__(,) __VA_ARGS__)
#define E
F(1) F(1, 2, 3) F(1, E)
`;
  assert.equal(expandAll(src), norm('f(1) f(1, 2, 3) f(1)'));
});

test('self-reference and mutual recursion stop', () => {
  const src = `
#define foo foo
#define ping pong
#define pong ping
#define rec(x) x + rec(x)
#define twice(x) x x
#define fa(a) a*ga
#define ga(a) fa(a)
foo ping pong rec(1) twice(rec(2)) fa(2)(9)
`;
  // fa(2)(9) is the GCC manual's example of a nested self-reference that does expand.
  assert.equal(expandAll(src), norm('foo ping pong 1 + rec(1) 2 + rec(2) 2 + rec(2) 2*9*ga'));
});

test('a wrapper reaching alternative_call keeps the opaque invocation and substitutes its arguments', () => {
  const src = `
#define pet_call(ops, fn, args...) ({ check((ops) == &pet_ops); alternative_call(pet_ops.fn, ## args); })
#define pet_vcall pet_call
#define MEMBER walk
int r = pet_call(p, feed, 3, x);
pet_vcall(p, groom);
alternative_vcall(pet_ops.MEMBER);
`;
  const { tokens, opts } = load(src, ALT);
  const out = expandTokens(tokens, opts);
  assert.equal(
    spaced(out),
    norm(`int r = ({ check((p) == &pet_ops); alternative_call(pet_ops.feed, 3, x); });
({ check((p) == &pet_ops); alternative_call(pet_ops.groom); });
alternative_vcall(pet_ops.walk);`),
  );
  const calls = out.filter((t) => ALT.has(t.text));
  assert.deepEqual(calls.map((t) => t.via), [['pet_call'], ['pet_vcall', 'pet_call'], []]);
  // Body tokens sit at the invocation written in the source.
  const site = tokens.find((t) => t.text === 'pet_call')!;
  const close = tokens.filter((t) => t.text === ')' && t.line === site.line).pop()!;
  assert.equal(calls[0].start, site.start);
  assert.equal(calls[0].end, close.end);
  assert.equal(calls[0].line, site.line);
  // Argument tokens keep their own place and an empty chain.
  const feed = out.find((t) => t.text === 'feed')!;
  assert.deepEqual(feed.via, []);
  assert.equal(src.slice(feed.start, feed.end), 'feed');
  const walk = out.find((t) => t.text === 'walk')!;
  assert.deepEqual(walk.via, ['MEMBER']);
});

test('an X-macro hook template pasting its return type into a wrapper name', () => {
  const src = `
#define PET_ALT_void alternative_vcall
#define PET_ALT_int return alternative_call
#define HOOK1(rtype, name, t1) \\
static inline rtype pet_ ## name(t1 a1) \\
{ \\
    PET_ALT_ ## rtype(pet_ops.name, a1); \\
}
HOOK1(int, feed, int)
HOOK1(void, groom, struct pet *)
`;
  const { tokens, opts } = load(src, ALT);
  const out = expandTokens(tokens, opts);
  assert.equal(
    spaced(out),
    norm(`static inline int pet_feed(int a1) { return alternative_call(pet_ops.feed, a1); }
static inline void pet_groom(struct pet * a1) { alternative_vcall(pet_ops.groom, a1); }`),
  );
  const calls = out.filter((t) => ALT.has(t.text));
  assert.deepEqual(calls.map((t) => t.via), [['HOOK1', 'PET_ALT_int'], ['HOOK1', 'PET_ALT_void']]);
  const hooks = tokens.filter((t) => t.text === 'HOOK1');
  assert.deepEqual(calls.map((t) => t.line), hooks.map((t) => t.line));
  assert.deepEqual(calls.map((t) => t.start), hooks.map((t) => t.start));
});

test('chains of wrappers and object-like macros naming a member', () => {
  const src = `
#define W3(p, a...) alternative_call(p, ## a)
#define W2(f, a...) W3(pet_ops.f, ## a)
#define W1(f, a...) W2(f, ## a)
#define pet_legs pet_ops.legs
W1(feed, 1); W1(walk); n = pet_legs;
`;
  const { tokens, opts } = load(src, ALT);
  const out = expandTokens(tokens, opts);
  assert.equal(spaced(out), norm('alternative_call(pet_ops.feed, 1); alternative_call(pet_ops.walk); n = pet_ops.legs;'));
  assert.deepEqual(out.filter((t) => ALT.has(t.text)).map((t) => t.via), [['W1', 'W2', 'W3'], ['W1', 'W2', 'W3']]);
  assert.deepEqual(out.filter((t) => t.text === 'legs').map((t) => t.via), [['pet_legs']]);
});

test('expandInvocation: end index, and null when there is nothing to expand', () => {
  const src = `
#define F(x) [x]
#define G F
#define H() F
#define OBJ 7
#define TWO(a, b) a b
a F(1) + G(2) + H()(3) + F + F(1 + OBJ F(x) y;
`;
  const { tokens, opts } = load(src);
  const at = (text: string, nth = 0): number => tokens.map((t, i) => (t.text === text ? i : -1)).filter((i) => i >= 0)[nth];

  const f = expandInvocation(tokens, at('F'), opts)!;
  assert.equal(spaced(f.output), '[ 1 ]');
  assert.equal(tokens[f.end].text, '+');

  const g = expandInvocation(tokens, at('G'), opts)!;
  assert.equal(spaced(g.output), '[ 2 ]');
  assert.equal(f.end < g.end && tokens[g.end].text === '+', true);
  assert.deepEqual(g.output[0].via, ['G', 'F']);

  const h = expandInvocation(tokens, at('H'), opts)!;
  assert.equal(spaced(h.output), '[ 3 ]');
  assert.equal(tokens[h.end - 1].text, ')');
  assert.equal(tokens[h.end].text, '+');

  assert.equal(expandInvocation(tokens, at('a'), opts), null); // not a macro
  assert.equal(expandInvocation(tokens, at('F', 1), opts), null); // no '('
  assert.equal(expandInvocation(tokens, at('F', 2), opts), null); // unbalanced
  assert.equal(expandInvocation(tokens, at('+'), opts), null);
  assert.equal(expandInvocation(tokens, at('F'), { ...opts, opaque: new Set(['F']) }), null);

  const { tokens: t2, opts: o2 } = load('#define TWO(a, b) a b\nTWO(1) TWO(1,2,3) TWO(,)');
  assert.equal(expandInvocation(t2, 0, o2), null); // too few arguments, as GCC refuses it
  assert.equal(expandInvocation(t2, 4, o2), null); // too many
  const empty = expandInvocation(t2, 12, o2)!;
  assert.deepEqual(empty.output, []);
  assert.equal(empty.end, t2.length);
});

test('collectArgs splits at top-level commas only', () => {
  const ts = lex('f(a, (b, c), [d, e], , g(h, i)) tail');
  const r = collectArgs(ts, 1)!;
  assert.deepEqual(r.args.map(spaced), ['a', '( b , c )', '[ d', 'e ]', '', 'g ( h , i )']);
  assert.equal(ts[r.end].text, 'tail');
  assert.deepEqual(collectArgs(lex('f()'), 1)!.args, [[]]);
  assert.equal(collectArgs(lex('f(a, (b)'), 1), null);
  assert.equal(collectArgs(ts, 0), null);
});

test('blow-ups are capped and return what was produced', () => {
  let src = '';
  for (let i = 0; i < 30; i++) src += `#define M${i} M${i + 1} M${i + 1}\n`;
  src += 'M0 end';
  const { tokens, opts } = load(src);
  const started = Date.now();
  const out = expandTokens(tokens, { ...opts, maxTokens: 5000 });
  assert.ok(out.length > 0 && out.length <= 5000, `got ${out.length}`);
  assert.ok(Date.now() - started < 2000);

  // Tail calls do not nest: a chain of 399 wrappers expands fully.
  let chain = '#define D0(x) x\n';
  for (let i = 1; i < 400; i++) chain += `#define D${i}(x) D${i - 1}((x))\n`;
  chain += 'D399(1)';
  const c = load(chain);
  assert.equal(spaced(expandTokens(c.tokens, c.opts)), [...Array(399).fill('('), '1', ...Array(399).fill(')')].join(' '));

  // Arguments nest: past maxDepth the rest stays unexpanded.
  const nested = load('#define N(x) <x>\n' + 'N('.repeat(300) + '1' + ')'.repeat(300));
  const capped = expandTokens(nested.tokens, { ...nested.opts, maxDepth: 50 });
  assert.ok(capped.some((t) => t.text === 'N'));
  assert.equal(capped.filter((t) => t.text === '<').length + capped.filter((t) => t.text === 'N').length, 300);
  const full = expandTokens(nested.tokens, { ...nested.opts, maxDepth: 1000 });
  assert.equal(spaced(full), [...Array(300).fill('<'), '1', ...Array(300).fill('>')].join(' '));
});
