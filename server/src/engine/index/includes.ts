/**
 * Include resolution (ALTCALL.md section 1): `<a/b.h>` against include roots
 * (every folder named `include` outside other architectures' folders, plus
 * configured ones), `"b.h"` against the including file's folder first.
 */
import * as path from 'node:path';
import type { FileFacts } from '../facts/types';

export class IncludeGraph {
  private readonly roots: string[];
  private readonly closures = new Map<string, string[]>();
  private readonly inProgress = new Set<string>();

  /**
   * `resolved` may be kept by the caller across graphs: a file's resolved
   * includes stay valid while its facts and the set of files are the same.
   */
  constructor(
    private readonly files: ReadonlyMap<string, FileFacts>,
    private readonly arch: string,
    extraRoots: string[] = [],
    private readonly resolved = new Map<string, { facts: FileFacts; targets: Array<string | null> }>(),
  ) {
    const found = new Set<string>();
    for (const file of files.keys()) {
      const parts = file.split(/[\\/]/);
      for (let i = parts.length - 2; i >= 0; i--) {
        if (parts[i] !== 'include') continue;
        if (isOtherArch(parts.slice(0, i), arch)) break;
        found.add(parts.slice(0, i + 1).join('/'));
      }
    }
    this.roots = [...extraRoots, ...[...found].sort()];
  }

  /** The workspace file an `#include` in `from` names, if the workspace has it. */
  resolve(from: string, include: { path: string; angled: boolean }): string | null {
    if (!include.angled) {
      const local = normalise(path.join(path.dirname(from), include.path));
      if (this.files.has(local)) return local;
    }
    // Trees before 4.19 keep arch headers in include/asm-<arch>/, reached as <asm/...> through a build-time symlink.
    const alternatives = include.path.startsWith('asm/') ? [include.path, `asm-${this.arch}/${include.path.slice(4)}`] : [include.path];
    for (const root of this.roots) {
      for (const p of alternatives) {
        const candidate = normalise(path.join(root, p));
        if (this.files.has(candidate)) return candidate;
      }
    }
    return null;
  }

  /** Files `from` includes before `offset`, transitively, in include order (each once). */
  includedBefore(from: string, offset = Number.POSITIVE_INFINITY): string[] {
    const direct = this.directIncludes(from);
    const facts = this.files.get(from);
    let n = 0;
    while (facts && n < facts.includes.length && facts.includes[n].start < offset) n++;
    const key = `${from}\0${n}`;
    const cached = this.closures.get(key);
    if (cached) return cached;
    if (this.inProgress.has(from)) return [];
    this.inProgress.add(from);
    const out: string[] = [];
    const seen = new Set<string>([from]);
    for (let i = 0; i < n; i++) {
      const target = direct[i];
      if (!target || seen.has(target)) continue;
      seen.add(target);
      out.push(target);
      for (const t of this.includedBefore(target)) {
        if (!seen.has(t)) {
          seen.add(t);
          out.push(t);
        }
      }
    }
    this.inProgress.delete(from);
    this.closures.set(key, out);
    return out;
  }

  private directIncludes(file: string): Array<string | null> {
    const facts = this.files.get(file);
    if (!facts) return [];
    const kept = this.resolved.get(file);
    if (kept && kept.facts === facts) return kept.targets;
    const targets = facts.includes.map((inc) => this.resolve(file, inc));
    this.resolved.set(file, { facts, targets });
    return targets;
  }
}

function normalise(p: string): string {
  return path.normalize(p).split(path.sep).join('/');
}

/** `.../arch/<not arch>/...` or `.../include/asm-<not arch>/...`: another architecture's folder. */
export function isOtherArch(parts: string[], arch: string): boolean {
  for (let i = 0; i + 1 < parts.length; i++) {
    if (parts[i] === 'arch' && parts[i + 1] !== arch) return true;
    if (parts[i] === 'include' && parts[i + 1].startsWith('asm-') && parts[i + 1] !== `asm-${arch}` && parts[i + 1] !== 'asm-generic') return true;
  }
  return false;
}

export function isOtherArchPath(file: string, arch: string): boolean {
  const parts = file.split(/[\\/]/);
  return isOtherArch(parts.slice(0, -1), arch);
}
