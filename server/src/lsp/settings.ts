/**
 * The `altcall.*` settings as the client sends them (section `altcall` of
 * `workspace/configuration`), checked and given defaults. A setting left at
 * its default defers to the workspace's `altcall.json`; a set one wins over
 * it, as a command-line flag does for the CLI. Bad values are reported and
 * replaced by the default, never fatal.
 */
import type { JsonNode } from '../engine/config/configJson';
import { configSchema, validate } from '../engine/config/configSchema';
import { isProfileName, PROFILE_NAMES, type NameOverrides, type ProfileName } from '../engine/config/profiles';
import type { BackendChoice } from '../engine/parse/backend';
import type { Severity } from '../engine/rules/types';
import { RULES } from '../engine/rules/registry';

export type Trace = 'off' | 'messages' | 'verbose';

export interface Settings {
  /** null: the config file's profile, else the default. */
  profile: ProfileName | null;
  /** IBT in previews; null: as CONFIG_XEN_IBT in the build configuration, else on when the profile has it. */
  ibt: boolean | null;
  rules: Record<string, Severity | 'off'>;
  names: NameOverrides;
  build: {
    /** A Kconfig `.config`, relative to the workspace folder; null: the config file's. */
    kconfig: string | null;
    defines: Record<string, string>;
  };
  parser: BackendChoice;
  /** gitignore-style patterns relative to the workspace folder, added to the config file's. */
  exclude: string[];
  /** null: the config file's cap, else DEFAULT_MAX_FILES. */
  maxFiles: number | null;
  trace: { server: Trace };
}

export const DEFAULT_MAX_FILES = 20000;

export function defaultSettings(): Settings {
  return { profile: null, ibt: null, rules: {}, names: {}, build: { kconfig: null, defines: {} }, parser: 'auto', exclude: [], maxFiles: null, trace: { server: 'off' } };
}

export interface SettingsRead { settings: Settings; problems: string[]; }

const PARSERS: readonly BackendChoice[] = ['auto', 'native', 'wasm'];
const TRACES: readonly Trace[] = ['off', 'messages', 'verbose'];

export function readSettings(raw: unknown): SettingsRead {
  const s = defaultSettings();
  const problems: string[] = [];
  if (raw === null || raw === undefined) return { settings: s, problems };
  if (!isObject(raw)) return { settings: s, problems: ['altcall: settings must be an object'] };
  const bad = (key: string, message: string) => problems.push(`altcall.${key}: ${message}`);
  const schema = configSchema(RULES).properties!;

  if (raw.profile !== undefined && raw.profile !== null && raw.profile !== '') {
    if (typeof raw.profile === 'string' && isProfileName(raw.profile)) s.profile = raw.profile;
    else bad('profile', `must be one of ${PROFILE_NAMES.join(', ')} (found ${JSON.stringify(raw.profile)})`);
  }
  if (raw.ibt !== undefined && raw.ibt !== null) {
    if (typeof raw.ibt === 'boolean') s.ibt = raw.ibt;
    else bad('ibt', 'must be true, false or null');
  }
  // The rule and name overrides have the config file's shape: its schema checks them.
  for (const key of ['rules', 'names'] as const) {
    if (raw[key] === undefined || raw[key] === null) continue;
    const found = validate(toNode(raw[key]), schema[key]!);
    if (found.length === 0) Object.assign(s[key], raw[key]);
    else for (const p of found) bad(p.key ? `${key}.${p.key}` : key, p.message);
  }
  if (isObject(raw.build)) {
    const { kconfig, defines } = raw.build;
    if (typeof kconfig === 'string' && kconfig !== '') s.build.kconfig = kconfig;
    else if (kconfig !== undefined && kconfig !== null && kconfig !== '') bad('build.kconfig', 'must be a path');
    if (isObject(defines)) {
      for (const [name, value] of Object.entries(defines)) {
        if (!/^[A-Za-z_]\w*$/.test(name)) bad(`build.defines.${name}`, 'a define must be named by a C identifier');
        else if (typeof value === 'string') s.build.defines[name] = value;
        else if (typeof value === 'boolean') s.build.defines[name] = value ? 'y' : 'n';
        else bad(`build.defines.${name}`, 'must be a string such as "y", "n" or a value');
      }
    } else if (defines !== undefined && defines !== null) bad('build.defines', 'must be an object of NAME: value');
  } else if (raw.build !== undefined && raw.build !== null) bad('build', 'must be an object');
  if (raw.parser !== undefined) {
    if (PARSERS.includes(raw.parser as BackendChoice)) s.parser = raw.parser as BackendChoice;
    else bad('parser', `must be one of ${PARSERS.join(', ')}`);
  }
  s.exclude = excludePatterns(raw.exclude, bad);
  if (raw.maxFiles !== undefined && raw.maxFiles !== null && raw.maxFiles !== 0) {
    if (typeof raw.maxFiles === 'number' && Number.isInteger(raw.maxFiles) && raw.maxFiles > 0) s.maxFiles = raw.maxFiles;
    else bad('maxFiles', 'must be a positive integer');
  }
  const trace = isObject(raw.trace) ? raw.trace.server : undefined;
  if (trace !== undefined) {
    if (TRACES.includes(trace as Trace)) s.trace.server = trace as Trace;
    else bad('trace.server', `must be one of ${TRACES.join(', ')}`);
  }
  return { settings: s, problems };
}

/** A list of patterns, or `files.exclude`'s shape: an object whose keys set to true are the patterns. */
function excludePatterns(raw: unknown, bad: (key: string, message: string) => void): string[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) {
    const ok = raw.filter((p): p is string => typeof p === 'string' && p !== '');
    if (ok.length !== raw.length) bad('exclude', 'every pattern must be a non-empty string');
    return ok;
  }
  if (isObject(raw)) return Object.entries(raw).filter(([, on]) => on === true).map(([p]) => p);
  bad('exclude', 'must be a list of patterns');
  return [];
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A plain value as the config file's parser would give it (there are no offsets to report here). */
function toNode(value: unknown): JsonNode {
  const offset = 0;
  if (Array.isArray(value)) return { kind: 'array', offset, items: value.map(toNode) };
  if (isObject(value)) return { kind: 'object', offset, entries: Object.entries(value).map(([key, v]) => ({ key, keyOffset: 0, value: toNode(v) })) };
  if (typeof value === 'string') return { kind: 'string', offset, value };
  if (typeof value === 'number') return { kind: 'number', offset, value };
  if (typeof value === 'boolean') return { kind: 'boolean', offset, value };
  return { kind: 'null', offset };
}
