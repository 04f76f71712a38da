/**
 * What one workspace folder is analysed with: its settings over its
 * `altcall.json` over the defaults, the same precedence as the CLI's flags
 * over the config file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAME, ConfigError, ConfigFile, ConfigProblem, readConfig } from '../engine/config/configFile';
import { DEFAULT_PROFILE, profile as makeProfile, withNames, type Profile } from '../engine/config/profiles';
import { BuildConfig, layeredConfig } from '../engine/preproc/conditions';
import type { BackendChoice } from '../engine/parse/backend';
import { DEFAULT_MAX_BYTES } from '../engine/files/read';
import type { Severity } from '../engine/rules/types';
import { RULES } from '../engine/rules/registry';
import { DEFAULT_MAX_FILES, type Settings } from './settings';

export interface ProjectOptions {
  profile: Profile;
  /** The `altcall.ibt` setting; null: see `ibtFor`. */
  ibtSetting: boolean | null;
  config: BuildConfig;
  backend: BackendChoice;
  arch: string;
  includeRoots: string[];
  /** gitignore-style, relative to the folder. */
  exclude: string[];
  maxFiles: number;
  maxFileSize: number;
  severity: Record<string, Severity | 'off'>;
  /** The files whose change means re-reading the options: the config file (present or not) and the Kconfig file. */
  inputs: string[];
  /**
   * Everything the index depends on, as one string: two option sets with
   * the same key index alike (severities and IBT only change what is shown).
   */
  analysisKey: string;
}

export interface OptionsRead {
  options: ProjectOptions;
  /** Mistakes in the config file, to be shown on it. */
  configProblems: ConfigProblem[];
  /** Other problems, to be logged. */
  problems: string[];
}

/** `root` null: files outside every workspace folder, with settings alone. */
export function projectOptions(root: string | null, settings: Settings, textOf: (file: string) => string | null): OptionsRead {
  const problems: string[] = [];
  let configProblems: ConfigProblem[] = [];
  const configPath = root === null ? null : path.join(root, CONFIG_FILE_NAME);
  let file: ConfigFile | null = null;
  const configText = configPath === null ? null : textOf(configPath);
  if (configPath !== null && configText !== null) {
    try {
      file = readConfig(configText, configPath, RULES);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      configProblems = err.problems;
      problems.push(`${configPath} has mistakes and is not used until they are fixed`);
    }
  }
  const kconfig = settings.build.kconfig !== null ? path.resolve(root ?? '.', settings.build.kconfig) : file?.kconfig;
  const defines = { ...(file?.defines ?? {}), ...settings.build.defines };
  const kconfigText = kconfig === undefined ? null : textOf(kconfig);
  if (kconfig !== undefined && kconfigText === null) problems.push(`cannot read the Kconfig file ${kconfig}: every CONFIG_ condition it would decide is kept open`);
  // Later entries win: the .config file, then the config file's defines, then the settings' ones.
  const config = layeredConfig(kconfigText, defines);

  const profileName = settings.profile ?? file?.profile ?? DEFAULT_PROFILE;
  const profile = withNames(withNames(makeProfile(profileName), file?.names ?? {}), settings.names);
  const options: ProjectOptions = {
    profile,
    ibtSetting: settings.ibt,
    config,
    backend: settings.parser,
    arch: file?.arch ?? 'x86',
    includeRoots: file?.include ?? [],
    exclude: [...(file?.exclude ?? []), ...settings.exclude],
    maxFiles: settings.maxFiles ?? file?.maxFiles ?? DEFAULT_MAX_FILES,
    maxFileSize: file?.maxFileSize ?? DEFAULT_MAX_BYTES,
    severity: { ...file?.rules, ...settings.rules },
    inputs: [configPath, kconfig].filter((f): f is string => f !== null && f !== undefined),
    analysisKey: '',
  };
  options.analysisKey = JSON.stringify([
    profile.name, profile.names, config.entries().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), options.backend, options.arch,
    options.includeRoots, options.exclude, options.maxFiles, options.maxFileSize,
  ]);
  return { options, configProblems, problems };
}

/** A file's text from disk, or null when it cannot be read. */
export function readDiskText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
