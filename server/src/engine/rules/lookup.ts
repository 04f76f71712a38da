/**
 * Questions several rules ask of the index that it does not answer
 * directly, computed from the per-file facts and cached per linked index.
 */
import type { CallFact, FieldFact, FunctionFact, TypedefFact, VarFact } from '../facts/types';
import type { Names } from '../config/profiles';
import type { RuleContext } from './types';
import { memberField } from '../index/members';
import { enclosingFunction } from '../index/nameIndex';
import type { IndexResult } from '../index/workspace';
import type { FunctionInfo, ObjectId, SiteInfo } from '../index/types';

/** Writes by init code: what makes a non-const impl table legitimate. */
export function initWritesTo(index: IndexResult, id: ObjectId): ReturnType<IndexResult['writesTo']> {
  return index.writesTo(id).filter((w) => w.fn.isInit);
}

export function isInitData(decl: VarFact, names: Names): boolean {
  return decl.annotations.some((a) => names.initDataAnnotations.includes(a.name));
}

/** The struct member `path` of an object, through nested and anonymous structs; null when the struct is not in the workspace. */
export function fieldOf(index: IndexResult, decl: VarFact, path: string): FieldFact | null {
  return memberField(index.structs, decl.structName, path);
}

/** A function-pointer typedef by name, from any file. */
export function functionPointerTypedef(index: IndexResult, name: string): TypedefFact | null {
  for (const facts of index.files.values()) {
    const t = facts.typedefs.find((d) => d.name === name && d.isFunctionPointer);
    if (t) return t;
  }
  return null;
}

/**
 * A site of `obj` is guarded when its function tests the same pointer
 * before the site (`if ( ops.fn ) alternative_call(ops.fn)`, or an early
 * return on `!ops.fn`). Xen also tests it through another path that the
 * x86 wrapper ignores (`!hd->platform_ops->fn`, then `iommu_call(hd->platform_ops, fn)`):
 * such tests involve locals, which the facts do not record, so they are
 * read from the text: the member's name ending a condition operand.
 */
export function isGuardedSite(index: IndexResult, text: string | undefined, site: SiteInfo, obj: ObjectId): boolean {
  const fn = enclosingFunction(index.files.get(site.file), site.span.start);
  if (!fn) return false;
  if (fn.refs.some((r) => r.kind === 'test' && r.path === site.member && r.span.start < site.span.start && index.variable(r.name, site.file)?.id === obj)) return true;
  const last = site.member.split('.').pop();
  if (!last || text === undefined) return false;
  const start = fn.bodySpan.start;
  // A local copy of the pointer tested instead (`recover = ops.scan; ... if ( recover && x )`).
  const copies = Object.entries(fn.locals)
    .filter(([, values]) => values.some((v) => v.k === 'member' && !v.arrow && v.path === site.member && v.of.k === 'name' && index.variable(v.of.name, site.file)?.id === obj))
    .map(([name]) => name);
  for (const local of copies) {
    if (new RegExp(`\\b${local}\\b(?=\\s*(?:\\)|&&|\\|\\||\\?|[!=]=))`).test(text.slice(start, site.span.start))) return true;
  }
  if (site.wrappers.some((w) => wrapperTestsMember(index, w, last))) return true;
  const earlierSites = index.sites.filter((s) => s.file === site.file && s.span.start >= start && s.span.end <= site.span.start);
  const test = new RegExp(`(?:\\.|->)\\s*${last}\\b(?=\\s*(?:\\)|&&|\\|\\||\\?|[!=]=))`, 'g');
  for (const m of text.slice(start, site.span.start).matchAll(test)) {
    const at = start + m.index!;
    if (!earlierSites.some((s) => s.span.start <= at && at < s.span.end)) return true;
  }
  return false;
}

const TEST_AFTER = new Set([')', '&&', '||', '?', '==', '!=']);

/** A wrapper whose own body tests the member before calling (`if ( ops->fn ) iommu_vcall(ops, fn, ...)`). */
function wrapperTestsMember(index: IndexResult, wrapper: string, member: string): boolean {
  for (const facts of index.files.values()) {
    for (const m of facts.macros) {
      if (m.def.name !== wrapper) continue;
      const body = m.def.body;
      for (let i = 1; i + 1 < body.length; i++) {
        if (body[i].text === member && (body[i - 1].text === '->' || body[i - 1].text === '.') && TEST_AFTER.has(body[i + 1].text)) return true;
      }
    }
  }
  return false;
}

const COPIES = new Set(['memcpy', 'memmove', 'memset']);

/**
 * Member paths init code writes into object `id` through a pointer it is
 * handed (`fixup(&ops)` then `p->fn = ...` in `fixup`), or 'all' when the
 * callee is not in the workspace or uses the pointer other than through
 * `p->member` (XSM's `xsm_fixup_ops(&xsm_ops)` walks it as an array).
 * Parameters declared pointer-to-const write nothing.
 */
export function filledThroughPointers(ctx: RuleContext, id: ObjectId): string[] | 'all' {
  const paths: string[] = [];
  for (const { call, k } of addressesPassed(ctx.index).get(id) ?? []) {
    const callees = functionsNamed(ctx.index).get(call.name) ?? [];
    if (callees.length === 0) return 'all';
    for (const callee of callees) {
      const written = writesThroughParam(ctx.text(callee.file), callee.fact, k);
      if (written === 'all') return 'all';
      paths.push(...written);
    }
  }
  return paths;
}

const byNameCache = new WeakMap<IndexResult, Map<string, FunctionInfo[]>>();

/** The workspace's functions by name (several `static` ones may share one). */
function functionsNamed(index: IndexResult): Map<string, FunctionInfo[]> {
  let out = byNameCache.get(index);
  if (out) return out;
  out = new Map();
  for (const info of index.functions.values()) {
    const list = out.get(info.fact.name);
    if (list) list.push(info);
    else out.set(info.fact.name, [info]);
  }
  byNameCache.set(index, out);
  return out;
}

const addressCache = new WeakMap<IndexResult, Map<ObjectId, Array<{ call: CallFact; k: number }>>>();

/** Per object, the calls in init code that pass its address (`fixup(&ops)`), and at which argument (copies left out). */
function addressesPassed(index: IndexResult): Map<ObjectId, Array<{ call: CallFact; k: number }>> {
  let out = addressCache.get(index);
  if (out) return out;
  out = new Map();
  for (const info of index.functions.values()) {
    if (!info.isInit) continue;
    for (const call of info.fact.calls) {
      if (COPIES.has(call.name)) continue;
      call.args.forEach((a, k) => {
        const v = a.k === 'addr' && a.of.k === 'name' ? index.variable(a.of.name, info.file) : null;
        if (!v) return;
        const list = out!.get(v.id);
        if (list) list.push({ call, k });
        else out!.set(v.id, [{ call, k }]);
      });
    }
  }
  addressCache.set(index, out);
  return out;
}

/**
 * Whether init code writes through a non-const `struct name *` parameter
 * (`pts->frequency = rate` in a timer's init hook): a table of that type
 * may be written during init without the facts naming it.
 */
export function initWritesThroughStructPointer(ctx: RuleContext, structName: string): boolean {
  let known = structPointerCache.get(ctx.index);
  if (!known) structPointerCache.set(ctx.index, (known = new Map()));
  let answer = known.get(structName);
  if (answer === undefined) known.set(structName, (answer = scanInitWritesThroughStructPointer(ctx, structName)));
  return answer;
}

/** Asked once per table by two rules: the answer is kept per index and struct. */
const structPointerCache = new WeakMap<IndexResult, Map<string, boolean>>();

function scanInitWritesThroughStructPointer(ctx: RuleContext, structName: string): boolean {
  const type = new RegExp(`\\bstruct\\s+${structName}\\s*\\*`);
  for (const info of ctx.index.functions.values()) {
    if (!info.isInit) continue;
    const text = ctx.text(info.file);
    if (text === undefined) continue;
    const declared = parameterTexts(text, info.fact);
    for (let k = 0; k < info.fact.params.length; k++) {
      if (!type.test(declared[k] ?? '') || isPointerToConst(declared[k])) continue;
      const written = writesThroughParam(text, info.fact, k);
      if (written === 'all' || written.length > 0) return true;
    }
  }
  return false;
}

function parameterTexts(text: string, fn: FunctionFact): string[] {
  return splitTopLevel(text.slice(fn.span.end, fn.bodySpan.start).replace(/^\s*\(|\)\s*$/g, ''));
}

function isPointerToConst(declared: string): boolean {
  return /\bconst\b[^*]*\*/.test(declared);
}

function writesThroughParam(text: string | undefined, fn: FunctionFact, k: number): string[] | 'all' {
  const param = fn.params[k];
  if (!param || text === undefined) return 'all';
  if (isPointerToConst(parameterTexts(text, fn)[k] ?? '')) return [];
  const body = text.slice(fn.bodySpan.start, fn.bodySpan.end);
  const out: string[] = [];
  for (const m of body.matchAll(new RegExp(`(?<![\\w.>])${param}\\b`, 'g'))) {
    const rest = body.slice(m.index! + param.length);
    const access = /^\s*->\s*(\w+(?:\s*\.\s*\w+)*)\s*(=(?!=)|(?:[-+*\/%&|^]|<<|>>)=)?/.exec(rest);
    if (!access) return 'all';
    if (access[2]) out.push(access[1].replace(/\s+/g, ''));
  }
  return out;
}

/** Comma-separated parts at bracket depth 0. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if ('([{'.includes(s[i])) depth++;
    else if (')]}'.includes(s[i])) depth--;
    else if (s[i] === ',' && depth === 0) {
      out.push(s.slice(from, i));
      from = i + 1;
    }
  }
  out.push(s.slice(from));
  return out;
}
