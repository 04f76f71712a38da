/**
 * Lookups over one file's facts. Each file's references, calls and writes grouped by name, computed once
 * per version of the file's facts: linking looks up the few names that
 * matter (ops objects, registration functions, pointers) instead of walking
 * every function of the workspace again on each edit.
 */
import type { CallFact, FileFacts, FunctionFact, RefFact, WriteFact } from '../facts/types';

export interface NameIndex {
  refs: Map<string, Array<{ fn: FunctionFact; ref: RefFact }>>;
  calls: Map<string, Array<{ fn: FunctionFact; call: CallFact }>>;
  writes: Map<string, Array<{ fn: FunctionFact; write: WriteFact }>>;
}

const cache = new WeakMap<FileFacts, NameIndex>();

export function nameIndex(facts: FileFacts): NameIndex {
  let index = cache.get(facts);
  if (index) return index;
  index = { refs: new Map(), calls: new Map(), writes: new Map() };
  for (const fn of facts.functions) {
    for (const ref of fn.refs) push(index.refs, ref.name, { fn, ref });
    for (const call of fn.calls) push(index.calls, call.name, { fn, call });
    for (const write of fn.writes) push(index.writes, write.name, { fn, write });
  }
  cache.set(facts, index);
  return index;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The function whose body holds `offset` in a file, if any. */
export function enclosingFunction(facts: FileFacts | undefined, offset: number): FunctionFact | null {
  return facts?.functions.find((fn) => fn.bodySpan.start <= offset && offset < fn.bodySpan.end) ?? null;
}
