/**
 * The extension manifest agrees with the code: every command the client
 * registers or the server's code lens runs is declared, and every declared
 * one is registered; every setting the server reads is declared with the
 * server's own defaults and values, and every declared one is read; every
 * file the manifest points at exists and is packaged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/paths';
import { SHOW_PREVIEW_COMMAND } from '../../server/out/lsp/protocol';
import { defaultSettings, readSettings } from '../../server/out/lsp/settings';
import { RULES } from '../../server/out/engine/rules/registry';
import { SEVERITIES } from '../../server/out/engine/rules/types';
import { configSchema } from '../../server/out/engine/config/configSchema';
import { PROFILE_NAMES } from '../../server/out/engine/config/profiles';

interface SettingSchema { type?: string | string[]; default?: unknown; enum?: unknown[]; properties?: Record<string, SettingSchema>; scope?: string; markdownDescription?: string; description?: string }
interface Manifest {
  main: string;
  icon: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean } };
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    menus: Record<string, Array<{ command: string }>>;
    configuration: { properties: Record<string, SettingSchema> };
    grammars: Array<{ path: string }>;
    jsonValidation: Array<{ fileMatch: string; url: string }>;
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const settings = manifest.contributes.configuration.properties;
const clientSource = (file: string) => fs.readFileSync(path.join(repoRoot, 'client', 'src', file), 'utf8');

/** The command ids the client defines (string literals of commands.ts). */
function clientCommands(): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of clientSource('commands.ts').matchAll(/(\w+): '([^']+)'/g)) out.set(m[1], m[2]);
  return out;
}

test('every command the client defines is registered by the extension and declared, and the reverse', () => {
  const defined = clientCommands();
  assert.ok(defined.size >= 3, 'commands.ts defines the commands');
  const extension = clientSource('extension.ts');
  for (const key of defined.keys()) assert.match(extension, new RegExp(`registerCommand\\(Commands\\.${key}\\b`), `extension.ts registers Commands.${key}`);
  const declared = manifest.contributes.commands.map((c) => c.command);
  assert.deepEqual([...declared].sort(), [...defined.values()].sort());
  for (const c of manifest.contributes.commands) assert.equal(c.category, 'Alt-call', `${c.command} is in the Alt-call category`);
});

test("the server's code lens command is one the client registers", () => {
  assert.ok([...clientCommands().values()].includes(SHOW_PREVIEW_COMMAND));
  const preview = manifest.contributes.commands.find((c) => c.command === SHOW_PREVIEW_COMMAND);
  assert.equal(preview && `${preview.category}: ${preview.title}`, 'Alt-call: Show Patch Preview');
});

test('menus only name declared commands', () => {
  const declared = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const [menu, items] of Object.entries(manifest.contributes.menus)) for (const item of items) assert.ok(declared.has(item.command), `${menu}: ${item.command}`);
});

/** `altcall.`-prefixed dotted names of the settings the server reads: the leaves of its defaults (an empty object is a map-valued setting). */
function serverSettingNames(): string[] {
  const out: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, `${prefix}.${k}`);
    } else out.push(prefix);
  };
  walk(defaultSettings(), 'altcall');
  return out.sort();
}

/** The settings object VS Code hands the server for section `altcall`: dotted names nested. */
function nest(values: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const parts = name.split('.').slice(1);
    let at = root;
    for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
    at[parts[parts.length - 1]] = value;
  }
  return root;
}

test('the declared settings are exactly the ones the server reads', () => {
  assert.deepEqual(Object.keys(settings).sort(), serverSettingNames());
});

test("the declared defaults are the server's defaults", () => {
  const read = readSettings(nest(Object.fromEntries(Object.entries(settings).map(([k, s]) => [k, s.default]))));
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.settings, defaultSettings());
});

test('every declared setting has a description, a scope, and values the server accepts', () => {
  for (const [name, s] of Object.entries(settings)) {
    assert.ok(s.markdownDescription ?? s.description, `${name} is described`);
    assert.ok(s.scope, `${name} has a scope`);
    for (const value of s.enum ?? []) {
      const read = readSettings(nest({ [name]: value }));
      assert.deepEqual(read.problems, [], `${name} = ${JSON.stringify(value)}`);
    }
  }
  assert.deepEqual(settings['altcall.profile'].enum?.filter((v) => v !== ''), [...PROFILE_NAMES]);
  // A value outside the declared ones is refused: the checks above can fail.
  assert.notDeepEqual(readSettings(nest({ 'altcall.profile': 'xen-4.15' })).problems, []);
});

test('per-rule severities: one per rule, with its default and every severity', () => {
  const rules = settings['altcall.rules'].properties ?? {};
  assert.deepEqual(Object.keys(rules).sort(), RULES.map((r) => r.id).sort());
  for (const r of RULES) {
    assert.equal(rules[r.id].default, r.defaultSeverity, r.id);
    assert.deepEqual(rules[r.id].enum, [...SEVERITIES, 'off'], r.id);
  }
});

test("name overrides: the config file's keys, with its types", () => {
  const names = settings['altcall.names'].properties ?? {};
  const fileNames = configSchema(RULES).properties?.names?.properties ?? {};
  assert.deepEqual(Object.keys(names).sort(), Object.keys(fileNames).sort());
  for (const [k, s] of Object.entries(fileNames)) assert.deepEqual(names[k].type, s.type, k);
});

test('activation, trust, and the language client id that names the trace setting', () => {
  assert.ok(manifest.activationEvents.includes('onLanguage:c'));
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
  // vscode-languageclient reads `<id>.trace.server`.
  assert.match(clientSource('extension.ts'), /new LanguageClient\('altcall',/);
  assert.ok(settings['altcall.trace.server']);
});

test('every file the manifest points at exists and is packaged', () => {
  const negations = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1));
  const files = [
    manifest.icon,
    ...manifest.contributes.grammars.map((g) => g.path),
    ...manifest.contributes.jsonValidation.map((j) => j.url),
  ].map((f) => path.posix.normalize(f));
  for (const f of files) {
    assert.ok(fs.existsSync(path.join(repoRoot, f)), `${f} exists`);
    assert.ok(negations.includes(f), `.vscodeignore keeps ${f}`);
  }
  // The bundle is built, not committed: it is packaged by name.
  assert.ok(negations.includes(path.posix.normalize(manifest.main)), `.vscodeignore keeps ${manifest.main}`);
  assert.ok(negations.includes('server/dist/server.js'));
  assert.match(clientSource('serverOptions.ts'), /'server', 'dist', 'server\.js'/);
});

/** A .vscode file without its comments (VS Code reads them as JSON with comments). */
function jsonc(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, '.vscode', file), 'utf8').replace(/^\s*\/\/.*$/gm, ''));
}

test('the launch configurations fit the tasks, the bundles and the server debug port', () => {
  const launch = jsonc('launch.json') as { configurations: Array<{ name: string; type: string; preLaunchTask?: string; port?: number; outFiles?: string[] }> };
  const tasks = jsonc('tasks.json') as { tasks: Array<{ label: string; command?: string }> };
  const byName = new Map(launch.configurations.map((c) => [c.name, c]));
  const extension = byName.get('Launch Extension');
  const server = byName.get('Attach to Server');
  assert.ok(extension && server, 'both configurations exist');
  assert.equal(extension.type, 'extensionHost');
  const task = tasks.tasks.find((t) => t.label === extension.preLaunchTask);
  assert.ok(task, `the pre-launch task ${extension.preLaunchTask} exists`);
  assert.match(task.command ?? '', /^node esbuild\.js$/, 'it bundles with source maps (no --production)');
  assert.deepEqual(extension.outFiles, [`\${workspaceFolder}/${path.posix.dirname(path.posix.normalize(manifest.main))}/**/*.js`]);
  const port = /DEBUG_PORT = (\d+)/.exec(clientSource('serverOptions.ts'));
  assert.equal(server.port, Number(port?.[1]), 'Attach to Server uses the port the server listens on when debugged');
  assert.deepEqual(server.outFiles, ['${workspaceFolder}/server/dist/**/*.js']);
});
