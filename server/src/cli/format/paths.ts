import * as path from 'node:path';

/**
 * A path as CI services want it: relative to the working directory (the
 * checkout) with '/' separators, or absolute when the file is outside it.
 */
export function repoPath(file: string, cwd: string): { path: string; inside: boolean } {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  const inside = rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
  return inside ? { path: rel.split(path.sep).join('/'), inside } : { path: abs, inside };
}
