import * as fs from 'node:fs';
import * as path from 'node:path';
import { IgnoreRules } from './ignoreRules';
import { type FileProblem, fsProblem } from './problem';

/*
 * Finds the C sources under the paths a user gives.
 *
 * Symlinks met inside a walked directory are never followed, whether they point
 * to a file or a directory, inside the root or out of it: a target inside the
 * root is listed under its real path anyway, one outside is not the user's tree,
 * and loops cannot happen. A path given directly is taken as is, symlink or not.
 *
 * Only the .gitignore files inside the walked directories are read, not those
 * of the directories above a root, nor .git/info/exclude or core.excludesFile.
 * The git index is not read either, so a file that git tracks although a
 * .gitignore matches it is skipped (Xen has one: tools/fuzz/libelf/libelf-fuzzer.c).
 */

export interface WalkOptions {
  /** File name endings to keep in walked directories, with the dot. Default ['.c', '.h']. */
  extensions?: string[];
  /** gitignore-style patterns, relative to each root; they win over .gitignore negations. */
  exclude?: string[];
  /** Stop after this many files and set `truncated`. */
  maxFiles?: number;
  /** Symlinks inside walked directories are never followed; see above. */
  followSymlinks?: false;
}

export interface WalkResult {
  /**
   * Paths as path.join(root, relative path) makes them, so relative when the root
   * is. Roots in the order given; within a root, sorted by '/'-joined relative
   * path in code-unit order. A file reached twice is listed the first time only.
   */
  files: string[];
  problems: FileProblem[];
  truncated: boolean;
}

const DEFAULT_EXTENSIONS = ['.c', '.h'];

/** Never throws: missing or unreadable paths become problems. */
export function walkSources(paths: string[], opts: WalkOptions = {}): WalkResult {
  const walk = new Walk(opts);
  for (const given of paths) {
    if (walk.result.truncated) break;
    walk.root(given);
  }
  return walk.result;
}

class Walk {
  readonly result: WalkResult = { files: [], problems: [], truncated: false };
  private readonly seen = new Set<string>();
  private readonly extensions: ReadonlySet<string>;
  private readonly maxFiles: number;
  private readonly rootRules: IgnoreRules;

  constructor(opts: WalkOptions) {
    this.extensions = new Set(opts.extensions ?? DEFAULT_EXTENSIONS);
    this.maxFiles = opts.maxFiles ?? Infinity;
    this.rootRules = IgnoreRules.fromExcludes(opts.exclude ?? []);
  }

  root(given: string): void {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch (err) {
      this.result.problems.push(fsProblem(given, err));
      return;
    }
    if (stat.isDirectory()) {
      this.directory(given, '', this.rootRules);
    } else if (stat.isFile()) {
      this.add(path.normalize(given));
    } else {
      this.result.problems.push({ path: given, kind: 'not-a-file', message: 'not a regular file or directory, skipped' });
    }
  }

  private directory(root: string, rel: string, inherited: IgnoreRules): void {
    const dir = path.join(root, rel);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      this.result.problems.push(fsProblem(dir, err, 'cannot read directory'));
      return;
    }
    const rules = entries.some((e) => e.name === '.gitignore' && e.isFile())
      ? this.withGitignore(inherited, rel, path.join(dir, '.gitignore'))
      : inherited;
    for (const entry of sortedForWalk(entries)) {
      if (this.result.truncated) return;
      const isDir = entry.isDirectory();
      // Dirent types come from lstat, so symlinks are neither files nor directories here.
      if (entry.name === '.git' || !(isDir || entry.isFile())) continue;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (rules.ignores(childRel, isDir)) continue;
      if (isDir) {
        this.directory(root, childRel, rules);
      } else if (this.extensions.has(path.extname(entry.name))) {
        this.add(path.join(root, childRel));
      }
    }
  }

  private withGitignore(rules: IgnoreRules, rel: string, file: string): IgnoreRules {
    try {
      return rules.withGitignore(rel, fs.readFileSync(file, 'utf8'));
    } catch (err) {
      this.result.problems.push(fsProblem(file, err));
      return rules;
    }
  }

  private add(file: string): void {
    const key = path.resolve(file);
    if (this.seen.has(key)) return;
    if (this.result.files.length >= this.maxFiles) {
      this.result.truncated = true;
      return;
    }
    this.seen.add(key);
    this.result.files.push(file);
  }
}

/**
 * Sorting a directory's entries with '/' after each directory name makes the
 * depth-first walk visit files in the order of their whole relative paths
 * ('a.c' before 'a/b.c', as '.' < '/'), so a truncated walk keeps a prefix of
 * the full sorted list.
 */
function sortedForWalk(entries: fs.Dirent[]): fs.Dirent[] {
  const key = (e: fs.Dirent): string => (e.isDirectory() ? `${e.name}/` : e.name);
  return entries
    .map((e) => ({ e, k: key(e) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ e }) => e);
}
