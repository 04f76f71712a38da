/**
 * Name resolution across files: which file-scope object or function a name
 * means when used in a given file. A file's own (and its headers') `static`
 * definitions win over external ones; several `static` objects may share a
 * name in different files.
 */
import type { FileFacts, FunctionFact, VarFact } from '../facts/types';
import type { IncludeGraph } from './includes';
import type { ObjectId } from './types';

export interface VarRef { id: ObjectId; file: string; fact: VarFact; }
export interface FnRef { file: string; fact: FunctionFact; }

export function objectId(name: string, file: string): ObjectId {
  return `${name}@${file}`;
}

export class Scope {
  private readonly vars = new Map<string, VarRef[]>();
  private readonly fns = new Map<string, FnRef[]>();
  private readonly cache = new Map<string, VarRef | null>();

  constructor(files: ReadonlyMap<string, FileFacts>, private readonly includes: IncludeGraph) {
    for (const [file, facts] of files) {
      for (const v of facts.variables) push(this.vars, v.name, { id: objectId(v.name, file), file, fact: v });
      for (const f of facts.functions) push(this.fns, f.name, { file, fact: f });
    }
  }

  /** The defining declaration `name` refers to from `file`, else its `extern` declaration, else null. */
  variable(name: string, file: string): VarRef | null {
    const key = `${name}\0${file}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const found = this.findVariable(name, file);
    this.cache.set(key, found);
    return found;
  }

  private findVariable(name: string, file: string): VarRef | null {
    const all = this.vars.get(name);
    if (!all) return null;
    // A tentative definition (`static const struct x t;` before the real one) loses to the one with an initialiser.
    const defs = all.filter((v) => v.fact.isDefinition).sort((a, b) => Number(b.fact.init !== null) - Number(a.fact.init !== null));
    const own = defs.find((v) => v.file === file);
    if (own) return own;
    const visible = new Set(this.includes.includedBefore(file));
    const header = defs.find((v) => v.fact.storage === 'static' && visible.has(v.file));
    if (header) return header;
    const external = defs.filter((v) => v.fact.storage !== 'static');
    if (external.length) return external[0];
    const decl = all.find((v) => v.fact.storage === 'extern');
    return decl ? { ...decl, id: objectId(name, '') } : null;
  }

  variableById(id: ObjectId): VarRef | null {
    const at = id.lastIndexOf('@');
    const name = id.slice(0, at);
    const file = id.slice(at + 1);
    const defs = this.vars.get(name)?.filter((v) => v.file === file && v.fact.isDefinition) ?? [];
    return defs.find((v) => v.fact.init !== null) ?? defs[0] ?? null;
  }

  function(name: string, file: string): FnRef | null {
    const all = this.fns.get(name);
    if (!all) return null;
    return all.find((f) => f.file === file) ?? all.find((f) => !f.fact.isStatic) ?? all[0];
  }

  /** Every file-scope variable definition. */
  allVariables(): VarRef[] {
    return [...this.vars.values()].flat().filter((v) => v.fact.isDefinition);
  }

  allFunctions(): FnRef[] {
    return [...this.fns.values()].flat();
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
