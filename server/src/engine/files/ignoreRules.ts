import ignore, { type Ignore } from 'ignore';

interface Layer {
  /** Directory holding the .gitignore, relative to the walk's root, '' for the root itself. */
  base: string;
  rules: Ignore;
}

function matcher(patterns: string | readonly string[]): Ignore {
  // Git is case-sensitive unless core.ignorecase says otherwise. allowRelativePaths
  // only stops `ignore` throwing on odd but legal names such as '...'.
  return ignore({ ignorecase: false, allowRelativePaths: true }).add(patterns);
}

/**
 * What is ignored at one point of a walk: the user's exclude patterns, then the
 * .gitignore files met on the way down, the deepest deciding first, as in git.
 * Immutable, so each directory can extend its parent's rules for its own subtree.
 *
 * Known gap: `ignore` judges a path as ignored when one of its parent
 * directories is ignored by the same file. So a directory that one .gitignore
 * excludes and a deeper .gitignore re-includes is entered, but its contents are
 * still skipped. Git would list them; nobody writes such pairs in practice.
 */
export class IgnoreRules {
  private constructor(
    private readonly exclude: Ignore | undefined,
    private readonly layers: readonly Layer[],
  ) {}

  static fromExcludes(exclude: readonly string[]): IgnoreRules {
    return new IgnoreRules(exclude.length > 0 ? matcher(exclude) : undefined, []);
  }

  /** Rules for the subtree of `base`, whose .gitignore holds `text`. */
  withGitignore(base: string, text: string): IgnoreRules {
    return new IgnoreRules(this.exclude, [...this.layers, { base, rules: matcher(text) }]);
  }

  /** `rel` is '/'-separated and relative to the walk's root. */
  ignores(rel: string, isDir: boolean): boolean {
    const slash = isDir ? '/' : '';
    // The user's excludes win over any .gitignore negation.
    if (this.exclude?.ignores(rel + slash)) return true;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const { base, rules } = this.layers[i];
      const verdict = rules.test((base ? rel.slice(base.length + 1) : rel) + slash);
      if (verdict.ignored) return true;
      if (verdict.unignored) return false;
    }
    return false;
  }
}
