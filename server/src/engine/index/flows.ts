/**
 * Value flow: what a `Value` can hold once init code has run. Follows locals,
 * parameters (through every caller), functions' return values, pointers'
 * initialisers and assignments, array elements and members of other
 * tables, and both branches of `?:`.
 */
import type { FileFacts, FunctionFact, Value } from '../facts/types';
import { nameIndex } from './nameIndex';
import type { FnRef, Scope, VarRef } from './scope';

export type Source =
  | { k: 'var'; ref: VarRef }
  | { k: 'addr'; of: Source }
  | { k: 'fn'; ref: FnRef }
  | { k: 'null' };

export interface Context { file: string; fn: FunctionFact | null; }

const MAX_DEPTH = 10;
/** Past this many names asked for, merging every file's calls beats looking each name up file by file. */
const MERGE_CALLS_AFTER = 64;

export class Flows {
  private readonly callerCache = new Map<string, Array<{ ctx: Context; args: Value[] }>>();
  private readonly assignmentCache = new Map<string, Array<{ ctx: Context; value: Value }>>();

  constructor(private readonly scope: Scope, private readonly files: ReadonlyMap<string, FileFacts>) {}

  private allCalls: Map<string, Array<{ ctx: Context; args: Value[] }>> | null = null;

  /**
   * Calls of a function name anywhere, for parameter flow. A re-link after
   * an edit asks for few names: each is looked up in every file's name
   * index. A first link asks for many: then all files' calls are merged once.
   */
  private callers(name: string): Array<{ ctx: Context; args: Value[] }> {
    let list = this.callerCache.get(name);
    if (list) return list;
    if (!this.allCalls && this.callerCache.size >= MERGE_CALLS_AFTER) {
      this.allCalls = new Map();
      for (const [file, facts] of this.files) {
        for (const [callee, calls] of nameIndex(facts).calls) {
          let all = this.allCalls.get(callee);
          if (!all) this.allCalls.set(callee, (all = []));
          for (const c of calls) all.push({ ctx: { file, fn: c.fn }, args: c.call.args });
        }
      }
    }
    if (this.allCalls) {
      list = this.allCalls.get(name) ?? [];
    } else {
      list = [];
      for (const [file, facts] of this.files) {
        for (const c of nameIndex(facts).calls.get(name) ?? []) list.push({ ctx: { file, fn: c.fn }, args: c.call.args });
      }
    }
    this.callerCache.set(name, list);
    return list;
  }

  /** Whole-value assignments to a file-scope pointer. */
  private assignments(ref: VarRef): Array<{ ctx: Context; value: Value }> {
    let list = this.assignmentCache.get(ref.id);
    if (!list) {
      list = [];
      for (const [file, facts] of this.files) {
        for (const w of nameIndex(facts).writes.get(ref.fact.name) ?? []) {
          if (w.write.path !== '' || w.write.kind !== 'assign' || !w.write.value) continue;
          if (this.scope.variable(ref.fact.name, file)?.id === ref.id) list.push({ ctx: { file, fn: w.fn }, value: w.write.value });
        }
      }
      this.assignmentCache.set(ref.id, list);
    }
    return list;
  }

  /** Results per value: a `Value` belongs to one function or initialiser, so it fixes its context too. */
  private readonly memo = new Map<Value, Source[]>();
  private readonly active = new Set<Value>();
  private readonly pointees = new Map<string, Source[]>();
  private readonly activePointees = new Set<string>();

  resolve(value: Value, ctx: Context, depth = 0): Source[] {
    const hit = this.memo.get(value);
    if (hit) return hit;
    if (depth > MAX_DEPTH || this.active.has(value)) return [];
    this.active.add(value);
    const result = dedupe(this.compute(value, ctx, depth + 1));
    this.active.delete(value);
    this.memo.set(value, result);
    return result;
  }

  private compute(value: Value, ctx: Context, d: number): Source[] {
    switch (value.k) {
      case 'null':
        return [{ k: 'null' }];
      case 'name':
        return this.name(value.name, ctx, d);
      case 'addr':
        return this.resolve(value.of, ctx, d).map((of) => ({ k: 'addr', of }));
      case 'deref':
        return this.resolve(value.of, ctx, d).flatMap((s) => this.deref(s, d));
      case 'index': {
        const local = value.of.k === 'name' && ctx.fn ? ownLocal(ctx.fn, `${value.of.name}[]`) : undefined;
        if (local) return local.flatMap((v) => this.resolve(v, ctx, d));
        // An array's elements; a pointer to an object indexed word by word (`src[i]` with `src = &table`) is the object.
        return this.resolve(value.of, ctx, d).flatMap((s) => (s.k === 'var' && s.ref.fact.isArray ? this.contents(s.ref, null, d) : s.k === 'addr' ? [s.of] : []));
      }
      case 'member':
        return this.resolve(value.of, ctx, d).flatMap((s) => this.member(value.arrow ? this.deref(s, d) : [s], value.path, d));
      case 'cond':
        return [...this.resolve(value.a, ctx, d), ...this.resolve(value.b, ctx, d)];
      case 'call': {
        const fn = this.scope.function(value.fn, ctx.file);
        // No such function but one argument: a macro, in practice a cast like Xen's `_p(x)`; the value passes through.
        if (!fn) return value.args.length === 1 ? this.resolve(value.args[0], ctx, d) : [];
        return fn.fact.returns.flatMap((r) => this.resolve(r, { file: fn.file, fn: fn.fact }, d));
      }
      default:
        return [];
    }
  }

  private name(name: string, ctx: Context, d: number): Source[] {
    const fn = ctx.fn;
    if (fn) {
      const locals = ownLocal(fn, name);
      if (locals) return locals.flatMap((v) => this.resolve(v, ctx, d));
      const param = fn.params.indexOf(name);
      if (param >= 0) {
        return this.callers(fn.name).flatMap((c) => (c.args[param] ? this.resolve(c.args[param], c.ctx, d) : []));
      }
    }
    const v = this.scope.variable(name, ctx.file);
    if (v) return [{ k: 'var', ref: v }];
    const f = this.scope.function(name, ctx.file);
    return f ? [{ k: 'fn', ref: f }] : [];
  }

  /** `*s`: the object a pointer source points to. */
  private deref(s: Source, d: number): Source[] {
    if (s.k === 'addr') return [s.of];
    if (s.k === 'var' && s.ref.fact.isPointer) return this.pointee(s.ref, d);
    return [];
  }

  /** What a file-scope pointer is set to: its initialiser and every assignment. */
  private pointee(ref: VarRef, d: number): Source[] {
    const hit = this.pointees.get(ref.id);
    if (hit) return hit;
    if (this.activePointees.has(ref.id)) return [];
    this.activePointees.add(ref.id);
    const out = this.contents(ref, '', d).flatMap((s) => this.deref(s, d));
    for (const a of this.assignments(ref)) out.push(...this.resolve(a.value, a.ctx, d).flatMap((s) => this.deref(s, d)));
    this.activePointees.delete(ref.id);
    const result = dedupe(out);
    this.pointees.set(ref.id, result);
    return result;
  }

  private member(bases: Source[], path: string, d: number): Source[] {
    return bases.flatMap((b) => (b.k === 'var' ? this.contents(b.ref, path, d) : []));
  }

  /**
   * Values a file-scope object's initialiser gives `path` ('' for a scalar,
   * null for every element of an array).
   */
  contents(ref: VarRef, path: string | null, d: number): Source[] {
    const init = ref.fact.init;
    if (!init) return [];
    const ctx = { file: ref.file, fn: null };
    const picked = path === null ? init : init.filter((m) => m.path === path);
    return picked.flatMap((m) => this.resolve(m.value, ctx, d));
  }
}

function key(s: Source): string {
  switch (s.k) {
    case 'var': return `v:${s.ref.id}`;
    case 'fn': return `f:${s.ref.fact.name}@${s.ref.file}`;
    case 'addr': return `&${key(s.of)}`;
    default: return 'null';
  }
}

function dedupe(sources: Source[]): Source[] {
  if (sources.length < 2) return sources;
  const seen = new Map<string, Source>();
  for (const s of sources) if (!seen.has(key(s))) seen.set(key(s), s);
  return [...seen.values()];
}

/** A function's values for local `name` (own properties only: a C local may be called `toString`). */
function ownLocal(fn: FunctionFact, name: string): Value[] | undefined {
  return Object.hasOwn(fn.locals, name) ? fn.locals[name] : undefined;
}
