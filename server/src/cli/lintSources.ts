/**
 * The files a lint run reads: the C files under the given paths (with
 * `.gitignore` files and `--exclude` patterns, which are relative to each
 * given path), less those the config file's `exclude` patterns match
 * relative to the config file's folder, up to the file cap.
 */
import * as path from 'node:path';
import { walkSources } from '../engine/files/walk';
import { IgnoreRules } from '../engine/files/ignoreRules';
import type { FileProblem } from '../engine/files/read';
import type { ConfigFile } from '../engine/config/configFile';

export interface Sources {
  files: string[];
  problems: FileProblem[];
  /** Files left out by the cap. */
  notRead: number;
}

export function lintSources(paths: string[], exclude: string[], config: ConfigFile | null): Sources {
  const walked = walkSources(paths, { exclude });
  const rules = IgnoreRules.fromExcludes(config?.exclude ?? []);
  const kept = walked.files.filter((file) => {
    const rel = path.relative(config?.dir ?? '', path.resolve(file));
    // Files outside the config file's folder are not its business.
    if (!config || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return true;
    return !rules.ignores(rel.split(path.sep).join('/'), false);
  });
  const cap = config?.maxFiles ?? Infinity;
  return { files: kept.slice(0, cap), problems: walked.problems, notRead: Math.max(0, kept.length - cap) };
}
