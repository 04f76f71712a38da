import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex } from '../../server/out/engine/preproc/lexer';
import { scanDirectives } from '../../server/out/engine/preproc/directives';
import {
  analyseConditionals,
  BuildConfig,
  configFromDefines,
  configFromKconfig,
  evalCondition,
} from '../../server/out/engine/preproc/conditions';

const cfg = configFromDefines({ CONFIG_PET: 'y', CONFIG_CAT: 'n', CONFIG_NR: '16', CONFIG_NAME: '"rex"', CONFIG_MOD: 'm' });
const ev = (expr: string, c: BuildConfig = cfg) => evalCondition(lex(expr), c);

test('defined, IS_ENABLED and plain names over known and unknown configuration', () => {
  assert.equal(ev('defined CONFIG_PET'), true);
  assert.equal(ev('defined(CONFIG_CAT)'), false);
  assert.equal(ev('defined(CONFIG_OTHER)'), 'unknown');
  assert.equal(ev('!defined(CONFIG_CAT)'), true);
  assert.equal(ev('IS_ENABLED(CONFIG_PET)'), true);
  assert.equal(ev('IS_ENABLED(CONFIG_CAT)'), false);
  assert.equal(ev('IS_ENABLED(CONFIG_MOD)'), true);
  assert.equal(ev('defined(CONFIG_MOD)'), false);
  assert.equal(ev('defined(CONFIG_MOD_MODULE)'), true);
  assert.equal(ev('IS_ENABLED(CONFIG_OTHER)'), 'unknown');
  assert.equal(ev('CONFIG_NR > 8'), true);
  assert.equal(ev('CONFIG_CAT'), false); // a name that is not a macro is 0
  assert.equal(ev('CONFIG_NAME'), 'unknown'); // a string is not an integer
  assert.equal(ev('SOMETHING'), 'unknown');
  assert.equal(ev('__has_include(<x.h>)'), 'unknown');
  assert.equal(ev('FOO(1, 2) || 1'), true);
});

test('three-valued && || ! and ?:', () => {
  assert.equal(ev('0 && UNKNOWN'), false);
  assert.equal(ev('UNKNOWN && 0'), false);
  assert.equal(ev('UNKNOWN && 1'), 'unknown');
  assert.equal(ev('1 || UNKNOWN'), true);
  assert.equal(ev('UNKNOWN || defined(CONFIG_PET)'), true);
  assert.equal(ev('UNKNOWN || 0'), 'unknown');
  assert.equal(ev('!UNKNOWN'), 'unknown');
  assert.equal(ev('UNKNOWN ? 1 : 1'), true);
  assert.equal(ev('UNKNOWN ? 1 : 0'), 'unknown');
  assert.equal(ev('defined CONFIG_PET ? 0 : UNKNOWN'), false);
  assert.equal(ev('defined(CONFIG_PET) && !defined(CONFIG_CAT) && CONFIG_NR == 16'), true);
});

test('arithmetic, literals and precedence', () => {
  assert.equal(ev('0'), false);
  assert.equal(ev('1 + 2 * 3 == 7'), true);
  assert.equal(ev('(1 + 2) * 3 == 9'), true);
  assert.equal(ev('0x10 == 16 && 010 == 8 && 0b101 == 5'), true);
  assert.equal(ev('10UL / 3 == 3 && 10 % 3 == 1'), true);
  assert.equal(ev('1 << 4 == 16 && -16 >> 2 == -4'), true);
  assert.equal(ev('-1 < 0'), true);
  assert.equal(ev('-1 < 0u'), false); // unsigned comparison, as in C
  assert.equal(ev('~0 == -1 && (5 & 3) == 1 && (5 | 3) == 7 && (5 ^ 3) == 6'), true);
  assert.equal(ev("'A' == 65 && '\\n' == 10"), true);
  assert.equal(ev('1 / 0'), 'unknown');
  assert.equal(ev('3 >= 3 && 2 <= 1'), false);
  assert.equal(ev('1, 0'), false);
  assert.equal(ev('0 ? 1 : 2 ? 3 : 0'), true);
});

test('malformed conditions are unknown, never thrown', () => {
  for (const bad of ['', '(', '1 +', ')', '1 2', 'defined', 'defined(', '"str"', '08', '1.5', 'a ? b']) {
    assert.equal(ev(bad), 'unknown', bad);
  }
});

test('a Kconfig .config makes the names it lists known, and only those', () => {
  const k = configFromKconfig([
    '#',
    '# Automatically generated file; DO NOT EDIT.',
    'CONFIG_X86_64=y',
    '# CONFIG_PV is not set',
    'CONFIG_NR_CPUS=256',
    'CONFIG_CC_VERSION_TEXT="gcc"',
    'CONFIG_HVM=y\r',
  ].join('\n'));
  assert.equal(ev('defined(CONFIG_X86_64)', k), true);
  assert.equal(ev('defined(CONFIG_PV)', k), false);
  // A partial .config must not drop code under options it does not mention.
  assert.equal(ev('defined(CONFIG_NEVER_HEARD_OF)', k), 'unknown');
  assert.equal(ev('CONFIG_NR_CPUS >= 256', k), true);
  assert.equal(ev('IS_ENABLED(CONFIG_HVM)', k), true);
  assert.equal(ev('defined(__ASSEMBLY__)', k), 'unknown');
  assert.equal(k.value('CONFIG_CC_VERSION_TEXT'), '"gcc"');
});

// The text of each dead range, trimmed, for readable expectations.
function deadText(src: string, c: BuildConfig = cfg): { dead: string[]; problems: Array<{ line: number; message: string }> } {
  const r = analyseConditionals(scanDirectives(src), src.length, c);
  return { dead: r.dead.map(([a, b]) => src.slice(a, b).trim()), problems: r.problems };
}

test('known-false branches are dead, unknown ones kept', () => {
  const src = `
#ifdef CONFIG_PET
pet_on
#else
pet_off
#endif
#if 0
never
#if UNKNOWN
nested
#endif
#elif defined(CONFIG_CAT)
cat
#elif UNKNOWN
maybe
#elif 1
one
#else
last
#endif
#ifndef GUARD_H
guarded
#endif
#if UNKNOWN
u1
#elif CONFIG_NR == 16
sixteen
#elif UNKNOWN2
after_true
#else
else_after_true
#endif
`;
  const r = deadText(src);
  assert.deepEqual(r.dead, [
    'pet_off',
    'never\n#if UNKNOWN\nnested\n#endif',
    'cat',
    'last',
    'after_true',
    'else_after_true',
  ]);
  assert.deepEqual(r.problems, []);
});

test('the dead ranges exclude the directive lines', () => {
  const src = '#if 0\nA\n#else\nB\n#endif\n';
  const r = analyseConditionals(scanDirectives(src), src.length, cfg);
  assert.equal(r.dead.length, 1);
  const [a, b] = r.dead[0];
  assert.equal(src.slice(a, b), '\nA\n');
});

test('unbalanced conditionals are reported and handled', () => {
  const src = ['#endif', '#else', 'x', '#if 0', 'dead', '#else', 'live', '#else', 'again', '#if 0', 'open'].join('\n');
  const r = deadText(src);
  assert.deepEqual(r.problems, [
    { line: 0, message: '#endif without #if' },
    { line: 1, message: '#else without #if' },
    { line: 7, message: '#else after #else' },
    { line: 9, message: 'unterminated conditional: #endif missing' },
    { line: 3, message: 'unterminated conditional: #endif missing' },
  ]);
  // The inner #if 0 closes at EOF; the second #else follows a taken one.
  assert.deepEqual(r.dead, ['dead', 'again\n#if 0\nopen']);
});
