/** Runtime uses of ops objects that are not sites. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisSession } from '../../server/out/engine/session';

test('calling a plain function-pointer object by name at run time is a use; its site is not', async () => {
  const s = await AnalysisSession.create();
  s.addAll([{
    path: 'x/tick.c',
    text: `unsigned long (*tick_get)(void);
unsigned long fast(void) { return alternative_call(tick_get); }
unsigned long slow(void) { return tick_get(); }
void __init tick_init(void) { tick_get(); }
`,
  }]);
  const obj = s.result().objects.find((o) => o.name === 'tick_get');
  assert.ok(obj);
  assert.deepEqual(obj.runtimeUses.map((u) => `${u.span.line + 1} ${u.kind} ${u.function}`), ['3 call slow']);
});
