/**
 * The light copy leaves out anonymous tokens no field holds and derives
 * most bounds instead of reading them: checked node for node against the
 * parser's own node API, on both backends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createParser, type BackendName, type SyntaxNode } from '../../server/out/engine/parse/backend';
import { fieldTokens, lightTree, type LightNode } from '../../server/out/engine/parse/light';
import { walkSources } from '../../server/out/engine/files/walk';
import { fixturesDir } from '../helpers/paths';

interface Shape { type: string; start: number; end: number; field: string | null; missing: boolean; error: boolean; children: Shape[] }

/** The parser's tree through its node API, without the tokens the copy leaves out. */
function reference(node: SyntaxNode, field: string | null, keepAnonymous: (type: string) => boolean): Shape {
  const kids: Shape[] = [];
  const api = node as unknown as { children: SyntaxNode[]; isNamed: boolean };
  api.children.forEach((c, i) => {
    const child = c as unknown as { isNamed: boolean; isMissing: boolean; type: string };
    if (child.isNamed || child.isMissing || keepAnonymous(child.type)) kids.push(reference(c, fieldNameOf(node, i), keepAnonymous));
  });
  return { type: node.type, start: node.startIndex, end: node.endIndex, field, missing: node.isMissing, error: node.hasError, children: kids };
}

function fieldNameOf(node: SyntaxNode, i: number): string | null {
  return (node as unknown as { fieldNameForChild(i: number): string | null }).fieldNameForChild(i) ?? null;
}

function copied(node: LightNode, field: string | null): Shape {
  return { type: node.type, start: node.startIndex, end: node.endIndex, field, missing: node.isMissing, error: node.hasError, children: node.children.map((c, i) => copied(c, node.fields[i] ?? null)) };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const OPERATORS = fieldTokens(require('tree-sitter-c/src/node-types.json'));

test('the tokens a field can hold are the operators, not punctuation or keywords', () => {
  for (const op of ['->', '.', '=', '|=', '*', '&', '!', '++']) assert.ok(OPERATORS.has(op), op);
  for (const p of ['(', ')', ';', ',', '{', 'return', 'struct', '#define']) assert.ok(!OPERATORS.has(p), p);
});

const SAMPLES = [
  'static int f(int *p) { return *p + (p ? 1 : 2); }\n',
  // A missing `;` at the end of a member, an ERROR in a body, a missing `)`:
  'struct x { int a };\nint g(void) { a = (b + ; }\nint h(void) { return (1; }\n',
  // Directive lines end in a newline token the cursor does not show:
  '#ifndef X\n#define ABC 1\n#include <y.h>\n#pragma once\n#define F(a) (a)\n#endif\n',
  'static const struct ops o = { .fn = &impl, .data = { 1, 2 }, };\nvoid k(void) { if ( !o.fn ) o.fn = NULL; s->m++; }\n',
];

for (const backend of ['native', 'wasm'] as BackendName[]) {
  test(`${backend}: the light copy has the parser's named nodes, field tokens and MISSING tokens, with the same bounds and errors`, async () => {
    const parser = await createParser(backend);
    const fixtures = walkSources([path.join(fixturesDir, 'xen')]).files.map((f) => fs.readFileSync(f, 'utf8'));
    for (const text of [...SAMPLES, ...fixtures]) {
      const tree = parser.parse(text);
      try {
        const light = lightTree(tree, () => ({ row: 0, column: 0 }), parser.symbols);
        assert.deepEqual(copied(light, null), reference(tree.rootNode, null, (t) => OPERATORS.has(t)));
      } finally {
        parser.free(tree);
      }
    }
  });
}

test('a MISSING token marks every enclosing node as having an error', async () => {
  const parser = await createParser('native');
  const tree = parser.parse('struct x { int a };\n');
  const light = lightTree(tree, () => ({ row: 0, column: 0 }), parser.symbols);
  assert.equal(light.hasError, true);
  const decl = light.children[0].childForFieldName('body')!.children.find((c) => c.type === 'field_declaration')!;
  const semi = decl.children.find((c) => c.type === ';')!;
  assert.deepEqual([semi.isMissing, semi.startIndex, semi.endIndex, decl.hasError], [true, 16, 16, true]);
});
