/**
 * The injection grammar, as VS Code applies it: tokenised with
 * vscode-textmate over a small C grammar of our own, wired through the
 * manifest's `contributes.grammars` entry. Lines come from the fixture tree
 * where it has the token, and from inline C for the places it must not
 * match (comments, strings, longer identifiers).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { fixturesDir, repoRoot } from '../helpers/paths';

interface GrammarContribution { scopeName: string; path: string; injectTo?: string[] }

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { grammars: GrammarContribution[] } };
const xen = path.join(fixturesDir, 'xen', 'xen');

const SITE = 'support.function.altcall.site.c';
const WRAPPER = 'support.function.altcall.wrapper.c';
const ANNOTATION = 'storage.modifier.altcall.annotation.c';
const DEPRECATED = 'invalid.deprecated.altcall.annotation.c';

let grammarPromise: Promise<vsctm.IGrammar> | undefined;

function cGrammar(): Promise<vsctm.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm);
    const injections = manifest.contributes.grammars.filter((g) => g.injectTo?.includes('source.c'));
    assert.equal(injections.length, 1, 'the manifest contributes one injection into source.c');
    const files = new Map<string, string>([
      ['source.c', path.join(repoRoot, 'test', 'client', 'fixtures', 'c.tmLanguage.json')],
      [injections[0].scopeName, path.join(repoRoot, injections[0].path)],
    ]);
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
      loadGrammar: async (scopeName) => {
        const file = files.get(scopeName);
        return file ? vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
      },
      getInjections: (scopeName) => (scopeName === 'source.c' ? [injections[0].scopeName] : undefined),
    });
    const grammar = await registry.loadGrammar('source.c');
    assert.ok(grammar, 'source.c loads');
    return grammar;
  })();
  return grammarPromise;
}

interface Token { text: string; start: number; end: number; scopes: string[] }

/** Tokens of each line, with the state carried from line to line as an editor does. */
async function tokenise(text: string): Promise<Token[][]> {
  const grammar = await cGrammar();
  let state = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), start: t.startIndex, end: t.endIndex, scopes: t.scopes }));
  });
}

/** The token that starts at `column` of `line`, which must cover exactly `word`. */
function tokenAt(lines: Token[][], line: number, column: number, word: string): Token {
  const token = lines[line].find((t) => t.start === column);
  assert.ok(token, `a token starts at ${line + 1}:${column + 1}`);
  assert.equal(token.text, word, `the token at ${line + 1}:${column + 1} is exactly ${word}`);
  return token;
}

/** The first line of a fixture file holding `word` outside a comment (the test looks, not the grammar). */
function fixtureLine(file: string, word: string): { text: string; line: number; column: number } {
  const text = fs.readFileSync(path.join(xen, file), 'utf8');
  const lines = text.split('\n');
  const line = lines.findIndex((l) => {
    const at = l.indexOf(word);
    return at >= 0 && !l.slice(0, at).includes('/*') && !l.slice(0, at).includes('//');
  });
  assert.ok(line >= 0, `${file} has ${word}`);
  return { text, line, column: lines[line].indexOf(word) };
}

const fixtureCases: Array<{ file: string; word: string; scope: string }> = [
  { file: 'drivers/pwrgov/acpi.c', word: '__alt_call_maybe_initconst', scope: DEPRECATED },
  { file: 'common/pol/core.c', word: '__alt_call_maybe_initdata', scope: ANNOTATION },
  { file: 'arch/x86/cpu/thermal.c', word: '__initconstrel', scope: ANNOTATION },
  { file: 'arch/x86/cpu/thermal.c', word: '__read_mostly', scope: ANNOTATION },
  { file: 'arch/x86/cpu/idle.c', word: '__initconst_cf_clobber', scope: ANNOTATION },
  { file: 'arch/x86/gvirt/orion/orion.c', word: '__initdata_cf_clobber', scope: ANNOTATION },
  { file: 'arch/x86/gvirt/gvirt.c', word: '__ro_after_init', scope: ANNOTATION },
  { file: 'arch/x86/cpu/idle.c', word: 'alternative_call1', scope: SITE },
  { file: 'arch/x86/cpu/perfctr.c', word: 'alternative_call2', scope: SITE },
  { file: 'arch/x86/include/asm/idle.h', word: 'alternative_vcall1', scope: SITE },
  // Inside a #define body: the wrapper's expansion names the site macro.
  { file: 'arch/x86/include/asm/irqchip.h', word: 'alternative_vcall', scope: SITE },
];

for (const { file, word, scope } of fixtureCases) {
  test(`${word} in ${file} is scoped ${scope}`, async () => {
    const { text, line, column } = fixtureLine(file, word);
    const token = tokenAt(await tokenise(text), line, column, word);
    assert.ok(token.scopes.includes(scope), `scopes: ${token.scopes.join(' ')}`);
    assert.equal(token.scopes[0], 'source.c');
  });
}

test('the deprecated annotation is only invalid.deprecated, not also a plain annotation', async () => {
  const { text, line, column } = fixtureLine('drivers/pwrgov/acpi.c', '__alt_call_maybe_initconst');
  const token = tokenAt(await tokenise(text), line, column, '__alt_call_maybe_initconst');
  assert.ok(!token.scopes.includes(ANNOTATION));
});

test("Xen's own wrapper macros are scoped as wrappers", async () => {
  const source = [
    'static inline int map(struct domain *d) { return iommu_call(&iommu_ops, map_page, d); }',
    '    iommu_vcall(&iommu_ops, flush, d);',
    '#define XSM_ALT_void alternative_vcall',
  ].join('\n');
  const lines = await tokenise(source);
  assert.ok(tokenAt(lines, 0, source.split('\n')[0].indexOf('iommu_call'), 'iommu_call').scopes.includes(WRAPPER));
  assert.ok(tokenAt(lines, 1, 4, 'iommu_vcall').scopes.includes(WRAPPER));
  assert.ok(tokenAt(lines, 2, 8, 'XSM_ALT_void').scopes.includes(WRAPPER));
  assert.ok(tokenAt(lines, 2, 21, 'alternative_vcall').scopes.includes(SITE));
});

test('every numbered site macro form 0..6 is a site, and no other number', async () => {
  const forms = [0, 1, 2, 3, 4, 5, 6].flatMap((n) => [`alternative_call${n}`, `alternative_vcall${n}`]);
  const lines = await tokenise(forms.map((f) => `    x = ${f}(ops.fn);`).join('\n'));
  forms.forEach((f, i) => assert.ok(tokenAt(lines, i, 8, f).scopes.includes(SITE), f));
  const [seven] = await tokenise('    x = alternative_call7(ops.fn);');
  assert.ok(!seven.some((t) => t.scopes.includes(SITE)), 'alternative_call7 is no site macro');
});

test('no match in comments, strings, or as part of a longer identifier', async () => {
  const source = [
    '/* alternative_call(ops.fn) and __read_mostly in a comment */',
    '/* a comment over lines:',
    '   __alt_call_maybe_initconst */',
    'x = 1; // alternative_vcall(ops.fn)',
    'const char *s = "alternative_call(ops.fn) __ro_after_init";',
    'int my_alternative_call(void); int __read_mostly_x; int alternative_callx;',
    'static int __initdata plain; void __init setup(void);',
  ].join('\n');
  const lines = await tokenise(source);
  const ours = [SITE, WRAPPER, ANNOTATION, DEPRECATED];
  lines.forEach((tokens, i) => {
    for (const t of tokens) assert.ok(!t.scopes.some((s) => ours.includes(s)), `line ${i + 1}: '${t.text}' is scoped ${t.scopes.join(' ')}`);
  });
  // The same words outside comments and strings do match: the lines above fail for the right reason.
  const [plain] = await tokenise('static struct x __read_mostly a = { alternative_call(ops.fn) };');
  assert.ok(plain.some((t) => t.text === '__read_mostly' && t.scopes.includes(ANNOTATION)));
  assert.ok(plain.some((t) => t.text === 'alternative_call' && t.scopes.includes(SITE)));
});
