import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex, Token } from '../../server/out/engine/preproc/lexer';

const texts = (ts: Token[]): string[] => ts.map((t) => t.text);

test('identifiers, numbers and longest-match punctuators', () => {
  const ts = lex('a->b++ <<= c...d ## e # f 0x1e+3 .5f x1$ 1.0e-5L');
  assert.deepEqual(texts(ts), ['a', '->', 'b', '++', '<<=', 'c', '...', 'd', '##', 'e', '#', 'f', '0x1e+3', '.5f', 'x1$', '1.0e-5L']);
  assert.deepEqual(
    ts.map((t) => t.kind),
    ['ident', 'punct', 'ident', 'punct', 'punct', 'ident', 'punct', 'ident', 'punct', 'ident', 'punct', 'ident', 'number', 'number', 'ident', 'number'],
  );
});

test('offsets, lines, bol and spaceBefore', () => {
  const src = 'int x;\n  # define A 1\nfoo(a,b)';
  const ts = lex(src);
  const hash = ts.find((t) => t.text === '#')!;
  assert.equal(hash.line, 1);
  assert.equal(hash.bol, true);
  assert.equal(hash.spaceBefore, true);
  assert.equal(src.slice(hash.start, hash.end), '#');
  const foo = ts.find((t) => t.text === 'foo')!;
  assert.equal(foo.line, 2);
  assert.equal(foo.bol, true);
  const a = ts.find((t) => t.text === 'a')!;
  assert.equal(a.spaceBefore, false);
  assert.equal(a.bol, false);
  assert.equal(ts[0].bol, true);
  assert.equal(ts[1].bol, false);
});

test('comments are skipped, including inside macro bodies, and count as space', () => {
  const src = '#define M(x) /* c */ x/**/y // tail \\\n still comment\nz';
  const ts = lex(src);
  assert.deepEqual(texts(ts), ['#', 'define', 'M', '(', 'x', ')', 'x', 'y', 'z']);
  assert.equal(ts[7].spaceBefore, true);
  assert.equal(ts[8].line, 2);
  assert.equal(ts[8].bol, true);
});

test('a multi-line block comment does not start a logical line', () => {
  const ts = lex('a /*\n*/ # b\n/* x */ # c');
  const hashes = ts.filter((t) => t.text === '#');
  assert.equal(hashes[0].bol, false);
  assert.equal(hashes[1].bol, true);
  assert.equal(hashes[1].line, 2);
});

test('backslash-newline continuations', () => {
  const src = '#define LONG(a) \\\n  foo(a) + ba\\\nr\nnext';
  const ts = lex(src);
  assert.deepEqual(texts(ts), ['#', 'define', 'LONG', '(', 'a', ')', 'foo', '(', 'a', ')', '+', 'bar', 'next']);
  const foo = ts[6];
  assert.equal(foo.bol, false);
  assert.equal(foo.line, 1);
  const bar = ts[11];
  assert.equal(src.slice(bar.start, bar.end), 'ba\\\nr');
  assert.equal(bar.line, 1);
  assert.equal(ts[12].bol, true);
  assert.equal(ts[12].line, 3);
  // CRLF continuation inside a punctuator.
  assert.deepEqual(texts(lex('p-\\\r\n>q')), ['p', '->', 'q']);
});

test('strings and chars hide comment markers and quotes', () => {
  const ts = lex('s = "http://x/*y*/" L\'\\\'\' u8"a\\"b" \'/\' ;');
  assert.deepEqual(texts(ts), ['s', '=', '"http://x/*y*/"', "L'\\''", 'u8"a\\"b"', "'/'", ';']);
  assert.deepEqual(ts.slice(2, 6).map((t) => t.kind), ['string', 'char', 'string', 'char']);
});

test('unterminated literals stop at the line end, comments at EOF', () => {
  const ts = lex('a "open\nb \'x\nc /* never closed\nd');
  assert.deepEqual(texts(ts), ['a', '"open', 'b', "'x", 'c']);
  assert.equal(ts[2].bol, true);
  assert.deepEqual(texts(lex('x // trailing')), ['x']);
  assert.deepEqual(texts(lex('"ends at eof\\')), ['"ends at eof\\']);
});

test('garbage bytes become other tokens without throwing', () => {
  const src = 'a @ ` \u0000 \\ b \ud800 \u00e9t\u00e9';
  const ts = lex(src);
  assert.deepEqual(texts(ts), ['a', '@', '`', '\u0000', '\\', 'b', '\ud800', '\u00e9t\u00e9']);
  assert.deepEqual(ts.slice(1, 5).map((t) => t.kind), ['other', 'other', 'other', 'other']);
  for (let i = 0; i < 2000; i++) {
    let s = '';
    for (let j = 0; j < 40; j++) s += String.fromCharCode(Math.floor(Math.random() * 130));
    const out = lex(s);
    for (const t of out) assert.ok(t.start < t.end && t.end <= s.length);
  }
});

test('a sub-range is lexed with lines and bol relative to the whole text', () => {
  const src = 'x\ny z\n  w';
  const ts = lex(src, 4, src.length);
  assert.deepEqual(texts(ts), ['z', 'w']);
  assert.equal(ts[0].line, 1);
  assert.equal(ts[0].bol, false);
  assert.equal(ts[1].bol, true);
  assert.equal(ts[1].line, 2);
  assert.deepEqual(texts(lex('abcdef', 1, 3)), ['bc']);
});

test('lines stay right whatever order sub-ranges are lexed in', () => {
  const src = Array.from({ length: 50 }, (_, i) => `#define M${i} \\\n  (${i} + /* c\n */ x)`).join('\n');
  const whole = lex(src);
  const starts = whole.filter((t) => t.text === '#').map((t) => t.start);
  const ranges = starts.map((s, i) => [s, starts[i + 1] ?? src.length] as const);
  for (const order of [ranges, [...ranges].reverse(), [ranges[7], ranges[3], ranges[40], ranges[41]]]) {
    for (const [a, b] of order) {
      const part = lex(src, a, b);
      const expected = whole.filter((t) => t.start >= a && t.end <= b);
      assert.deepEqual(part.map((t) => [t.text, t.line]), expected.map((t) => [t.text, t.line]));
    }
  }
});
