import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { findingKeys, lint, markerKeys, ofRule, rulesFixtures } from './lint';

const RULE = 'site-target-not-patchable';
const root = path.join(rulesFixtures, RULE, 'xen-4.21');
const NEEDS = (macro: string) => `\`${macro}\` needs a file-scope object or a member path of one, whose address is known at link time.`;

test('site-target-not-patchable', async (t) => {
  const l = await lint(root);

  await t.test('findings match the markers', () => {
    assert.deepEqual(findingKeys(l), markerKeys(root));
  });

  await t.test('the range is the first argument (the whole invocation through a wrapper)', () => {
    assert.deepEqual(ofRule(l, RULE), [
      `dispatch.c 37:29-37:30 ${RULE}: \`h\` is a parameter of dispatch_param(): the call cannot be patched; ${NEEDS('alternative_call')}`,
      `dispatch.c 44:29-44:30 ${RULE}: \`h\` is a local variable of dispatch_local(): the call cannot be patched; ${NEEDS('alternative_call')}`,
      `dispatch.c 49:29-49:43 ${RULE}: \`d->ops->handle\` goes through a pointer (\`->\`): the call cannot be patched; ${NEEDS('alternative_call')}`,
      `dispatch.c 54:29-54:47 ${RULE}: \`handlers[i].handle\` selects an array element at run time: the call cannot be patched; ${NEEDS('alternative_call')}`,
      `dispatch.c 59:29-59:50 ${RULE}: \`current_ops()->handle\` calls a function to get the pointer: the call cannot be patched; ${NEEDS('alternative_call')}`,
      `dispatch.c 64:29-64:42 ${RULE}: \`(handler_t)fn\` is a cast or an expression, not a file-scope object: the call cannot be patched; ${NEEDS('alternative_call')}`,
      `dispatch.c 69:12-69:35 ${RULE}: \`d->ops->handle\` goes through a pointer (\`->\`): the call cannot be patched; \`alternative_call\` (through \`dev_call\`) needs a file-scope object or a member path of one, whose address is known at link time.`,
    ]);
  });

  await t.test('errors by default, with no fix', () => {
    for (const f of l.findings) {
      assert.equal(f.severity, 'error');
      assert.deepEqual(f.fixes, []);
    }
  });
});
