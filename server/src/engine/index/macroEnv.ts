/**
 * Which macro definition applies at a point of use: the one in effect there
 * in include order. Approximated without running the preprocessor per
 * translation unit: the file's own earlier definitions, then those of the
 * files it includes before that point, then any definition in the
 * workspace. A definition under `#ifndef ITS_NAME` is a fallback, used
 * only when no other definition is found at the same step.
 */
import type { MacroDef } from '../preproc/directives';
import type { FileFacts, MacroFact } from '../facts/types';
import type { IncludeGraph } from './includes';
import { isOtherArchPath } from './includes';

export class MacroEnvironment {
  private readonly byName = new Map<string, Array<{ file: string; fact: MacroFact }>>();

  constructor(private readonly files: ReadonlyMap<string, FileFacts>, private readonly includes: IncludeGraph, arch: string) {
    for (const [file, facts] of files) {
      if (isOtherArchPath(file, arch)) continue;
      for (const fact of facts.macros) {
        let list = this.byName.get(fact.def.name);
        if (!list) this.byName.set(fact.def.name, (list = []));
        list.push({ file, fact });
      }
    }
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  definitions(name: string): ReadonlyArray<{ file: string; fact: MacroFact }> {
    return this.byName.get(name) ?? [];
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  /** The file's own definition of `name` in effect at `offset`: null when it has none, undefined when it #undef'd it. */
  ownAt(file: string, offset: number, name: string): MacroDef | null | undefined {
    const own = (this.byName.get(name) ?? []).filter((d) => d.file === file && d.fact.def.start < offset);
    if (!own.length) return null;
    const last = own[own.length - 1];
    const undone = this.files.get(file)?.undefs.some((u) => u.name === name && u.start > last.fact.def.start && u.start < offset);
    return undone ? undefined : last.fact.def;
  }

  /** The definition of `name` in effect at `offset` of `file`. */
  lookupAt(file: string, offset: number, name: string): MacroDef | undefined {
    const all = this.byName.get(name);
    if (!all) return undefined;
    const own = this.ownAt(file, offset, name);
    // An own `#ifndef NAME` fallback loses to a real definition a header brought in first.
    if (own !== null && !(own && all.some((d) => d.fact.def === own && d.fact.fallback))) return own;
    const included = this.includes.includedBefore(file, offset);
    if (included.length) {
      const order = new Map(included.map((f, i) => [f, i]));
      const reachable = all.filter((d) => order.has(d.file) && !d.fact.fallback);
      const chosen = reachable.sort((a, b) => order.get(a.file)! - order.get(b.file)!)[0];
      if (chosen) return chosen.fact.def;
    }
    if (own) return own;
    return prefer(all, () => 0)?.fact.def;
  }
}

function prefer<T extends { fact: MacroFact }>(defs: T[], order: (a: T, b: T) => number): T | undefined {
  const firm = defs.filter((d) => !d.fact.fallback);
  const pool = firm.length ? firm : defs;
  return [...pool].sort(order)[0];
}
