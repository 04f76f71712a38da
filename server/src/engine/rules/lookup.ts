/**
 * Questions several rules ask of the index that it does not answer
 * directly, computed from the per-file facts and cached per linked index.
 */
import type { FieldFact, FunctionFact, VarFact, WriteFact } from '../facts/types';
import type { Names } from '../config/profiles';
import type { IndexResult } from '../index/workspace';
import type { FunctionInfo, ObjectId, SiteInfo } from '../index/types';

interface WriteAt { file: string; write: WriteFact; fn: FunctionInfo; }

const writeCache = new WeakMap<IndexResult, Map<ObjectId, WriteAt[]>>();

/** Every write to the file-scope object `id` (ops object, impl table or other), wherever it is. */
export function writesTo(index: IndexResult, id: ObjectId): readonly WriteAt[] {
  let writes = writeCache.get(index);
  if (!writes) {
    writes = new Map();
    for (const info of index.functions.values()) {
      for (const write of info.fact.writes) {
        const v = index.variable(write.name, info.file);
        if (!v) continue;
        const list = writes.get(v.id) ?? [];
        list.push({ file: info.file, write, fn: info });
        writes.set(v.id, list);
      }
    }
    writeCache.set(index, writes);
  }
  return writes.get(id) ?? [];
}

/** Writes by init code: what makes a non-const impl table legitimate. */
export function initWritesTo(index: IndexResult, id: ObjectId): WriteAt[] {
  return writesTo(index, id).filter((w) => w.fn.isInit);
}

export function isInitData(decl: VarFact, names: Names): boolean {
  return decl.annotations.some((a) => names.initDataAnnotations.includes(a.name));
}

/** The struct member `path` of an object, through nested structs; null when the struct is not in the workspace. */
export function fieldOf(index: IndexResult, decl: VarFact, path: string): FieldFact | null {
  let struct = decl.structName;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const field = struct ? index.structs.get(struct)?.fields.find((f) => f.name === parts[i]) : undefined;
    if (!field) return null;
    if (i === parts.length - 1) return field;
    struct = field.structName;
  }
  return null;
}

/**
 * A site of `obj` is guarded when its function tests the same pointer
 * before the site (`if ( ops.fn ) alternative_call(ops.fn)`, or an early
 * return on `!ops.fn`).
 */
export function isGuardedSite(index: IndexResult, site: SiteInfo, obj: ObjectId): boolean {
  const fn = enclosingFunction(index, site);
  if (!fn) return false;
  return fn.refs.some((r) => r.kind === 'test' && r.path === site.member && r.span.start < site.span.start && index.variable(r.name, site.file)?.id === obj);
}

function enclosingFunction(index: IndexResult, site: SiteInfo): FunctionFact | null {
  const functions = index.files.get(site.file)?.functions ?? [];
  return functions.find((fn) => fn.bodySpan.start <= site.span.start && site.span.start < fn.bodySpan.end) ?? null;
}
