/**
 * altcall.json: discovery, precedence (command line > config file >
 * defaults), every kind of mistake, and the schema file editors read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { RULE_IDS } from '../../server/out/engine/rules/registry';
import { configSchema, validate } from '../../server/out/engine/config/configSchema';
import { parseJson } from '../../server/out/engine/config/configJson';
import { profile, withNames } from '../../server/out/engine/config/profiles';
import { repoRoot } from '../helpers/paths';
import { lint, cliFixtures, copyOf, markedFindings, tempDir } from './lintSupport';

const configured = path.join(cliFixtures, 'configured');

interface Finding { file: string; line: number; rule: string; severity: string; message: string; related: Array<{ line: number; message: string }>; }

function findings(args: string[], cwd?: string): Finding[] {
  const r = lint([...args, '--format', 'json'], cwd);
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return JSON.parse(r.stdout).findings;
}

const keyed = (root: string, list: Finding[], cwd = '.') => list.map((f) => `${path.relative(root, path.resolve(cwd, f.file))}:${f.line} ${f.rule}`).sort();

test('the config file found at the tree root applies: profile, names, build configuration, exclude', () => {
  const list = findings([configured]);
  // generated/ is excluded, hook_call is a site, CONFIG_DEBUG_HOOKS is off, CONFIG_FAST is on.
  assert.deepEqual(keyed(configured, list), markedFindings(configured));
  const impl = list.find((f) => f.rule === 'impl-table-not-initconstrel')!;
  assert.match(impl.message, /`__initconstrel`/, 'profile xen-4.16');
  const ops = list.find((f) => f.rule === 'ops-missing-initdata')!;
  const hookLine = fs.readFileSync(path.join(configured, 'src', 'hooks.c'), 'utf8').split('\n').findIndex((l) => l.includes('hook_call(hooks.run')) + 1;
  assert.ok(ops.related.some((r) => r.line === hookLine), 'the hook_call site is a site');
});

test('a path below the config file finds it in a folder above', () => {
  const sub = path.join(configured, 'src');
  assert.deepEqual(keyed(configured, findings([sub])), markedFindings(configured));
  assert.deepEqual(keyed(configured, findings(['hooks.c'], sub), sub), markedFindings(configured));
});

test('the command line wins over the config file, which wins over the defaults', () => {
  const impl = (args: string[]) => findings([configured, ...args]).find((f) => f.rule === 'impl-table-not-initconstrel')!;
  assert.match(impl(['--profile', 'xen-4.21']).message, /`__initconst_cf_clobber`/);

  // The kconfig turns CONFIG_DEBUG_HOOKS off; -D turns it on; the config file makes the rule an error.
  const debug = findings([configured, '-D', 'CONFIG_DEBUG_HOOKS=y']).filter((f) => f.rule === 'write-after-patch');
  assert.deepEqual(debug.map((f) => f.severity), ['error']);
  const lowered = findings([configured, '-D', 'CONFIG_DEBUG_HOOKS=y', '--rule', 'write-after-patch=info']).filter((f) => f.rule === 'write-after-patch');
  assert.deepEqual(lowered.map((f) => f.severity), ['info']);

  // CONFIG_FAST: n in the kconfig, y in the config file's defines (no runtime use), n again with -D (a runtime use).
  const fast = findings([configured, '-D', 'CONFIG_FAST=n']);
  assert.equal(fast.some((f) => f.rule === 'ops-missing-initdata'), false);
  assert.equal(fast.some((f) => f.rule === 'ops-kept-at-runtime'), false, 'off in the config file');
  assert.equal(findings([configured, '-D', 'CONFIG_FAST=n', '--rule', 'ops-kept-at-runtime=info']).some((f) => f.rule === 'ops-kept-at-runtime'), true);

  // --exclude adds to the config file's patterns.
  assert.deepEqual(findings([configured, '--exclude', 'src/']), []);
});

test('--config names the file to use instead of the one found', () => {
  const other = path.join(tempDir(), 'strict.json');
  fs.writeFileSync(other, JSON.stringify({ rules: { 'impl-table-not-initconstrel': 'error' } }));
  const list = findings([configured, '--config', other]);
  const impl = list.find((f) => f.rule === 'impl-table-not-initconstrel')!;
  assert.equal(impl.severity, 'error');
  // The found altcall.json no longer applies: the profile is the default, generated/ is linted,
  // ops-kept-at-runtime is on, and hook_call is not a site (so it reads `hooks` at runtime).
  assert.match(impl.message, /`__initconst_cf_clobber`/);
  assert.ok(list.some((f) => f.file.includes('generated')));
  assert.ok(list.some((f) => f.rule === 'ops-kept-at-runtime'));
});

test('the search stops at the repository root, and paths under two config files are refused', () => {
  const top = tempDir();
  fs.writeFileSync(path.join(top, 'altcall.json'), '{ not json');
  const repo = path.join(top, 'repo');
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  fs.mkdirSync(path.join(repo, 'sub'));
  fs.cpSync(path.join(cliFixtures, 'clean', 'clock.c'), path.join(repo, 'sub', 'clock.c'));
  assert.equal(lint([path.join(repo, 'sub')]).status, 0, 'the broken altcall.json above .git is not read');
  assert.equal(lint([top]).status, 2);

  const r = lint([configured, path.join(repo, 'sub')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /the paths fall under different config files .*altcall\.json for .*configured; no config file for .*sub/);
});

test('each kind of mistake in the config file: file, line, column, key, what is wrong; exit 2', () => {
  const cases: Array<[string, RegExp]> = [
    ['{\n  "profile": "xen-4.16",\n  "rules": {}\n  "exclude": []\n}', /altcall\.json:4:3: error: invalid JSON: expected ',' or '}' after the value of 'rules', found '"'/],
    ['{\n  // no comments\n}', /altcall\.json:2:3: error: invalid JSON: comments are not allowed in JSON/],
    ['{"exclude": ["a",]}', /altcall\.json:1:17: error: invalid JSON: trailing comma before '\]'/],
    ['{"rules": {}, "rules": {}}', /altcall\.json:1:15: error: invalid JSON: duplicate key 'rules'/],
    ['', /altcall\.json:1:1: error: invalid JSON: the file is empty/],
    ['{\n  "rule": {}\n}', /altcall\.json:2:3: error: rule: unknown key 'rule'; did you mean 'rules'\?/],
    ['{\n  "names": {\n    "patchRoutin": "x"\n  }\n}', /altcall\.json:3:5: error: names\.patchRoutin: unknown key 'patchRoutin'; did you mean 'patchRoutine'\?/],
    ['{"rules": {"write-after-pach": "off"}}', /altcall\.json:1:12: error: rules\.write-after-pach: unknown key 'write-after-pach'; did you mean 'write-after-patch'\?/],
    ['{"exclude": "tools/"}', /altcall\.json:1:13: error: exclude: must be an array \(found 'tools\/'\)/],
    ['{"maxFiles": 2.5}', /altcall\.json:1:14: error: maxFiles: must be an integer \(found 2\.5\)/],
    ['{"maxFiles": 0}', /error: maxFiles: must be at least 1 \(found 0\)/],
    ['{"build": {"defines": {"CONFIG_X": 1}}}', /error: build\.defines\.CONFIG_X: must be a string \(found 1\)/],
    ['{"profile": "xen-4.15"}', /altcall\.json:1:13: error: profile: must be one of xen-4\.16, xen-4\.17, xen-4\.18, xen-4\.19, xen-4\.20, xen-4\.21 \(found 'xen-4\.15'\)/],
    ['{"rules": {"write-after-patch": "fatal"}}', /error: rules\.write-after-patch: must be one of error, warning, info, hint, off \(found 'fatal'\)/],
    ['{"names": {"siteMacros": ["...", "my-call"]}}', /error: names\.siteMacros\[1\]: a site macro must be a C identifier, or "\.\.\." for the profile's list \(found 'my-call'\)/],
    ['{"names": {"patchRoutine": null}}', /error: names\.patchRoutine: must be a string \(found null\)/],
    ['{"build": {"kconfig": "no/.config"}}', /altcall\.json:1:23: error: build\.kconfig: no such file: .*no\/\.config/],
    ['{"includePath": ["include", "nowhere"]}', /altcall\.json:1:29: error: includePath\[1\]: no such folder: .*nowhere/],
  ];
  for (const [text, message] of cases) {
    const dir = copyOf(path.join(cliFixtures, 'clean'));
    fs.mkdirSync(path.join(dir, 'include'));
    fs.writeFileSync(path.join(dir, 'altcall.json'), text);
    const r = lint([dir]);
    assert.equal(r.status, 2, `${text}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message, text);
    assert.equal(r.stdout, '');
  }
  // Every mistake is listed, not just the first.
  const dir = copyOf(path.join(cliFixtures, 'clean'));
  fs.writeFileSync(path.join(dir, 'altcall.json'), '{"profile": 4, "arch": "X86", "quiet": true}');
  const r = lint([dir]);
  assert.equal(r.stderr.trim().split('\n').length, 3, r.stderr);
  const missing = lint([dir, '--config', path.join(dir, 'none.json')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /none\.json:1:1: error: cannot read the config file: no such file/);
});

test('server/schema/altcall.schema.json is the schema the code validates with (regenerate it with npm run schema)', () => {
  const file = JSON.parse(fs.readFileSync(path.join(repoRoot, 'server', 'schema', 'altcall.schema.json'), 'utf8'));
  assert.deepEqual(file, JSON.parse(JSON.stringify(configSchema())));
  assert.deepEqual(Object.keys(file.properties.rules.properties), [...RULE_IDS]);
  assert.deepEqual(Object.keys(file.properties.names.properties).sort(), Object.keys(profile().names).sort());
  const described = (s: Record<string, unknown>, where: string): void => {
    for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) {
      assert.ok(typeof v.markdownDescription === 'string' && v.markdownDescription.length > 10, `${where}${k} has a markdownDescription`);
      described(v, `${where}${k}.`);
    }
  };
  described(file, '');
});

test('a draft-07 validator (ajv) agrees with the built-in one on good and bad configs', () => {
  const dev = createRequire(__filename);
  const Ajv = dev('ajv') as new (o: object) => { compile(s: object): (d: unknown) => boolean };
  const check = new Ajv({ strict: false, allErrors: true }).compile(configSchema());
  const samples = [
    fs.readFileSync(path.join(configured, 'altcall.json'), 'utf8'),
    '{}',
    '{"names": {"siteMacros": ["...", "my_call"], "firstPassRoutine": null, "attributes": ["__my_attr"]}, "maxFiles": 10, "arch": "x86"}',
    '{"build": {"defines": {"CONFIG_A": "y", "CONFIG_B": "0x10"}}, "includePath": ["a"], "exclude": ["tools/", "*.gen.c"]}',
    ...RULE_IDS.map((id) => JSON.stringify({ rules: { [id]: 'off' } })),
    '{"profile": "xen-4.22"}', '{"rules": {"nope": "off"}}', '{"names": {"siteMacros": ["a b"]}}', '{"names": {"siteMacros": ["a", "a"]}}',
    '{"build": {"defines": {"1X": "y"}}}', '{"arch": "x86-64"}', '{"maxFileSize": -1}', '{"exclude": [1]}', '[]', '{"names": {"firstPassRoutine": 3}}',
  ];
  for (const text of samples) {
    const ours = validate(parseJson(text), configSchema()).length === 0;
    assert.equal(check(JSON.parse(text)), ours, text);
  }
});

test('name overrides: a list replaces the profile\'s, "..." keeps it', () => {
  const base = profile('xen-4.20');
  const extended = withNames(base, { siteMacros: ['...', 'my_call'], patchRoutine: 'my_patch', firstPassRoutine: null });
  assert.deepEqual(extended.names.siteMacros, [...base.names.siteMacros, 'my_call']);
  assert.equal(extended.names.patchRoutine, 'my_patch');
  assert.equal(extended.names.firstPassRoutine, null);
  assert.deepEqual(extended.names.attributes, base.names.attributes);
  assert.deepEqual(withNames(base, { siteMacros: ['only_this'] }).names.siteMacros, ['only_this']);
  assert.equal(extended.scheme, base.scheme);
  assert.notEqual(base.names.patchRoutine, 'my_patch', 'the base profile is not changed');
});
