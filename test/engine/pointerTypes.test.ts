/** Writes through a local or parameter pointer carry the type it is declared to point to. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createParser } from '../../server/out/engine/parse/backend';
import { extractFacts } from '../../server/out/engine/facts/extract';
import { learnAttributeNames } from '../../server/out/engine/parse/attributes';
import { configFromDefines } from '../../server/out/engine/preproc/conditions';
import { profile } from '../../server/out/engine/config/profiles';

test('a write through `T *p` records T; other pointers record nothing', async () => {
  const parser = await createParser('native');
  const names = profile().names;
  const text = `typedef struct thing thing_t;
void f(struct ops *a, thing_t *b, unsigned long *c, struct ops **d, union u *e)
{
    struct ops *l = 0, **m = 0;
    a->fn = 0; b->x = 0; *c = 0; *d = 0; e->y = 0; l->fn = 0; *m = 0;
}
`;
  const facts = extractFacts('t.c', text, parser, { attributes: learnAttributeNames(names.attributes, []), config: configFromDefines({}), names });
  const writes = facts.functions[0].writes.map((w) => `${w.through?.k === 'name' ? w.through.name : '?'}:${w.throughType ?? '-'}`);
  assert.deepEqual(writes, ['a:struct ops', 'b:thing_t', 'c:-', 'd:-', 'e:union u', 'l:struct ops', 'm:-']);
});
