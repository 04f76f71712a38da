/**
 * Which init code runs in a presmp initcall: its stores reach the ops
 * objects after the first patching pass of the 4.13..4.20 patcher
 * (alternative_instructions) and before the forced one.
 */
import type { FunctionFact } from '../engine/facts/types';
import type { FunctionInfo } from '../engine/index/types';
import type { IndexResult } from '../engine/index/workspace';

/** `name@file` keys of the functions the index knows. */
export const functionKey = (name: string, file: string) => `${name}@${file}`;

export class FunctionTable {
  private readonly byKey = new Map<string, FunctionInfo>();
  private readonly byName = new Map<string, FunctionInfo[]>();

  constructor(functions: Iterable<FunctionInfo>) {
    for (const info of functions) {
      const key = functionKey(info.fact.name, info.file);
      if (!this.byKey.has(key)) this.byKey.set(key, info);
      const list = this.byName.get(info.fact.name) ?? [];
      list.push(info);
      this.byName.set(info.fact.name, list);
    }
  }

  get(name: string, file: string): FunctionInfo | undefined {
    return this.byKey.get(functionKey(name, file));
  }

  /** What a call to `name` from `file` reaches: the file's own definition, else a non-static one. */
  resolve(name: string, file: string): FunctionInfo | undefined {
    const list = this.byName.get(name) ?? [];
    return list.find((f) => f.file === file) ?? list.find((f) => !f.fact.isStatic) ?? list[0];
  }
}

/** Functions registered with a presmp initcall, and everything they call. */
export function presmpFunctions(result: IndexResult, table: FunctionTable): Set<FunctionFact> {
  const out = new Set<FunctionFact>();
  const queue: FunctionInfo[] = [];
  for (const [file, facts] of result.files) {
    for (const ic of facts.initcalls) {
      const fn = ic.level === 'presmp' ? table.resolve(ic.fn, file) : undefined;
      if (fn) queue.push(fn);
    }
  }
  while (queue.length > 0) {
    const info = queue.pop()!;
    if (out.has(info.fact)) continue;
    out.add(info.fact);
    for (const call of info.fact.calls) {
      const callee = table.resolve(call.name, info.file);
      if (callee) queue.push(callee);
    }
  }
  return out;
}
