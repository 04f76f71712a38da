import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyFix, findingAt, findingKeys, line, lint, markerKeys, ofRule, rulesFixtures, stillThere } from './lint';

const RULE = 'bad-suppression';
const root = path.join(rulesFixtures, RULE, 'xen-4.21');

test('bad-suppression', async (t) => {
  const l = await lint(root);

  await t.test('findings match the markers: working suppressions silence, bad ones do not', () => {
    assert.deepEqual(findingKeys(l), markerKeys(root));
  });

  await t.test('the range is the unknown id (the whole comment when it names none)', () => {
    assert.deepEqual(ofRule(l, RULE), [
      `hooks.c 17:79-17:95 ${RULE}: \`write-after-patc\` is not an altcall rule id, so it silences nothing; did you mean \`write-after-patch\`?`,
      `hooks.c 22:52-22:77 ${RULE}: \`site-target-not-patchabel\` is not an altcall rule id, so it silences nothing; did you mean \`site-target-not-patchable\`?`,
      `hooks.c 33:64-33:76 ${RULE}: \`no-such-rule\` is not an altcall rule id, so it silences nothing.`,
      `hooks.c 39:33-39:54 ${RULE}: This suppression names no rule id: it silences nothing.`,
    ]);
  });

  await t.test('fixes are offered, none preferred (each changes what is silenced)', () => {
    assert.deepEqual(l.findings.filter((f) => f.rule === RULE).map((f) => f.fixes.map((x) => [x.title, x.preferred])), [
      [['Replace with `write-after-patch`', false], ['Remove `write-after-patc` from the suppression', false]],
      [['Replace with `site-target-not-patchable`', false], ['Remove the suppression comment', false]],
      [['Remove the suppression comment', false]],
      [['Remove the suppression comment', false]],
    ]);
  });

  await t.test('replacing a misspelt id makes the suppression work', async () => {
    const f = findingAt(l, RULE, 'hooks.c', 22);
    const { texts, after } = await applyFix(l, f.fixes[0]);
    assert.equal(line(texts.get('hooks.c')!, 22), '    return alternative_call(h); /* altcall-ignore: site-target-not-patchable */ /* expect: bad-suppression */ /* expect: site-target-not-patchable */');
    assert.ok(!stillThere(l, f, after));
    assert.ok(!after.findings.some((x) => x.rule === 'site-target-not-patchable' && x.span.line === 21), 'the site finding is now silenced');
  });

  const removals: Array<[number, number, string]> = [
    [17, 1, '    return alternative_call(h); /* altcall-ignore: site-target-not-patchable */ /* expect: bad-suppression */'],
    [22, 1, '    return alternative_call(h); /* expect: bad-suppression */ /* expect: site-target-not-patchable */'],
    [33, 0, '    /* expect: bad-suppression */'],
    [39, 0, '    return alternative_call(h); /* expect: bad-suppression */ /* expect: site-target-not-patchable */'],
  ];
  for (const [at, index, fixed] of removals) {
    await t.test(`removal at hooks.c:${at}`, async () => {
      const f = findingAt(l, RULE, 'hooks.c', at);
      const { texts, after } = await applyFix(l, f.fixes[index]);
      assert.equal(line(texts.get('hooks.c')!, at), fixed);
      assert.ok(!stillThere(l, f, after));
      assert.equal(after.findings.length, l.findings.length - 1, 'nothing else changes');
    });
  }

  await t.test('a suppression alone on its line goes with its line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'altcall-suppress-'));
    try {
      const source = 'int f(int (*h)(void))\n{\n    /* altcall-ignore-next-line: no-such-rule */\n    return alternative_call(h);\n}\n';
      fs.writeFileSync(path.join(dir, 'own.c'), source);
      const own = await lint(dir);
      const f = findingAt(own, RULE, 'own.c', 3);
      const { texts } = await applyFix(own, f.fixes[0]);
      assert.equal(texts.get('own.c'), 'int f(int (*h)(void))\n{\n    return alternative_call(h);\n}\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
