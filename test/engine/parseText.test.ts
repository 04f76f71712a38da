/** The text tree-sitter is given: attribute macros blanked, iterator macros and type arguments made C it can read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blankForParsing, learnAttributeNames } from '../../server/out/engine/parse/attributes';
import { lex } from '../../server/out/engine/preproc/lexer';
import { scanDirectives } from '../../server/out/engine/preproc/directives';
import { LineIndex } from '../../server/out/engine/util/lines';
import { createParser } from '../../server/out/engine/parse/backend';
import { lightTree } from '../../server/out/engine/parse/light';

const header = `#define for_each_thing(t) for ( (t) = first(); (t); (t) = next(t) )
#define for_each_live_thing(t) for_each_thing(t) if ( !live(t) ) continue; else
#define __cold __attribute__((cold))
`;

function prepare(body: string): string {
  const text = header + body;
  const tokens = lex(text);
  const directives = scanDirectives(text, tokens);
  const names = learnAttributeNames([], directives.flatMap((d) => (d.macro ? [d.macro] : [])));
  const skip = directives.map((d) => [d.start, d.end] as const);
  return blankForParsing(text, tokens, names, skip, [], new LineIndex(text)).text.slice(header.length);
}

test('iterator macros (directly or through another) read as while loops, offsets kept', () => {
  const body = 'void f(void) { for_each_live_thing(t) { g(t); } }\n';
  const out = prepare(body);
  assert.equal(out.length, body.length);
  assert.equal(out, `void f(void) { while${' '.repeat('for_each_live_thing'.length - 'while'.length)}(t) { g(t); } }\n`);
});

test('a struct type passed to a macro loses its keyword; declarators and casts keep theirs', () => {
  assert.equal(prepare('p = xzalloc(struct foo);\n'), 'p = xzalloc(       foo);\n');
  assert.equal(prepare('return xmalloc_array(struct foo, n);\n'), 'return xmalloc_array(       foo, n);\n');
  assert.equal(prepare('int f(struct foo, int);\n'), 'int f(struct foo, int);\n');
  assert.equal(prepare('if (struct_ok(x)) y = (struct foo)z;\n'), 'if (struct_ok(x)) y = (struct foo)z;\n');
});

test('the prepared text parses without errors where the raw one does not', async () => {
  const parser = await createParser('native');
  const body = 'void __cold f(void) { struct t *t; for_each_live_thing(t) { g(t); } p = xzalloc(struct foo); }\n';
  const errors = (text: string) => {
    const tree = parser.parse(text);
    const root = lightTree(tree, () => ({ row: 0, column: 0 }), parser.symbols);
    return root.hasError;
  };
  assert.equal(errors(header + body), true);
  assert.equal(errors(header + prepare(body)), false);
});
