/**
 * The workspace index: per-file facts in, linked knowledge out (sites and
 * their ops objects, impl tables, writes with their after-patch verdict,
 * runtime uses). Per-file site scans are cached and recomputed only for the
 * files an edit can affect; linking the facts together is cheap and redone.
 */
import type { FileFacts, FunctionFact, RefFact, Span, WriteFact } from '../facts/types';
import { PROFILE_NAMES, profile, type Profile } from '../config/profiles';
import { LineIndex } from '../util/lines';
import { IncludeGraph, isOtherArchPath } from './includes';
import { MacroEnvironment } from './macroEnv';
import { RawSite, classifyTarget, findSites, liveTokens, render, wrapperNames } from './sites';
import { expandTokens } from '../preproc/macros';
import type { Token } from '../preproc/lexer';
import type { MacroDef } from '../preproc/directives';
import { changedMacroNames, macroUsers } from './macroChanges';
import { Scope, VarRef } from './scope';
import { Flows, Source } from './flows';
import { enclosingFunction, nameIndex } from './nameIndex';
import { memberField } from './members';
import type { Candidate, FunctionInfo, ImplTableInfo, ObjectId, OpsObjectInfo, SiteInfo, UseInfo, WriteInfo } from './types';

export interface IndexOptions {
  profile: Profile;
  /** Architecture whose `arch/<name>/` folders take part (others are left out). */
  arch?: string;
  includeRoots?: string[];
}

export interface IndexResult {
  sites: SiteInfo[];
  objects: OpsObjectInfo[];
  tables: ImplTableInfo[];
  writes: WriteInfo[];
  /** Every write that names the file-scope object `id` (ops object, impl table or other), wherever it is. */
  writesTo(id: ObjectId): ReadonlyArray<{ file: string; write: WriteFact; fn: FunctionInfo }>;
  functions: Map<FunctionFact, FunctionInfo>;
  files: ReadonlyMap<string, FileFacts>;
  /** The file-scope object `name` means in `file` (its defining declaration), as the index resolved it. */
  variable(name: string, file: string): { id: ObjectId; file: string; fact: import('../facts/types').VarFact } | null;
  /** What the user should know about the whole analysis (e.g. a profile that does not fit the tree). */
  warnings: string[];
  /** Struct definitions by name (anonymous ones as `(anonymous)@file:offset`). */
  structs: ReadonlyMap<string, import('../facts/types').StructFact>;
}

interface LocatedSite extends RawSite { file: string; lines: LineIndex; }

export class WorkspaceIndex {
  private readonly facts = new Map<string, FileFacts>();
  private readonly texts = new Map<string, string>();
  /** Expensive per-file results (site scans, macro-expanded members) kept across links. */
  private readonly cache = new Map<string, unknown>();
  /** For each file, the cache keys computed from it (as owner or as a file read): dropped when it changes. */
  private readonly cacheDeps = new Map<string, Set<string>>();
  private result: IndexResult | null = null;
  readonly arch: string;

  constructor(private readonly options: IndexOptions) {
    this.arch = options.arch ?? 'x86';
  }

  get files(): ReadonlyMap<string, FileFacts> {
    return this.facts;
  }

  text(file: string): string | undefined {
    return this.texts.get(file);
  }

  /** Resolved `#include`s per file, valid while the set of files stays the same. */
  readonly includeResolution = new Map<string, { facts: FileFacts; targets: Array<string | null> }>();

  /**
   * The objects writes land in, per file and function index (see the linker's
   * `landedWrites`), kept across links while no file's value-flow facts
   * change (most edits inside a function body do not change them) and the
   * set of ops members and types that decides which writes are resolved
   * (`key`) stays the same.
   */
  private landed = { key: '', files: new Map<string, Map<number, Array<{ k: number; ids: ObjectId[] }>>>() };

  /** @internal the linker's cache of `landedWrites`. */
  flowResults(key: string): Map<string, Map<number, Array<{ k: number; ids: ObjectId[] }>>> {
    if (this.landed.key !== key) this.landed = { key, files: new Map() };
    return this.landed.files;
  }

  set(file: string, text: string, facts: FileFacts): void {
    const old = this.facts.get(file);
    if (!old || (this.landed.files.size > 0 && flowKey(old) !== flowKey(facts))) this.landed.files.clear();
    if (!old) this.includeResolution.clear();
    this.facts.set(file, facts);
    this.texts.set(file, text);
    this.invalidate(file, old ? changedMacroNames(old, facts) : null);
  }

  remove(file: string): void {
    this.includeResolution.clear();
    this.landed.files.clear();
    this.facts.delete(file);
    this.texts.delete(file);
    this.invalidate(file, null);
  }

  /**
   * Drops what was computed from `file`, and, when it changed macros
   * (`macros`), from every file that names one of them or a macro using
   * them; null: a file came or went, everything is dropped.
   */
  private invalidate(file: string, macros: ReadonlySet<string> | null): void {
    this.result = null;
    if (macros === null) {
      this.cache.clear();
      this.cacheDeps.clear();
      return;
    }
    const stale = new Set([file]);
    if (macros.size > 0) {
      const affected = macroUsers(this.facts, macros);
      for (const [f, facts] of this.facts) if (facts.identifiers.some((n) => affected.has(n))) stale.add(f);
      // Which macros are wrappers or member aliases depends on all of them.
      for (const key of MACRO_KEYS) this.cache.delete(key);
    }
    for (const f of stale) {
      for (const key of this.cacheDeps.get(f) ?? []) this.cache.delete(key);
      this.cacheDeps.delete(f);
    }
  }

  link(): IndexResult {
    if (!this.result) this.result = new Linker(this).run();
    return this.result;
  }

  /** @internal the linker's cache: `compute` says which files the value was read from besides `owner`. */
  cached<T>(key: string, owner: string, compute: () => { value: T; reads: string[] }): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const { value, reads } = compute();
    this.cache.set(key, value);
    for (const f of [owner, ...reads]) {
      let set = this.cacheDeps.get(f);
      if (!set) this.cacheDeps.set(f, (set = new Set()));
      set.add(key);
    }
    return value;
  }

  get profile(): Profile {
    return this.options.profile;
  }

  get includeRoots(): string[] {
    return this.options.includeRoots ?? [];
  }
}

/**
 * What value flow reads of a file, without positions: which objects and
 * functions it declares and sees, and how values move in its functions.
 */
function flowKey(f: FileFacts): string {
  // Each version of a file's facts is compared twice: as the new one, then as the old one at the next edit.
  let key = flowKeys.get(f);
  if (key === undefined) flowKeys.set(f, (key = computeFlowKey(f)));
  return key;
}

const flowKeys = new WeakMap<FileFacts, string>();

function computeFlowKey(f: FileFacts): string {
  return JSON.stringify([
    f.includes.map((i) => i.path),
    f.variables.map((v) => [v.name, v.storage, v.isDefinition, v.isPointer, v.isArray, v.isFunctionPointer, v.structName, v.typeText, v.init?.map((m) => [m.path, m.value])]),
    f.functions.map((fn) => [fn.name, fn.isStatic, fn.params, fn.locals, fn.returns, fn.calls.map((c) => [c.name, c.args]), fn.writes.map((w) => [w.name, w.path, w.kind, w.value, w.through, w.throughType])]),
  ]);
}

/** Cache keys of what is computed from every file's macros. */
const WRAPPERS_KEY = 'wrappers';
const ALIASES_KEY = 'aliases';
const MACRO_KEYS = [WRAPPERS_KEY, ALIASES_KEY];

/** Every Xen release's patch routine, to notice a profile that does not fit the tree. */
const PATCH_ROUTINES = new Set(PROFILE_NAMES.map((n) => profile(n).names.patchRoutine));

class Linker {
  private readonly files: ReadonlyMap<string, FileFacts>;
  private readonly includes: IncludeGraph;
  private readonly env: MacroEnvironment;
  private readonly scope: Scope;
  private readonly flows: Flows;
  private readonly names;
  private readonly siteMacros: Set<string>;
  private readonly wrappers: Set<string>;
  private readonly lines = new Map<string, LineIndex>();
  private readonly functions = new Map<FunctionFact, FunctionInfo>();

  constructor(private readonly index: WorkspaceIndex) {
    const live = new Map<string, FileFacts>();
    for (const [f, facts] of index.files) if (!isOtherArchPath(f, index.arch)) live.set(f, facts);
    this.files = live;
    this.names = index.profile.names;
    this.includes = new IncludeGraph(live, index.arch, index.includeRoots, index.includeResolution);
    this.env = new MacroEnvironment(live, this.includes);
    this.scope = new Scope(live, this.includes);
    this.flows = new Flows(this.scope, live);
    this.siteMacros = new Set(this.names.siteMacros);
    // The site macros' own machinery (helpers defined next to them) is not a wrapper users call.
    const machinery = new Set([...this.siteMacros].flatMap((n) => this.env.definitions(n).map((d) => d.file)));
    // Depends on macros alone: dropped by any change to one.
    this.wrappers = index.cached(WRAPPERS_KEY, '', () => ({
      value: wrapperNames([...this.env.names()].flatMap((n) => this.env.definitions(n).filter((d) => !machinery.has(d.file)).map((d) => d.fact.def)), this.siteMacros),
      reads: [],
    }));
  }

  private lineIndex(file: string): LineIndex {
    let li = this.lines.get(file);
    if (!li) this.lines.set(file, (li = new LineIndex(this.index.text(file) ?? '')));
    return li;
  }

  run(): IndexResult {
    this.classifyFunctions();
    const sites = this.resolveSites();
    const objects = (this.objects = this.collectObjects(sites));
    const writes = this.collectWrites(objects);
    this.collectUses(objects, sites);
    const tables = this.collectTablesAndCandidates(objects);
    return {
      sites, objects: [...objects.values()], tables, writes, functions: this.functions, files: this.files,
      writesTo: (id) => this.directWrites().get(id) ?? [],
      variable: (name, file) => this.scope.variable(name, file),
      warnings: this.warnings(sites),
      structs: this.structs(),
    };
  }

  /** A tree that calls another release's patch routine but not the profile's was given the wrong profile. */
  private warnings(sites: SiteInfo[]): string[] {
    const routine = this.names.patchRoutine;
    const called = new Set<string>();
    for (const facts of this.files.values()) for (const r of PATCH_ROUTINES) if (nameIndex(facts).calls.has(r)) called.add(r);
    if (sites.length === 0 || called.has(routine) || called.size === 0) return [];
    return [`the tree calls ${[...called].map((r) => `${r}()`).join(', ')} but profile ${this.index.profile.name} patches in ${routine}(): the patch point is not found, so only writes in runtime code and post-patch initcalls count as after patching; check --profile`];
  }

  // ---- sites -------------------------------------------------------------

  private scanFile(file: string): { sites: LocatedSite[]; reads: string[] } {
    const facts = this.files.get(file)!;
    const text = this.index.text(file) ?? '';
    const lines = this.lineIndex(file);
    const relevant = facts.identifiers.some((n) => this.siteMacros.has(n) || this.wrappers.has(n));
    const sites: LocatedSite[] = [];
    const reads: string[] = [];
    if (relevant) {
      const found = findSites(liveTokens(text, facts.skip), this.siteMacros, this.wrappers, (off, name) => this.env.lookupAt(file, off, name), lines);
      for (const s of found) sites.push({ ...s, file, lines });
    }
    // X-macro lists: a header of HOOK(...) lines expanded with the definitions
    // this file has made before including it (the header's own come first).
    const hooks = facts.macros.filter((m) => this.wrappers.has(m.def.name));
    for (const inc of hooks.length ? facts.includes : []) {
      const target = this.includes.resolve(file, inc);
      const listFacts = target ? this.files.get(target) : undefined;
      if (!target || !listFacts) continue;
      // Only a list that names (or pastes together) a hook this file defined before including it.
      const defined = hooks.filter((m) => m.def.start < inc.start).map((m) => m.def.name);
      const pasted = pastePrefixes(listFacts);
      if (!defined.some((n) => listFacts.identifiers.includes(n) || pasted.some((p) => n.startsWith(p)))) continue;
      const list = this.listAt(file, inc)!;
      reads.push(target);
      const listLines = this.lineIndex(target);
      for (const s of findSites(list.tokens, this.siteMacros, this.wrappers, (off, name) => list.lookup(name, off), listLines)) sites.push({ ...s, file: target, lines: listLines });
    }
    return { sites, reads };
  }

  /**
   * A file an `#include` at `inc` of `file` brings in, read as part of the
   * includer: its live tokens, and macro lookup by its own definitions first,
   * then the includer's in effect at the `#include`.
   */
  private listAt(file: string, inc: { path: string; angled: boolean; start: number }): { target: string; facts: FileFacts; tokens: Token[]; lookup: (name: string, offset?: number) => MacroDef | undefined } | null {
    const target = this.includes.resolve(file, inc);
    const facts = target ? this.files.get(target) : undefined;
    if (!target || !facts) return null;
    return {
      target,
      facts,
      tokens: liveTokens(this.index.text(target) ?? '', facts.skip),
      lookup: (name, offset = Number.POSITIVE_INFINITY) => {
        const own = this.env.ownAt(target, offset, name);
        return own !== null ? own : this.env.lookupAt(file, inc.start, name);
      },
    };
  }

  private resolveSites(): SiteInfo[] {
    const out: SiteInfo[] = [];
    const seen = new Set<string>();
    for (const file of [...this.files.keys()].sort()) {
      const scan = () => {
        const { sites, reads } = this.scanFile(file);
        return { value: sites, reads };
      };
      for (const raw of this.index.cached(`sites\0${file}`, file, scan)) {
        const site = this.siteInfo(raw);
        const key = `${site.file}\0${site.span.start}\0${site.ops ?? site.target}\0${site.member}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(site);
      }
    }
    return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start));
  }

  private siteInfo(raw: LocatedSite): SiteInfo {
    const fn = enclosingFunction(this.files.get(raw.file), raw.start);
    const target = classifyTarget(raw.target);
    const base = {
      file: raw.file,
      span: raw.lines.span(raw.start, raw.end),
      macro: raw.macro,
      wrappers: raw.wrappers,
      target: render(raw.target),
      targetSpan: raw.targetSpan,
      function: fn?.name ?? null,
      args: raw.args,
    };
    if ('reason' in target) return { ...base, ops: null, opsName: null, member: '', reason: target.reason, patchable: false };
    if (fn && (fn.params.includes(target.root) || fn.localNames.includes(target.root))) {
      const what = fn.params.includes(target.root) ? 'a parameter' : 'a local variable';
      return { ...base, ops: null, opsName: null, member: target.path, reason: `\`${target.root}\` is ${what} of ${fn.name}(): the call cannot be patched`, patchable: false };
    }
    const v = this.scope.variable(target.root, raw.file);
    if (!v) return { ...base, ops: null, opsName: null, member: target.path, reason: `no file-scope object named \`${target.root}\` in the workspace`, patchable: true };
    return { ...base, ops: v.id, opsName: target.root, member: target.path, reason: null, patchable: true };
  }


  // ---- objects -----------------------------------------------------------

  private collectObjects(sites: SiteInfo[]): Map<ObjectId, OpsObjectInfo> {
    const objects = new Map<ObjectId, OpsObjectInfo>();
    for (const site of sites) {
      if (!site.ops) continue;
      let obj = objects.get(site.ops);
      if (!obj) {
        const ref = this.scope.variableById(site.ops);
        obj = {
          id: site.ops,
          name: site.opsName!,
          file: ref?.file ?? '',
          span: ref?.fact.span ?? site.span,
          decl: ref?.fact ?? null,
          members: [],
          sites: [],
          runtimeUses: [],
          writes: [],
          tables: [],
          candidates: {},
        };
        objects.set(site.ops, obj);
      }
      obj.sites.push(site);
      if (!obj.members.includes(site.member)) obj.members.push(site.member);
    }
    return objects;
  }

  // ---- init code and the patch point ----------------------------------------

  private classifyFunctions(): void {
    const initNames = new Set(this.names.initFunctionAnnotations);
    for (const fn of this.scope.allFunctions()) {
      this.functions.set(fn.fact, { file: fn.file, fact: fn.fact, isInit: fn.fact.annotations.some((a) => initNames.has(a.name)), afterPatch: null });
    }
    const roots: Array<{ fn: FunctionFact; file: string; why: string }> = [];
    for (const [file, facts] of this.files) {
      for (const ic of facts.initcalls) {
        if (ic.level !== 'post') continue;
        const target = this.scope.function(ic.fn, file);
        if (target) roots.push({ fn: target.fact, file: target.file, why: `registered with ${this.names.postInitcalls[0]}(${ic.fn}), which runs after patching` });
      }
    }
    // Only the few functions that call the patch routine: found through each file's name index, not a scan of every call.
    const patchers = new Set<FunctionFact>();
    for (const facts of this.files.values()) for (const { fn } of nameIndex(facts).calls.get(this.names.patchRoutine) ?? []) patchers.add(fn);
    for (const fn of patchers) {
      const info = this.functions.get(fn);
      const patch = fn.calls.find((c) => c.name === this.names.patchRoutine);
      if (!info || !patch) continue;
      for (const call of info.fact.calls) {
        if (call.start <= patch.start) continue;
        const target = this.scope.function(call.name, info.file);
        if (target) roots.push({ fn: target.fact, file: target.file, why: `called by ${info.fact.name}() after ${this.names.patchRoutine}()` });
      }
    }
    // Breadth first, so that each function's reason is its shortest path from a root.
    const queue = roots.map((r) => ({ fn: r.fn, why: r.why }));
    for (let i = 0; i < queue.length; i++) {
      const { fn, why } = queue[i];
      const info = this.functions.get(fn);
      if (!info || info.afterPatch !== null) continue;
      info.afterPatch = why;
      for (const call of fn.calls) {
        const callee = this.scope.function(call.name, info.file);
        if (callee && this.functions.get(callee.fact)?.afterPatch === null) queue.push({ fn: callee.fact, why: `called from ${fn.name}(), ${why}` });
      }
    }
  }

  /** Functions that run between the 4.16-4.20 first pass and the forced one: presmp initcalls and what they call. */
  private betweenPasses(): Set<FunctionFact> {
    const out = new Set<FunctionFact>();
    if (!this.names.firstPassRoutine) return out;
    const queue: FunctionFact[] = [];
    for (const [file, facts] of this.files) {
      for (const ic of facts.initcalls) {
        const target = ic.level === 'presmp' ? this.scope.function(ic.fn, file) : null;
        if (target) queue.push(target.fact);
      }
    }
    while (queue.length) {
      const fn = queue.pop()!;
      if (out.has(fn)) continue;
      out.add(fn);
      const file = this.functions.get(fn)?.file ?? '';
      for (const call of fn.calls) {
        const callee = this.scope.function(call.name, file);
        if (callee) queue.push(callee.fact);
      }
    }
    return out;
  }

  // ---- writes ----------------------------------------------------------------

  private resolvedWritesCache: Array<{ info: FunctionInfo; w: WriteFact; ref: VarRef }> | null = null;

  /** Every write with the object it lands in; one through a pointer lands in each object the pointer can address. */
  private resolvedWrites(): Array<{ info: FunctionInfo; w: WriteFact; ref: VarRef }> {
    if (this.resolvedWritesCache) return this.resolvedWritesCache;
    const out: Array<{ info: FunctionInfo; w: WriteFact; ref: VarRef }> = [];
    const heads = this.opsMemberNames();
    const types = this.opsStructTypes();
    const landed = this.index.flowResults([...heads].sort().join(' ') + (types ? `|${[...types].sort().join(' ')}` : ''));
    const position = new Map<FunctionFact, number>();
    for (const [file, facts] of this.files) {
      facts.functions.forEach((fn, i) => position.set(fn, i));
      if (!landed.has(file)) landed.set(file, this.landedWrites(file, facts, heads, types));
    }
    for (const info of this.functions.values()) {
      for (const { k, ids } of landed.get(info.file)?.get(position.get(info.fact)!) ?? []) {
        const w = info.fact.writes[k];
        for (const id of ids) {
          // By id when it names a definition (cheap); an `extern`-only object is looked up again.
          const ref = this.scope.variableById(id) ?? (w.through ? null : this.scope.variable(w.name, info.file));
          if (ref) out.push({ info, w, ref });
        }
      }
    }
    return (this.resolvedWritesCache = out);
  }

  /** Per function (by its index in the file), the writes that land in some object: which write, and the objects. */
  private landedWrites(file: string, facts: FileFacts, heads: Set<string>, types: Set<string> | null): Map<number, Array<{ k: number; ids: ObjectId[] }>> {
    const out = new Map<number, Array<{ k: number; ids: ObjectId[] }>>();
    facts.functions.forEach((fn, i) => {
      const list: Array<{ k: number; ids: ObjectId[] }> = [];
      fn.writes.forEach((w, k) => {
        let ids: ObjectId[];
        if (w.through) {
          // `p->x = v` can only matter when some ops object has a member `x`: most such writes need no resolving.
          if (w.path !== '' && !heads.has(w.path.split('.')[0])) return;
          // Nor when `p` is declared to point to a struct no ops object is (short of a cast).
          const tag = types && w.throughType ? this.structOf(w.throughType) : null;
          if (types && tag !== null && !types.has(tag)) return;
          ids = this.flows.resolve(w.through, { file, fn }).flatMap((s) => (s.k === 'addr' && s.of.k === 'var' ? [s.of.ref.id] : []));
        } else {
          const v = this.scope.variable(w.name, file);
          ids = v ? [v.id] : [];
        }
        if (ids.length) list.push({ k, ids });
      });
      if (list.length) out.set(i, list);
    });
    return out;
  }

  private directWriteMap: Map<ObjectId, Array<{ file: string; write: WriteFact; fn: FunctionInfo }>> | null = null;

  private directWrites(): Map<ObjectId, Array<{ file: string; write: WriteFact; fn: FunctionInfo }>> {
    if (this.directWriteMap) return this.directWriteMap;
    const out = new Map<ObjectId, Array<{ file: string; write: WriteFact; fn: FunctionInfo }>>();
    for (const { info, w, ref } of this.resolvedWrites()) {
      if (w.through) continue;
      const list = out.get(ref.id);
      if (list) list.push({ file: info.file, write: w, fn: info });
      else out.set(ref.id, [{ file: info.file, write: w, fn: info }]);
    }
    return (this.directWriteMap = out);
  }

  private objects: Map<ObjectId, OpsObjectInfo> = new Map();

  /** First segments of every member path of every ops object's type (accelerated or not). */
  private opsMemberNames(): Set<string> {
    const out = new Set<string>();
    for (const obj of this.objects.values()) {
      for (const m of obj.members) out.add(m.split('.')[0]);
      const st = obj.decl?.structName ? this.structs().get(obj.decl.structName) : undefined;
      for (const f of st?.fields ?? []) out.add(f.name);
    }
    return out;
  }

  /** The struct tags of the ops objects (arrays: of their elements); null when one's is not known. */
  private opsStructTypes(): Set<string> | null {
    const out = new Set<string>();
    for (const obj of this.objects.values()) {
      const d = obj.decl;
      if (!d) return null;
      // A `T *` cannot address a pointer or function-pointer object: those add no type.
      if (d.isPointer || d.isFunctionPointer) continue;
      const tag = d.structName ?? this.structOf(d.typeText);
      if (tag === null) return null;
      out.add(tag);
    }
    return out;
  }

  private typedefMap: Map<string, import('../facts/types').TypedefFact> | null = null;

  /** The struct tag a type names (`struct foo`, or a typedef of one); null when it is not a plain struct. */
  private structOf(type: string): string | null {
    const m = /^(?:struct|union)\s+(\w+)$/.exec(type);
    if (m) return m[1];
    if (!this.typedefMap) {
      this.typedefMap = new Map();
      for (const facts of this.files.values()) for (const t of facts.typedefs) if (!this.typedefMap.has(t.name)) this.typedefMap.set(t.name, t);
    }
    const t = this.typedefMap.get(type);
    return t && !t.isPointer && !t.isFunctionPointer ? t.structName : null;
  }

  private collectWrites(objects: Map<ObjectId, OpsObjectInfo>): WriteInfo[] {
    const out: WriteInfo[] = [];
    const between = this.betweenPasses();
    for (const { info, w, ref } of this.resolvedWrites()) {
      const obj = objects.get(ref.id);
      if (!obj) continue;
      const accelerated = w.path === '' || obj.members.some((m) => m === w.path || m.startsWith(`${w.path}.`) || w.path.startsWith(`${m}.`));
      const verdict = this.verdict(info, w, obj, accelerated, between.has(info.fact));
      const write: WriteInfo = { file: info.file, span: w.span, ops: obj.id, member: w.path, kind: w.kind, function: info.fact.name, guard: w.guard, accelerated, ...verdict };
      obj.writes.push(write);
      out.push(write);
    }
    const byPlace = (a: WriteInfo, b: WriteInfo) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start);
    for (const obj of objects.values()) obj.writes.sort(byPlace);
    return out.sort(byPlace);
  }

  private verdict(info: FunctionInfo, w: WriteFact, obj: OpsObjectInfo, accelerated: boolean, betweenPasses: boolean): { afterPatch: boolean; reason: string } {
    const fn = info.fact.name;
    if (!info.isInit) {
      if (w.guard === 'before-patch') return { afterPatch: false, reason: `in ${fn}(), guarded by a system_state check that proves it runs before patching` };
      if (w.guard === 'boot-only') return { afterPatch: true, reason: `in ${fn}(), guarded by a system_state check that only proves it runs during boot, possibly after patching` };
      return { afterPatch: true, reason: `in ${fn}(), which is not init code and can run after patching` };
    }
    const patch = info.fact.calls.find((c) => c.name === this.names.patchRoutine);
    if (patch && patch.start < w.span.start) return { afterPatch: true, reason: `after ${this.names.patchRoutine}() in ${fn}()` };
    if (info.afterPatch) return { afterPatch: true, reason: `${fn}() is ${info.afterPatch}` };
    if (betweenPasses && accelerated && this.initiallySet(obj, w.path)) {
      return { afterPatch: true, reason: `${fn}() runs after ${this.names.firstPassRoutine}() already patched the sites of a pointer the static initialiser set` };
    }
    return { afterPatch: false, reason: `in init function ${fn}(), before patching` };
  }

  /** The ops object's own initialiser gives `path` (or, for '', any member) a non-NULL value. */
  private initiallySet(obj: OpsObjectInfo, path: string): boolean {
    const init = obj.decl?.init ?? [];
    return init.some((m) => (path === '' || m.path === path) && m.value.k !== 'null' && m.value.k !== 'other');
  }

  // ---- runtime uses -------------------------------------------------------

  private collectUses(objects: Map<ObjectId, OpsObjectInfo>, sites: SiteInfo[]): void {
    const aliases = this.memberAliases();
    const excluded = new Map<string, Array<{ start: number; end: number; ops: ObjectId | null }>>();
    for (const s of sites) {
      const list = excluded.get(s.file) ?? [];
      excluded.set(s.file, list);
      if (s.targetSpan) list.push({ start: s.targetSpan.start, end: s.targetSpan.end, ops: null });
      else list.push({ start: s.span.start, end: s.span.end, ops: s.ops });
    }
    // Only the names that can mean an ops object: the objects' own, and macros that name one's member.
    const names = new Set([...objects.values()].map((o) => o.name));
    for (const [alias, target] of aliases) if (names.has(target.root)) names.add(alias);
    for (const [file, facts] of this.files) {
      const byName = nameIndex(facts);
      for (const name of names) {
        // Calling a plain function-pointer object by name (`tick_source()`) reads it at run time too.
        for (const { fn, call } of byName.calls.get(name) ?? []) {
          const info = this.functions.get(fn);
          if (!info || info.isInit || this.scope.function(call.name, file)) continue;
          const v = this.scope.variable(call.name, file);
          const obj = v ? objects.get(v.id) : undefined;
          if (obj) obj.runtimeUses.push({ file, span: this.lineIndex(file).span(call.start, call.end), kind: 'call', path: '', function: fn.name, via: null });
        }
        for (const { fn, ref } of byName.refs.get(name) ?? []) {
          const info = this.functions.get(fn);
          if (!info || info.isInit) continue;
          const target = this.useTarget(ref, file, aliases);
          const obj = target ? objects.get(target.ref.id) : undefined;
          if (!target || !obj) continue;
          const inSite = (excluded.get(file) ?? []).some((e) => e.start <= ref.span.start && ref.span.end <= e.end && (e.ops === null || e.ops === obj.id));
          if (inSite) continue;
          // Testing a data member (`if ( ops.caps.x )`) is a data read, not a pointer test.
          const kind = ref.kind === 'test' && this.fieldIsPointer(obj, target.path) === false ? 'read' : ref.kind;
          obj.runtimeUses.push({ file, span: ref.span, kind, path: target.path, function: fn.name, via: target.via });
        }
      }
    }
    const byPlace = (a: UseInfo, b: UseInfo) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start);
    for (const obj of objects.values()) obj.runtimeUses.sort(byPlace);
  }

  /** Whether member `path` of the object's struct is a pointer; null when the struct or member is not known. */
  private fieldIsPointer(obj: OpsObjectInfo, path: string): boolean | null {
    if (path === '') return obj.decl?.isPointer ?? null;
    const field = memberField(this.structs(), obj.decl?.structName ?? null, path);
    return field ? field.isPointer || field.isFunctionPointer : null;
  }


  private structMap: Map<string, import('../facts/types').StructFact> | null = null;
  private structs(): Map<string, import('../facts/types').StructFact> {
    if (!this.structMap) {
      this.structMap = new Map();
      for (const [file, facts] of this.files) {
        for (const st of facts.structs) {
          if (this.structMap.has(st.name)) continue;
          this.structMap.set(st.name, this.index.cached(`struct\0${file}\0${st.bodyStart}`, file, () => this.withListedMembers(file, facts, st)));
        }
      }
    }
    return this.structMap;
  }

  /** A struct whose body `#include`s a member list (`struct xsm_ops { #include "hooks.h" };`) gets the list's members. */
  private withListedMembers(file: string, facts: FileFacts, st: import('../facts/types').StructFact): { value: import('../facts/types').StructFact; reads: string[] } {
    const incs = facts.includes.filter((i) => i.start > st.bodyStart && i.start < st.bodyEnd);
    if (incs.length === 0) return { value: st, reads: [] };
    const fields = [...st.fields];
    const reads: string[] = [];
    for (const inc of incs) {
      const list = this.listAt(file, inc);
      if (!list) continue;
      reads.push(list.target);
      fields.push(...fieldsFromTokens(expandTokens(list.tokens, { lookup: (name) => list.lookup(name) }), inc.start));
    }
    return { value: { ...st, fields: fields.sort((a, b) => a.start - b.start) }, reads };
  }

  /** Object-like macros that name an object's member (`#define hook_fn thing_ops.fn`). Depends on macros alone, like the wrappers. */
  private memberAliases(): Map<string, { root: string; path: string }> {
    return this.index.cached(ALIASES_KEY, '', () => {
      const out = new Map<string, { root: string; path: string }>();
      for (const name of this.env.names()) {
        for (const d of this.env.definitions(name)) {
          if (d.fact.def.params !== null) continue;
          const t = classifyTarget(d.fact.def.body);
          if ('root' in t && t.path !== '') out.set(name, t);
        }
      }
      return { value: out, reads: [] };
    });
  }

  private useTarget(ref: RefFact, file: string, aliases: Map<string, { root: string; path: string }>): { ref: VarRef; path: string; via: string | null } | null {
    const direct = this.scope.variable(ref.name, file);
    if (direct) return { ref: direct, path: ref.path, via: null };
    const alias = aliases.get(ref.name);
    if (!alias) return null;
    const v = this.scope.variable(alias.root, file);
    return v ? { ref: v, path: ref.path ? `${alias.path}.${ref.path}` : alias.path, via: ref.name } : null;
  }

  // ---- impl tables and candidates --------------------------------------------

  private collectTablesAndCandidates(objects: Map<ObjectId, OpsObjectInfo>): ImplTableInfo[] {
    const tables: ImplTableInfo[] = [];
    for (const obj of objects.values()) {
      const direct: Record<string, Candidate[]> = {};
      const addDirect = (member: string, c: Candidate) => (direct[member] ??= []).push(c);
      for (const w of this.writesInto(obj)) {
        const ctx = { file: w.file, fn: w.fn };
        const sources = w.value ? this.flows.resolve(w.value, ctx) : [];
        for (const s of sources) {
          if (w.path === '' && s.k === 'var' && s.ref.id !== obj.id && s.ref.fact.init) {
            if (!obj.tables.some((t) => t.id === s.ref.id)) {
              const table: ImplTableInfo = { id: s.ref.id, name: s.ref.fact.name, ops: obj.id, decl: s.ref.fact, file: s.ref.file, span: s.ref.fact.span, flow: `${w.kind === 'memcpy' ? 'copied by memcpy' : 'copied'} in ${w.fn.name}()` };
              obj.tables.push(table);
              tables.push(table);
            }
          } else if (s.k === 'fn' || s.k === 'null') {
            addDirect(w.path, this.candidate(null, s, { file: w.file, span: w.span }));
          }
        }
      }
      const typeofMember = new Map<ObjectId, string>();
      for (const { ref, member } of this.typeofTables(obj)) {
        if (obj.tables.some((t) => t.id === ref.id)) continue;
        typeofMember.set(ref.id, member);
        const table: ImplTableInfo = { id: ref.id, name: ref.fact.name, ops: obj.id, decl: ref.fact, file: ref.file, span: ref.fact.span, flow: `declared typeof(${ref.fact.typeofOf})` };
        obj.tables.push(table);
        tables.push(table);
      }
      for (const m of obj.decl?.init ?? []) {
        for (const s of this.flows.resolve(m.value, { file: obj.file, fn: null })) {
          if (s.k === 'fn') addDirect(m.path, this.candidate(null, s, { file: obj.file, span: m.span }));
        }
      }
      for (const member of obj.members) {
        const list: Candidate[] = [];
        for (const t of obj.tables) {
          const ref = this.scope.variableById(t.id)!;
          // A `typeof(obj.m)` table is the value of `m` itself; a `typeof(obj)` one has the members.
          const prefix = typeofMember.get(t.id);
          const path = prefix ? (member === prefix ? '' : member.startsWith(`${prefix}.`) ? member.slice(prefix.length + 1) : null) : member;
          if (path === null) continue;
          const init = this.index.cached(`init\0${ref.file}\0${ref.fact.span.start}`, ref.file, () => this.effectiveInit(ref));
          const values = init.filter((m) => m.path === path);
          if (values.length === 0) list.push({ table: t.id, target: null, targetFile: null, at: null });
          for (const v of values) {
            const resolved = this.flows.resolve(v.value, { file: t.file, fn: null }).filter((s) => s.k === 'fn' || s.k === 'null');
            if (resolved.length === 0) list.push({ table: t.id, target: null, targetFile: null, at: { file: t.file, span: v.span } });
            for (const s of resolved) list.push(this.candidate(t.id, s, { file: t.file, span: v.span }));
          }
        }
        list.push(...(direct[member] ?? []));
        obj.candidates[member] = list;
      }
    }
    return tables.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start));
  }

  private candidate(table: ObjectId | null, s: Source, at: { file: string; span: Span }): Candidate {
    return s.k === 'fn' ? { table, target: s.ref.fact.name, targetFile: s.ref.file, at } : { table, target: null, targetFile: null, at };
  }

  private *writesInto(obj: OpsObjectInfo): Generator<{ file: string; fn: FunctionFact; path: string; kind: string; value: import('../facts/types').Value | null; span: Span }> {
    for (const { info, w, ref } of this.resolvedWrites()) {
      if ((w.kind === 'assign' || w.kind === 'memcpy') && ref.id === obj.id) yield { file: info.file, fn: info.fact, path: w.path, kind: w.kind, value: w.value, span: w.span };
    }
  }

  /**
   * A table's initialiser with the members macros write: designators that
   * come from a macro (`GENAPIC_FLAT,`) or from a member list included inside
   * the braces (`#define HOOK(n) .n = xsm_##n,` + `#include "hooks.h"`) are
   * not in the tree, so the initialiser's tokens are expanded and read too.
   */
  private effectiveInit(ref: VarRef): { value: import('../facts/types').InitMember[]; reads: string[] } {
    const own = ref.fact.init ?? [];
    const facts = this.files.get(ref.file);
    const text = this.index.text(ref.file);
    const reads: string[] = [];
    if (!facts || text === undefined) return { value: own, reads };
    const { start, end } = ref.fact.declSpan;
    const tokens = liveTokens(text, facts.skip, start, end);
    const includes = facts.includes.filter((i) => i.start > start && i.start < end);
    if (includes.length === 0 && !tokens.some((t) => t.kind === 'ident' && this.env.has(t.text))) return { value: own, reads };
    const expanded: Array<{ text: string; kind: string }> = [];
    let from = 0;
    const segment = (upTo: number) => {
      const part = tokens.filter((t) => t.start >= from && t.start < upTo);
      expanded.push(...expandTokens(part, { lookup: (name) => this.env.lookupAt(ref.file, part[0]?.start ?? from, name) }));
      from = upTo;
    };
    for (const inc of includes) {
      segment(inc.start);
      const list = this.listAt(ref.file, inc);
      if (!list) continue;
      reads.push(list.target);
      expanded.push(...expandTokens(list.tokens, { lookup: (name) => list.lookup(name) }));
    }
    segment(Number.POSITIVE_INFINITY);
    const known = new Set(own.map((m) => m.path));
    const extra = designatorsFromTokens(expanded, ref.fact.span).filter((m) => !known.has(m.path));
    return { value: extra.length ? [...own, ...extra] : own, reads };
  }

  /** Variables declared `typeof(obj)` / `typeof(obj.member)` with an initialiser: impl tables by type. */
  private typeofVariables: VarRef[] | null = null;

  private typeofTables(obj: OpsObjectInfo): Array<{ ref: VarRef; member: string }> {
    const out: Array<{ ref: VarRef; member: string }> = [];
    this.typeofVariables ??= this.scope.allVariables().filter((v) => v.fact.typeofOf !== null && v.fact.init !== null);
    for (const ref of this.typeofVariables) {
      const of = ref.fact.typeofOf;
      if (!of || ref.id === obj.id) continue;
      const [root, ...rest] = of.split('.');
      if (this.scope.variable(root, ref.file)?.id === obj.id) out.push({ ref, member: rest.join('.') });
    }
    return out;
  }
}

/** `.a.b = value` items at the top level of the first `{ ... }` of an expanded initialiser. */
function designatorsFromTokens(tokens: ReadonlyArray<{ text: string; kind: string }>, span: Span): import('../facts/types').InitMember[] {
  const open = tokens.findIndex((t) => t.text === '{');
  if (open < 0) return [];
  const out: import('../facts/types').InitMember[] = [];
  let item: Array<{ text: string; kind: string }> = [];
  let depth = 0;
  const flush = () => {
    const eq = item.findIndex((t) => t.text === '=');
    if (eq > 1 && item[0].text === '.') {
      const path = item.slice(0, eq).filter((t) => t.text !== '.').map((t) => t.text);
      const value = item.slice(eq + 1);
      if (path.every((p) => /^[A-Za-z_]\w*$/.test(p))) out.push({ path: path.join('.'), value: tokenValue(value), span });
    }
    item = [];
  };
  for (let i = open + 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.text === '(' || t.text === '{' || t.text === '[') depth++;
    if (t.text === ')' || t.text === '}' || t.text === ']') {
      if (depth === 0) break;
      depth--;
    }
    if (t.text === ',' && depth === 0) flush();
    else item.push(t);
  }
  flush();
  return out;
}

function tokenValue(tokens: ReadonlyArray<{ text: string; kind: string }>): import('../facts/types').Value {
  const texts = tokens.map((t) => t.text).filter((x) => x !== '(' && x !== ')');
  if (texts.length === 1 && (texts[0] === 'NULL' || /^0+[uUlL]*$/.test(texts[0]))) return { k: 'null' };
  if (texts.length === 1 && tokens.some((t) => t.kind === 'ident')) return { k: 'name', name: texts[0] };
  if (texts.length === 2 && texts[0] === '&') return { k: 'addr', of: { k: 'name', name: texts[1] } };
  return { k: 'other' };
}

/**
 * Member declarations read from tokens (an expanded member list): enough to
 * lay the struct out: the name, and whether it is a (function) pointer.
 */
function fieldsFromTokens(tokens: readonly { text: string; kind: string }[], start: number): import('../facts/types').FieldFact[] {
  const out: import('../facts/types').FieldFact[] = [];
  let decl: Array<{ text: string; kind: string }> = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    if (t.text !== ';' || depth !== 0) {
      decl.push(t);
      continue;
    }
    const fnPtr = decl.findIndex((x, i) => x.text === '(' && decl[i + 1]?.text === '*' && decl[i + 2]?.kind === 'ident' && decl[i + 3]?.text === ')');
    if (fnPtr >= 0) {
      out.push({ name: decl[fnPtr + 2].text, start, typeText: decl.slice(0, fnPtr).map((x) => x.text).join(' '), isPointer: true, isFunctionPointer: true, arrayLength: null, structName: null });
    } else {
      const names = decl.filter((x) => x.kind === 'ident');
      const name = names[names.length - 1];
      if (name) {
        const at = decl.indexOf(name);
        out.push({ name: name.text, start, typeText: decl.slice(0, at).filter((x) => x.text !== '*').map((x) => x.text).join(' '), isPointer: decl.slice(0, at).some((x) => x.text === '*'), isFunctionPointer: false, arrayLength: null, structName: null });
      }
    }
    decl = [];
  }
  return out;
}

/** Identifiers a file's macros paste onto (`POL_HOOK ## nr`): the prefixes of names they can produce. */
function pastePrefixes(facts: FileFacts): string[] {
  const out: string[] = [];
  for (const m of facts.macros) {
    const body = m.def.body;
    for (let i = 0; i + 1 < body.length; i++) if (body[i].kind === 'ident' && body[i + 1].text === '##') out.push(body[i].text);
  }
  return out;
}


