import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeAll, decodeOne, encode, formatInsn, Insn, listingLine, NopSize, rel32, directBranch, ripBranch,
} from '../../server/out/x86';
import { randomInt32, seededRandom } from './random';

test('encode then decode gives the same instruction', () => {
  const rand = seededRandom(3);
  const insns: Insn[] = [
    { op: 'ud2' }, { op: 'ud0' }, { op: 'endbr64' }, { op: 'endbr64-poison' }, { op: 'int3' },
    ...([1, 2, 3, 4, 5, 6, 7, 8, 9] as NopSize[]).map((size): Insn => ({ op: 'nop', size })),
    { op: 'byte', value: 0xc3 },
  ];
  for (const v of [0, -1, -5, 0x7fffffff, -0x80000000, ...Array.from({ length: 50 }, () => randomInt32(rand))]) {
    insns.push({ op: 'call-rip', disp: v }, { op: 'jmp-rip', disp: v },
      { op: 'call', rel: v }, { op: 'jmp', rel: v }, { op: 'cs-call', rel: v });
  }
  for (const insn of insns) {
    const bytes = encode(insn);
    const d = decodeOne(bytes, 0, 0xffff82d040200000n);
    assert.deepEqual(d.insn, insn);
    assert.equal(d.length, bytes.length);
  }
});

test('targets are next_ip + displacement, wrapped to 64 bits', () => {
  // e8 fb ff ff ff at A: rel32 -5, next_ip A+5, target A.
  const [call] = decodeAll(Uint8Array.of(0xe8, 0xfb, 0xff, 0xff, 0xff), 0xffff82d040200000n);
  assert.equal(call!.target, 0xffff82d040200000n);
  // ff 15 e7 25 4f 00 at ...a13: slot = a13 + 6 + 0x4f25e7 = 0xffff82d0406f3000.
  const [ind] = decodeAll(Uint8Array.of(0xff, 0x15, 0xe7, 0x25, 0x4f, 0x00), 0xffff82d040200a13n);
  assert.equal(ind!.memAddress, 0xffff82d0406f3000n);
  // jmp rel32 0x7fffffff from 0xffffffffffffff00: 0xffffffffffffff05 + 0x7fffffff wraps to 0x7fffff04.
  const [jmp] = decodeAll(Uint8Array.of(0xe9, 0xff, 0xff, 0xff, 0x7f), 0xffffffffffffff00n);
  assert.equal(jmp!.target, 0x7fffff04n);
});

test('unknown and truncated bytes decode to .byte items', () => {
  // 2e e8 00 00: a cs call cut short by the end of the buffer.
  const items = decodeAll(Uint8Array.of(0xc3, 0x2e, 0xe8, 0x00, 0x00), 0x1000n);
  assert.deepEqual(items.map((d) => formatInsn(d)), ['.byte 0xc3', '.byte 0x2e', '.byte 0xe8', '.byte 0x0', '.byte 0x0']);
  assert.deepEqual(items.map((d) => d.address), [0x1000n, 0x1001n, 0x1002n, 0x1003n, 0x1004n]);
  assert.deepEqual(decodeAll(new Uint8Array(0), 0n), []);
});

test('random buffers never throw and lengths sum to the buffer length', () => {
  const rand = seededRandom(20240601);
  // Bias towards bytes of the known forms so that partial matches are common.
  const interesting = [0xff, 0x15, 0x25, 0xe8, 0xe9, 0x2e, 0x0f, 0x0b, 0x1f, 0x1e, 0x66, 0x90, 0xf3, 0xfa, 0xcc,
    0x00, 0x01, 0x40, 0x44, 0x80, 0x84];
  for (let n = 0; n < 3000; n++) {
    const buf = Uint8Array.from({ length: Math.floor(rand() * 40) },
      () => (rand() < 0.6 ? interesting[Math.floor(rand() * interesting.length)]! : Math.floor(rand() * 256)));
    const address = BigInt(randomInt32(rand)) & 0xffffffffffffffffn;
    const items = decodeAll(buf, address);
    assert.equal(items.reduce((sum, d) => sum + d.length, 0), buf.length);
    let at = 0;
    for (const d of items) {
      assert.deepEqual(d.bytes, buf.subarray(at, at + d.length));
      assert.deepEqual(encode(d.insn), d.bytes, 're-encoding a decoded item gives its bytes');
      formatInsn(d, { syntax: 'intel', symbolize: () => ({ name: 's', offset: -1n }) });
      at += d.length;
    }
  }
});

test('rel32 and branch builders refuse targets out of reach', () => {
  const site = 0xffff82d040200000n;
  // cs call at site: next_ip = site + 6, so rel32 = target - site - 6.
  assert.deepEqual(directBranch('cs-call', site, site + 0x1000n), { op: 'cs-call', rel: 0x1000 - 6 });
  assert.deepEqual(directBranch('call', site, site), { op: 'call', rel: -5 });
  assert.equal(directBranch('call', site, site + 5n + 0x80000000n), undefined);
  assert.deepEqual(ripBranch('call-rip', site, site + 6n - 0x80000000n), { op: 'call-rip', disp: -0x80000000 });
  assert.equal(rel32(0n, 0xffffffff80000000n), -0x80000000);
  assert.equal(rel32(0n, 0xffffffff7fffffffn), undefined);
});

test('listing line: address, bytes, objdump text with the symbol comment', () => {
  const [d] = decodeAll(Uint8Array.of(0xff, 0x15, 0xe7, 0x25, 0x4f, 0x00), 0xffff82d040200a13n);
  const line = listingLine(d!, {
    symbolize: (a) => (a === 0xffff82d0406f3000n ? { name: 'pet_ops', offset: 0n } : undefined),
  });
  assert.equal(line,
    'ffff82d040200a13: ff 15 e7 25 4f 00      call   *0x4f25e7(%rip)        # ffff82d0406f3000 <pet_ops>');
  // cs call from ...a13 to dog_feed+4 at ...0044: rel32 = 0x44 - (0xa13 + 6) = -0x9d5 = 0xfffff62b.
  const [c] = decodeAll(Uint8Array.of(0x2e, 0xe8, 0x2b, 0xf6, 0xff, 0xff), 0xffff82d040200a13n);
  assert.equal(listingLine(c!, { symbolize: (a) => ({ name: 'dog_feed', offset: a - 0xffff82d040200040n }) }),
    'ffff82d040200a13: 2e e8 2b f6 ff ff      cs call ffff82d040200044 <dog_feed+0x4>');
});
