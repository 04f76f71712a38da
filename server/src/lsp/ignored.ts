/**
 * Whether the folder walk would have listed a file, for files that appear
 * after indexing (created, or renamed into place): the exclude patterns and
 * the `.gitignore` files from the folder down to the file, as the walk
 * applies them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IgnoreRules } from '../engine/files/ignoreRules';

export function isWalked(root: string, file: string, exclude: readonly string[]): boolean {
  const rel = path.relative(root, file).split(path.sep);
  if (rel[0] === '..' || path.isAbsolute(rel.join('/'))) return false;
  let rules = IgnoreRules.fromExcludes(exclude);
  for (let depth = 0; depth < rel.length; depth++) {
    const dirRel = rel.slice(0, depth).join('/');
    const name = rel[depth];
    const gitignore = path.join(root, ...rel.slice(0, depth), '.gitignore');
    let text: string | null = null;
    try {
      text = fs.readFileSync(gitignore, 'utf8');
    } catch {
      // No .gitignore here (or an unreadable one, which the walk skips too).
    }
    if (text !== null) rules = rules.withGitignore(dirRel, text);
    const isDir = depth < rel.length - 1;
    if (name === '.git' || rules.ignores(dirRel ? `${dirRel}/${name}` : name, isDir)) return false;
  }
  return true;
}
