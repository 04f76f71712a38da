/** Command-line options shared by the subcommands, and the engine options they map to. */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_PROFILE, isProfileName, PROFILE_NAMES, profile, withNames } from '../engine/config/profiles';
import { configFileFor, loadConfigFile, ConfigFile } from '../engine/config/configFile';
import { layeredConfig, BuildConfig } from '../engine/preproc/conditions';
import type { EngineOptions } from '../engine/engine';
import type { BackendChoice } from '../engine/parse/backend';

export class UsageError extends Error {}

export const COMMON_OPTIONS = {
  format: { type: 'string' },
  profile: { type: 'string' },
  config: { type: 'string' },
  define: { type: 'string', short: 'D', multiple: true },
  kconfig: { type: 'string' },
  parser: { type: 'string' },
  arch: { type: 'string' },
  include: { type: 'string', short: 'I', multiple: true },
  exclude: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export type Parsed = ReturnType<typeof parseCommon>;

export function parseCommon(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: COMMON_OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function choice<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
  return value as T;
}

/** The command line's options over the config file's (if any) over the defaults. */
export function engineOptions(values: Parsed['values'], log: (m: string) => void, file: ConfigFile | null = null): EngineOptions {
  const p = values.profile ?? file?.profile ?? DEFAULT_PROFILE;
  if (!isProfileName(p)) throw new UsageError(`--profile must be one of ${PROFILE_NAMES.join(', ')} (got '${p}')`);
  const backend = choice<BackendChoice>(values.parser, ['auto', 'native', 'wasm'], '--parser', 'auto');
  return {
    profile: withNames(profile(p), file?.names ?? {}),
    config: buildConfig(values.define ?? [], values.kconfig ?? file?.kconfig, file?.defines ?? {}),
    backend,
    arch: values.arch ?? file?.arch ?? 'x86',
    includeRoots: [...(file?.include ?? []), ...(values.include ?? [])],
    walk: { exclude: values.exclude ?? [] },
    maxBytes: file?.maxFileSize,
    log,
  };
}

/** Later sources win: the .config file, then the config file's defines, then -D flags. */
function buildConfig(defines: string[], kconfig: string | undefined, fileDefines: Record<string, string>): BuildConfig {
  const map: Record<string, string> = { ...fileDefines };
  for (const d of defines) {
    const m = /^([A-Za-z_]\w*)(?:=(.*))?$/.exec(d);
    if (!m) throw new UsageError(`--define expects NAME or NAME=VALUE (got '${d}')`);
    map[m[1]] = m[2] ?? '1';
  }
  if (kconfig === undefined) return layeredConfig(null, map);
  try {
    return layeredConfig(fs.readFileSync(kconfig, 'utf8'), map);
  } catch (err) {
    throw new UsageError(`cannot read the Kconfig file ${kconfig}: ${(err as Error).message}`);
  }
}

/** --config, else the one `altcall.json` the paths fall under (or none); paths under different ones are a usage error. */
export function configForPaths(paths: string[], explicit: string | undefined): ConfigFile | null {
  if (explicit !== undefined) return loadConfigFile(explicit);
  const byConfig = new Map<string | null, string[]>();
  for (const p of paths) {
    const c = configFileFor(p);
    byConfig.set(c, [...(byConfig.get(c) ?? []), p]);
  }
  if (byConfig.size > 1) {
    const list = [...byConfig].map(([c, ps]) => `${c ?? 'no config file'} for ${ps.join(', ')}`).join('; ');
    throw new UsageError(`the paths fall under different config files (${list}): run them separately, or choose one with --config`);
  }
  const [file] = byConfig.keys();
  return file ? loadConfigFile(file) : null;
}
