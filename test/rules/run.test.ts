import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { lint, rulesFixtures } from './lint';

const hooks = path.join(rulesFixtures, 'bad-suppression', 'xen-4.21');
const writes = path.join(rulesFixtures, 'write-after-patch', 'xen-4.21');
const brief = (f: { rule: string; severity: string; span: { line: number; col: number } }) => `${f.span.line + 1}:${f.span.col + 1} ${f.rule} ${f.severity}`;

test('findings come sorted by file, line, column, then rule', async () => {
  const l = await lint(hooks);
  assert.deepEqual(l.findings.map(brief), [
    '17:79 bad-suppression warning',
    '22:29 site-target-not-patchable error',
    '22:52 bad-suppression warning',
    '28:29 site-target-not-patchable error',
    '33:64 bad-suppression warning',
    '34:29 site-target-not-patchable error',
    '39:29 site-target-not-patchable error',
    '39:33 bad-suppression warning',
  ]);
});

test('a rule set to off reports nothing; other rules are untouched', async () => {
  const l = await lint(hooks, 'xen-4.21', { settings: { severity: { 'site-target-not-patchable': 'off' } } });
  assert.deepEqual(l.findings.map(brief), ['17:79 bad-suppression warning', '22:52 bad-suppression warning', '33:64 bad-suppression warning', '39:33 bad-suppression warning']);
});

test('a configured severity applies to every finding of the rule', async () => {
  const l = await lint(hooks, 'xen-4.21', { settings: { severity: { 'bad-suppression': 'hint', 'site-target-not-patchable': 'warning' } } });
  assert.deepEqual([...new Set(l.findings.map((f) => `${f.rule} ${f.severity}`))].sort(), ['bad-suppression hint', 'site-target-not-patchable warning']);
});

test('a finding may carry its own severity (boot-only write) until the rule is configured', async () => {
  const byDefault = await lint(writes);
  assert.deepEqual(byDefault.findings.map((f) => f.severity).sort(), ['info', 'warning', 'warning', 'warning', 'warning', 'warning', 'warning']);
  const configured = await lint(writes, 'xen-4.21', { settings: { severity: { 'write-after-patch': 'error' } } });
  assert.deepEqual([...new Set(configured.findings.map((f) => f.severity))], ['error']);
});

test('bad-suppression off: unknown ids are no longer reported, known ones still silence', async () => {
  const l = await lint(hooks, 'xen-4.21', { settings: { severity: { 'bad-suppression': 'off' } } });
  assert.deepEqual(l.findings.map(brief), ['22:29 site-target-not-patchable error', '28:29 site-target-not-patchable error', '34:29 site-target-not-patchable error', '39:29 site-target-not-patchable error']);
});
