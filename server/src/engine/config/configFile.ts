/**
 * `altcall.json`, the configuration shared by altcall-lint and the language
 * server: where it is found, and reading it with messages that name the file,
 * the key and the mistake.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseJson, plain, JsonNode, JsonSyntaxError } from './configJson';
import { configSchema, validate, RuleInfo } from './configSchema';
import { RULES } from '../rules/registry';
import type { NameOverrides, ProfileName } from './profiles';
import type { Severity } from '../rules/types';
import { LineIndex } from '../util/lines';

export const CONFIG_FILE_NAME = 'altcall.json';

/** A valid config file; paths in it are resolved against its folder, except `exclude`. */
export interface ConfigFile {
  file: string;
  dir: string;
  profile?: ProfileName;
  rules: Record<string, Severity | 'off'>;
  names: NameOverrides;
  kconfig?: string;
  defines: Record<string, string>;
  /** gitignore-style patterns matched against paths relative to `dir`. */
  exclude: string[];
  /** `includePath`, resolved. */
  include: string[];
  arch?: string;
  maxFiles?: number;
  maxFileSize?: number;
}

/** One mistake; line and column are 1-based. */
export interface ConfigProblem { file: string; line: number; column: number; key: string; message: string; }

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatConfigProblem).join('\n'));
  }
}

/** GCC style, so that terminals and editors make it a link: `altcall.json:3:5: error: rules.x: unknown key`. */
export function formatConfigProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.column}: error: ${p.key ? `${p.key}: ` : ''}${p.message}`;
}

/**
 * The config file for one path given to the linter: `altcall.json` in the
 * path itself when it is a folder (else in the folder holding it), or the
 * nearest one above. The search stops after the first folder that holds a
 * `.git` entry (the repository's root), or at the filesystem's root.
 */
export function configFileFor(given: string): string | null {
  let dir = path.resolve(given);
  if (!isDirectory(dir)) dir = path.dirname(dir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir || fs.existsSync(path.join(dir, '.git'))) return null;
    dir = parent;
  }
}

/** Reads and validates a config file. Throws ConfigError. */
export function loadConfigFile(file: string, rules: readonly RuleInfo[] = RULES): ConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new ConfigError([{ file, line: 1, column: 1, key: '', message: `cannot read the config file: ${why}` }]);
  }
  return readConfig(text, file, rules);
}

/** Validates the text of the config file `file` (which need not be saved: the server passes open buffers). */
export function readConfig(text: string, file: string, rules: readonly RuleInfo[] = RULES): ConfigFile {
  const lines = new LineIndex(text);
  const problem = (offset: number, key: string, message: string): ConfigProblem => {
    const at = lines.span(offset, offset);
    return { file, line: at.line + 1, column: at.col + 1, key, message };
  };
  let root: JsonNode;
  try {
    root = parseJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new ConfigError([problem(err.offset, '', `invalid JSON: ${err.message}`)]);
    throw err;
  }
  const mistakes = validate(root, configSchema(rules)).map((p) => problem(p.offset, p.key, p.message));
  if (mistakes.length) throw new ConfigError(mistakes);
  const dir = path.dirname(path.resolve(file));
  const value = plain(root) as {
    profile?: ProfileName; rules?: Record<string, Severity | 'off'>; names?: NameOverrides;
    build?: { kconfig?: string; defines?: Record<string, string> }; exclude?: string[]; includePath?: string[];
    arch?: string; maxFiles?: number; maxFileSize?: number;
  };
  const config: ConfigFile = {
    file,
    dir,
    profile: value.profile,
    rules: value.rules ?? {},
    names: value.names ?? {},
    kconfig: value.build?.kconfig === undefined ? undefined : path.resolve(dir, value.build.kconfig),
    defines: value.build?.defines ?? {},
    exclude: value.exclude ?? [],
    include: (value.includePath ?? []).map((p) => path.resolve(dir, p)),
    arch: value.arch,
    maxFiles: value.maxFiles,
    maxFileSize: value.maxFileSize,
  };
  // Paths that lead nowhere are typos: better said now than silently ignored.
  const missing: ConfigProblem[] = [];
  if (config.kconfig !== undefined && !isFile(config.kconfig)) {
    missing.push(problem(locate(root, ['build', 'kconfig']), 'build.kconfig', `no such file: ${config.kconfig}`));
  }
  config.include.forEach((p, i) => {
    if (!isDirectory(p)) missing.push(problem(locate(root, ['includePath', String(i)]), `includePath[${i}]`, `no such folder: ${p}`));
  });
  if (missing.length) throw new ConfigError(missing);
  return config;
}

/** Offset of the value at `keys` (object keys or array indices). */
function locate(node: JsonNode, keys: string[]): number {
  for (const k of keys) {
    if (node.kind === 'object') node = node.entries.find((e) => e.key === k)?.value ?? node;
    else if (node.kind === 'array') node = node.items[Number(k)] ?? node;
  }
  return node.offset;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
