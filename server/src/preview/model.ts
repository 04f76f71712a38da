/**
 * The engine's linked index as the patch preview's plain model: functions
 * with their sites, ops objects with member offsets from the struct layout,
 * impl tables and direct assignments (PATCHING.md section 5).
 *
 * Choices, documented for users of the preview:
 * - Functions come in order of first appearance: the functions holding
 *   sites, in site order (file, then offset), then candidate targets by ops
 *   object, member and candidate. A site outside any function (an X-macro
 *   list entry) gets a function of its own named `<outer macro>.<member>`.
 * - A function starts with endbr64 under IBT when it is `cf_check`, as in
 *   Xen (built with -mmanual-endbr); `__init` functions go to .init.text.
 * - Member offsets come from the LP64 layout of the object's struct; when
 *   one accelerated member's offset cannot be computed, every member of the
 *   object falls back to its index (in struct order) x 8, with the reason.
 * - A table copied in by a presmp initcall (every before-patch whole-object
 *   copy of its ops object happens there) is written after the first pass
 *   of the `alternative` scheme.
 * - Direct stores that the engine finds after the patch point never reach
 *   the patcher: they are left out, with a note on the sites; those only
 *   guarded as "during boot" may come before it and stay, with a note.
 */
import type { Candidate, ObjectId, OpsObjectInfo, SiteInfo, WriteInfo } from '../engine/index/types';
import type { IndexResult } from '../engine/index/workspace';
import {
  memberOffset, ModelDirectAssignment, ModelFunction, ModelImplTable, ModelOpsObject, ModelSite, PreviewModel,
} from '../patch';
import { TypeResolver } from './ctypes';
import { FunctionTable, functionKey, presmpFunctions } from './initOrder';

/** Xen's marker for functions that are called indirectly and so keep their endbr64. */
export const CF_CHECK = 'cf_check';

const CF_CLOBBER = ['__initconst_cf_clobber', '__initdata_cf_clobber'];

export interface ModelOptions {
  /** Source text of a file, for the site text shown in previews. */
  readonly text?: (file: string) => string | undefined;
  /** How files are named in the output; default: as indexed. */
  readonly displayPath?: (file: string) => string;
}

export interface IndexedModel {
  readonly model: PreviewModel;
  /** Every site of the index by id; those without an ops object are in no model function. */
  readonly sites: ReadonlyMap<string, IndexedSite>;
  /** Notes about the values an accelerated pointer may hold, by `pointerKey(ops, member)`. */
  readonly pointerNotes: ReadonlyMap<string, readonly string[]>;
}

export interface IndexedSite {
  readonly info: SiteInfo;
  /** Its ops object is undefined when the engine found none. */
  readonly model: ModelSite;
  /** Name of the function holding it (synthetic for X-macro entries). */
  readonly function: string;
}

/** Unique per location, ops object and member, as the engine's sites are. */
export const siteId = (s: SiteInfo) => `${s.file}:${s.span.start}:${s.ops ?? s.target}:${s.member}`;

export const pointerKey = (ops: ObjectId, member: string) => `${ops}\0${member}`;

const displayName = (ops: string, member: string) => (member ? `${ops}.${member}` : ops);

/**
 * The causes behind a member offset problem: members after one unknown type
 * all fail for its reason, which is worth saying once.
 */
function rootCauses(problem: string): string[] {
  const after = /^offset of \S+ unknown: (.*)$/s.exec(problem);
  return after ? after[1]!.split('; ') : [problem];
}

/** `struct s has no member `a``, `... `b`` as one `struct s has no members a, b`. */
function groupMissing(problems: readonly string[]): string[] {
  const missing = new Map<string, string[]>();
  const out: string[] = [];
  for (const p of problems) {
    const m = /^struct (\S+) has no member `(.*)`$/.exec(p);
    if (!m) out.push(p);
    else missing.set(m[1]!, [...(missing.get(m[1]!) ?? []), m[2]!]);
  }
  for (const [struct, names] of missing) {
    out.push(names.length === 1 ? `struct ${struct} has no member \`${names[0]}\`` : `struct ${struct} has no members ${names.join(', ')}`);
  }
  return out;
}

class Builder {
  private readonly functions = new Map<string, { fn: ModelFunction; sites: ModelSite[] }>();
  private readonly sites = new Map<string, IndexedSite>();
  private readonly notes = new Map<string, string[]>();
  private readonly fns: FunctionTable;
  private readonly presmp;
  private readonly types: TypeResolver;
  private readonly display: (file: string) => string;

  constructor(private readonly result: IndexResult, private readonly options: ModelOptions) {
    this.fns = new FunctionTable(result.functions.values());
    this.presmp = presmpFunctions(result, this.fns);
    this.types = TypeResolver.of(result);
    this.display = options.displayPath ?? ((f) => f);
  }

  build(): IndexedModel {
    for (const site of this.result.sites) this.addSite(site);
    for (const obj of this.result.objects) {
      for (const m of obj.members) for (const c of obj.candidates[m] ?? []) this.targetId(c);
    }
    const opsObjects: ModelOpsObject[] = [];
    const implTables: ModelImplTable[] = [];
    const directAssignments: ModelDirectAssignment[] = [];
    for (const obj of this.result.objects) {
      opsObjects.push(this.opsObject(obj));
      implTables.push(...this.tables(obj));
      directAssignments.push(...this.direct(obj));
    }
    const functions = [...this.functions.values()].map(({ fn, sites }) => (sites.length > 0 ? { ...fn, sites } : fn));
    return {
      model: { functions, opsObjects, implTables, directAssignments },
      sites: this.sites, pointerNotes: this.notes,
    };
  }

  private note(ops: ObjectId, member: string, text: string): void {
    const key = pointerKey(ops, member);
    this.notes.set(key, [...(this.notes.get(key) ?? []), text]);
  }

  /** The model function for `name@file`, created on first appearance. */
  private fn(name: string, file: string, id = functionKey(name, file)): { fn: ModelFunction; sites: ModelSite[] } {
    let entry = this.functions.get(id);
    if (!entry) {
      const info = this.fns.get(name, file);
      const fn: ModelFunction = {
        name, id,
        endbr64: info ? info.fact.annotations.some((a) => a.name === CF_CHECK) : false,
        init: info?.isInit ?? false,
      };
      entry = { fn, sites: [] };
      this.functions.set(id, entry);
    }
    return entry;
  }

  private addSite(site: SiteInfo): void {
    const id = siteId(site);
    const line = site.span.line + 1;
    const outer = site.wrappers[0] ?? site.macro;
    const name = site.function ?? `${outer}.${site.member || site.opsName || site.target}`;
    const model: ModelSite = {
      id, ops: site.ops ?? undefined, member: site.member, file: this.display(site.file), line, text: this.siteText(site),
    };
    this.sites.set(id, { info: site, model, function: name });
    // A site that cannot be patched has no place in the image.
    if (site.ops === null) return;
    const holder = site.function !== null ? this.fn(name, site.file) : this.fn(name, site.file, `${functionKey(outer, site.file)}:${line}`);
    holder.sites.push(model);
  }

  /** The invocation as written, on one line. */
  private siteText(site: SiteInfo): string {
    const written = this.options.text?.(site.file)?.slice(site.span.start, site.span.end).replace(/\s+/g, ' ').trim();
    if (written) return written.length > 100 ? `${written.slice(0, 97)}...` : written;
    return `${site.macro}(${[site.target, ...site.args].join(', ')})`;
  }

  private structOf(obj: OpsObjectInfo): string | null {
    const decl = obj.decl;
    if (!decl) return null;
    this.types.noteUnion(decl.typeText, decl.structName);
    if (decl.structName) return decl.structName;
    // `typeof(other) obj`: the struct of the object it copies its type from.
    if (decl.typeofOf && !decl.typeofOf.includes('.')) return this.result.variable(decl.typeofOf, obj.file)?.fact.structName ?? null;
    return null;
  }

  private opsObject(obj: OpsObjectInfo): ModelOpsObject {
    const base = { name: obj.name, id: obj.id };
    if (obj.members.length === 1 && obj.members[0] === '' && (obj.decl?.isPointer || obj.decl?.isFunctionPointer)) {
      return { ...base, members: [''], memberOffsets: { '': 0 }, size: 8 };
    }
    const struct = this.structOf(obj);
    if (struct === null) {
      const why = obj.decl ? `the type \`${obj.decl.typeText}\` of ${obj.name} is not a struct defined in the workspace`
        : `no definition of ${obj.name} in the workspace`;
      return { ...base, members: obj.members, layoutProblem: why };
    }
    const members = this.inStructOrder(struct, obj.members);
    const offsets: Record<string, number> = {};
    const problems = new Set<string>();
    for (const m of members) {
      const r = memberOffset(struct, m, this.types.lookup);
      if ('problem' in r) for (const cause of rootCauses(r.problem)) problems.add(cause);
      else offsets[m] = r.offset;
    }
    if (problems.size > 0) return { ...base, members, layoutProblem: groupMissing([...problems]).join('; ') };
    return { ...base, members, memberOffsets: offsets };
  }

  /** Accelerated member paths ordered by their top-level field's position, so that index x 8 follows the struct. */
  private inStructOrder(struct: string, members: readonly string[]): string[] {
    const fields = this.types.lookup(struct)?.members.map((m) => m.name) ?? [];
    const rank = (m: string) => {
      const i = fields.indexOf(m.split(/[.[]/)[0]!);
      return i < 0 ? fields.length : i;
    };
    return [...members].sort((a, b) => rank(a) - rank(b));
  }

  /** Whether the object's contents are copied in only by presmp initcalls. */
  private copiedByPresmp(obj: OpsObjectInfo): boolean {
    const copies = obj.writes.filter((w) => w.member === '' && !w.afterPatch && (w.kind === 'assign' || w.kind === 'memcpy'));
    return copies.length > 0 && copies.every((w) => this.writtenByPresmp(w));
  }

  private writtenByPresmp(w: WriteInfo): boolean {
    const info = this.fns.get(w.function, w.file);
    return info !== undefined && this.presmp.has(info.fact);
  }

  private targetId(c: Candidate): string | null {
    if (c.target === null) return null;
    return this.fn(c.target, c.targetFile ?? '').fn.id!;
  }

  private tables(obj: OpsObjectInfo): ModelImplTable[] {
    const presmp = this.copiedByPresmp(obj);
    return obj.tables.map((t) => {
      const members: Record<string, string | null> = {};
      for (const m of obj.members) {
        const values = (obj.candidates[m] ?? []).filter((c) => c.table === t.id);
        const set = values.filter((c) => c.target !== null);
        members[m] = set.length > 0 ? this.targetId(set[0]!) : null;
        const names = [...new Set(set.map((c) => c.target))];
        if (names.length > 1) {
          this.note(obj.id, m, `${t.name} sets ${displayName(obj.name, m)} to one of ${names.join(', ')}: the preview uses ${names[0]}`);
        }
      }
      const annotations = t.decl.annotations.map((a) => a.name);
      const annotation = annotations.find((a) => CF_CLOBBER.includes(a)) ?? annotations[0];
      return { name: t.name, id: t.id, ops: obj.id, members, presmp, ...(annotation ? { annotation } : {}) };
    });
  }

  /** Values stored into the pointer by init code or a static initialiser, one per function. */
  private direct(obj: OpsObjectInfo): ModelDirectAssignment[] {
    const out: ModelDirectAssignment[] = [];
    for (const m of obj.members) {
      const seen = new Set<string | null>();
      for (const c of (obj.candidates[m] ?? []).filter((x) => x.table === null)) {
        const write = c.at ? obj.writes.find((w) => w.file === c.at!.file && w.span.start === c.at!.span.start) : undefined;
        const where = write && `${c.target ?? 'NULL'} is stored into ${displayName(obj.name, m)} at ${this.display(write.file)}:${write.span.line + 1}`;
        // A boot-only guard leaves the store possibly before patching: still a candidate.
        if (write?.afterPatch && write.guard === 'boot-only') {
          this.note(obj.id, m, `${where} (${write.reason}): if that is after patching, patched sites keep the earlier target`);
        } else if (write?.afterPatch) {
          this.note(obj.id, m, `${where} after patching (${write.reason}): patched sites never call it`);
          continue;
        }
        const fnId = this.targetId(c);
        if (seen.has(fnId)) continue;
        seen.add(fnId);
        out.push({ ops: obj.id, member: m, function: fnId, presmp: write ? this.writtenByPresmp(write) : false });
      }
    }
    return out;
  }
}

/** The preview model of a linked index. */
export function indexedModel(result: IndexResult, options: ModelOptions = {}): IndexedModel {
  return new Builder(result, options).build();
}
