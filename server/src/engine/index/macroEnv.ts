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

export class MacroEnvironment {
  private readonly byName = new Map<string, Array<{ file: string; fact: MacroFact }>>();

  /** `files` are the live ones: other architectures' are left out by the caller. */
  constructor(private readonly files: ReadonlyMap<string, FileFacts>, private readonly includes: IncludeGraph) {
    for (const [file, facts] of files) {
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
    let last: MacroFact | null = null;
    for (const d of this.byName.get(name) ?? []) if (d.file === file && d.fact.def.start < offset) last = d.fact;
    if (!last) return null;
    const lastStart = last.def.start;
    const undone = this.files.get(file)?.undefs.some((u) => u.name === name && u.start > lastStart && u.start < offset);
    return undone ? undefined : last.def;
  }

  /** The definition of `name` in effect at `offset` of `file`. */
  lookupAt(file: string, offset: number, name: string): MacroDef | undefined {
    const all = this.byName.get(name);
    if (!all) return undefined;
    // Only the defines and includes before `offset` matter: cache on their counts.
    const facts = this.files.get(file);
    let incs = 0;
    while (facts && incs < facts.includes.length && facts.includes[incs].start < offset) incs++;
    let defs = 0;
    for (const d of all) if (d.file === file && d.fact.def.start < offset) defs++;
    const undefs = facts?.undefs.filter((u) => u.name === name && u.start < offset).length ?? 0;
    const key = `${name}\0${file}\0${incs}\0${defs}\0${undefs}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const found = this.find(all, file, offset, name);
    this.cache.set(key, found);
    return found;
  }

  private readonly cache = new Map<string, MacroDef | undefined>();

  private find(all: Array<{ file: string; fact: MacroFact }>, file: string, offset: number, name: string): MacroDef | undefined {
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
