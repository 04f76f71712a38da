import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstInvalidUtf8 } from '../../server/out/engine/files/utf8';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

test('well-formed text has no bad byte', () => {
  assert.equal(firstInvalidUtf8(Buffer.from('int x; /* é € 𝄞 */\n')), -1);
  assert.equal(firstInvalidUtf8(bytes()), -1);
});

test('points at the first byte of the first ill-formed sequence', () => {
  assert.equal(firstInvalidUtf8(bytes(0x61, 0x62, 0xff)), 2, 'byte never used in UTF-8');
  assert.equal(firstInvalidUtf8(bytes(0x61, 0xe9, 0x61)), 1, 'Latin-1 é');
  assert.equal(firstInvalidUtf8(bytes(0xc0, 0x80)), 0, 'overlong NUL');
  assert.equal(firstInvalidUtf8(bytes(0xe0, 0x9f, 0xbf)), 0, 'overlong 3-byte form');
  assert.equal(firstInvalidUtf8(bytes(0x61, 0xed, 0xa0, 0x80)), 1, 'UTF-16 surrogate');
  assert.equal(firstInvalidUtf8(bytes(0xf4, 0x90, 0x80, 0x80)), 0, 'above U+10FFFF');
  assert.equal(firstInvalidUtf8(bytes(0x61, 0xe2, 0x82)), 1, 'cut short at the end');
  assert.equal(firstInvalidUtf8(bytes(0xe2, 0x82, 0xac, 0x80)), 3, 'stray continuation after a valid €');
});

// Oracle independent of the code under test: Node's own decoder replaces each
// ill-formed sequence with U+FFFD, so the bytes before the first U+FFFD are the
// valid prefix.
function oracle(b: Uint8Array): number {
  const text = Buffer.from(b).toString('utf8');
  const at = text.indexOf('\uFFFD');
  return at < 0 ? -1 : Buffer.byteLength(text.slice(0, at));
}

test('agrees with Node\'s decoder on 20,000 random byte strings near the boundaries', () => {
  // Bytes at the edges of every range the UTF-8 grammar distinguishes.
  const alphabet = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf,
    0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff];
  // mulberry32: seeded, so a failure reproduces.
  let seed = 12345;
  const random = (n: number): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const replacementChar = Buffer.from('\uFFFD');
  let checked = 0;
  for (let i = 0; i < 20000; i++) {
    const b = Buffer.from(Array.from({ length: 1 + random(8) }, () => alphabet[random(alphabet.length)]));
    if (b.includes(replacementChar)) continue; // a literal U+FFFD would fool the oracle
    assert.equal(firstInvalidUtf8(b), oracle(b), `bytes ${b.toString('hex')}`);
    checked++;
  }
  assert.ok(checked > 19000);
});
