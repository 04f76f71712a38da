import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULES, RULE_IDS, ruleById } from '../../server/out/engine/rules/registry';

test('the registry holds the rules of ALTCALL.md section 3 with their default severities', () => {
  assert.deepEqual(RULES.map((r) => [r.id, r.defaultSeverity]), [
    ['ops-missing-initdata', 'warning'],
    ['ops-kept-at-runtime', 'info'],
    ['initdata-ops-used-at-runtime', 'error'],
    ['impl-table-not-initconstrel', 'warning'],
    ['deprecated-initconst-annotation', 'warning'],
    ['write-after-patch', 'warning'],
    ['site-target-not-patchable', 'error'],
    ['unset-accelerated-pointer', 'info'],
    ['bad-suppression', 'warning'],
  ]);
  assert.deepEqual(RULE_IDS, RULES.map((r) => r.id));
});

test('each rule has a one-sentence description', () => {
  for (const r of RULES) {
    assert.match(r.description, /^[A-Z`].*\.$/, r.id);
    assert.doesNotMatch(r.description.slice(0, -1), /\.\s/, `${r.id}: one sentence`);
  }
});

test('ruleById', () => {
  assert.equal(ruleById('write-after-patch')?.defaultSeverity, 'warning');
  assert.equal(ruleById('no-such-rule'), undefined);
});
