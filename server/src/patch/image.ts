import { addAddress, encode, encodeAll, Insn, ripBranch } from '../x86';
import { ImageSection, ImageSymbol, MemoryImage } from './memory';

/**
 * The plain-data model a preview is built from (independent of any parser),
 * and its layout as a memory image per PATCHING.md section 5.
 *
 * Identifiers: every function, ops object and impl table has a `name` (its
 * symbol) and an optional `id` (default: the name) by which the others refer
 * to it, so that several `static` objects may share a name.
 */

/** One alternative-call site. */
export interface ModelSite {
  /** Unique key chosen by the caller, e.g. `file:line:col`. */
  readonly id: string;
  /** Id of the ops object called through; undefined when the site names none. */
  readonly ops: string | undefined;
  /** Member path in the ops object (`feed`, `a.b`); empty for a plain function-pointer variable. */
  readonly member: string;
  /** For display: where the site is and its source text. */
  readonly file?: string;
  readonly line?: number;
  readonly text?: string;
}

export interface ModelFunction {
  readonly name: string;
  readonly id?: string;
  /** Sites in the function, in source order. */
  readonly sites?: readonly ModelSite[];
  /** Whether it starts with endbr64 in an IBT build (Xen's `cf_check`); default true. */
  readonly endbr64?: boolean;
  /** `__init`: placed in .init.text, which sealing leaves alone. */
  readonly init?: boolean;
}

export interface ModelOpsObject {
  readonly name: string;
  readonly id?: string;
  /** Member paths in declaration order; a member's index × 8 is its fallback offset. */
  readonly members: readonly string[];
  /** Offsets from the struct layout (layout.ts); a member missing here falls back to index × 8. */
  readonly memberOffsets?: Readonly<Record<string, number>>;
  /** Object size in bytes; default: just past the last member. */
  readonly size?: number;
  /** Why the struct could not be laid out, shown with the fallback offsets. */
  readonly layoutProblem?: string;
}

export interface ModelImplTable {
  readonly name: string;
  readonly id?: string;
  /** Id of the ops object it feeds (it has that object's type). */
  readonly ops: string;
  /**
   * Section annotation as written: `__initconst_cf_clobber` and
   * `__initdata_cf_clobber` put it where sealing looks; anything else
   * (`__initconstrel`, none) does not.
   */
  readonly annotation?: string;
  /** Member path → function id; absent or null members are NULL. */
  readonly members: Readonly<Record<string, string | null>>;
  /** Copied into the ops object by a presmp initcall (after the first pass of the `alternative` scheme). */
  readonly presmp?: boolean;
}

/** A function stored into an accelerated pointer directly by init code (`tick_source = hpet_tick;`). */
export interface ModelDirectAssignment {
  readonly ops: string;
  readonly member: string;
  /** Function id, or null when init code may store or leave NULL. */
  readonly function: string | null;
  readonly presmp?: boolean;
}

export interface PreviewModel {
  /** In order of first appearance; functions only named by tables are appended after them. */
  readonly functions: readonly ModelFunction[];
  readonly opsObjects: readonly ModelOpsObject[];
  readonly implTables: readonly ModelImplTable[];
  readonly directAssignments?: readonly ModelDirectAssignment[];
}

/** Fixed bases of the modelled sections; each has a 8 MiB window. */
export const SECTION_BASES = {
  '.text': 0xffff82d040200000n,
  '.data': 0xffff82d041000000n,
  '.init.text': 0xffff82d041800000n,
  '.init.rodata': 0xffff82d042000000n,
  '.init.data.cf_clobber': 0xffff82d042800000n,
  '.init.rodata.cf_clobber': 0xffff82d043000000n,
} as const;

export type ModelSectionName = keyof typeof SECTION_BASES;

const SECTION_WINDOW = 8 * 1024 * 1024;

/** Functions, ops objects and tables start on 64-byte boundaries. */
export const OBJECT_ALIGN = 64;

const CF_CLOBBER_ANNOTATIONS: Readonly<Record<string, ModelSectionName>> = {
  __initconst_cf_clobber: '.init.rodata.cf_clobber',
  __initdata_cf_clobber: '.init.data.cf_clobber',
};

export function tableSection(table: ModelImplTable): ModelSectionName {
  return CF_CLOBBER_ANNOTATIONS[table.annotation ?? ''] ?? '.init.rodata';
}

export interface PlacedFunction { readonly fn: ModelFunction; readonly address: bigint; readonly size: number; readonly endbr64: boolean }
export interface PlacedSite { readonly site: ModelSite; readonly function: ModelFunction; readonly address: bigint; readonly slot: bigint }
export interface PlacedObject { readonly name: string; readonly address: bigint; readonly size: number }

export interface ModelImage {
  readonly ibt: boolean;
  readonly image: MemoryImage;
  readonly functions: ReadonlyMap<string, PlacedFunction>;
  readonly opsObjects: ReadonlyMap<string, PlacedObject>;
  readonly tables: ReadonlyMap<string, PlacedObject>;
  /** Sites that could be placed (they name a known ops object and member). */
  readonly sites: ReadonlyMap<string, PlacedSite>;
  /** Why a site could not be placed. */
  readonly unplacedSites: ReadonlyMap<string, string>;
  /** Offsets used per ops object id and member path. */
  readonly memberOffsets: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /**
   * Per ops object id, when the struct layout is unknown: why, and the
   * members placed at index x 8 (a site's note names only its own member).
   */
  readonly layoutNotes: ReadonlyMap<string, LayoutFallback>;
  /** Inconsistencies in the model (unknown ids, overflowing sections). */
  readonly problems: readonly string[];
}

export interface LayoutFallback {
  /** `pet_ops: struct layout unknown (why); using member index x 8`. */
  readonly note: string;
  /** Member path -> the fallback offset it got. */
  readonly members: ReadonlyMap<string, number>;
}

export const idOf = (x: { name: string; id?: string }) => x.id ?? x.name;

/** At least one 64-byte block, so that every object has its own address. */
function paddedSize(length: number): number {
  return Math.max(Math.ceil(length / OBJECT_ALIGN), 1) * OBJECT_ALIGN;
}

/** A section filled object by object, each at the next 64-byte boundary. */
class SectionBuilder {
  private readonly chunks: { at: number; bytes: Uint8Array }[] = [];
  private size = 0;

  constructor(readonly name: ModelSectionName) {}

  get base(): bigint { return SECTION_BASES[this.name]; }

  /** Reserves `length` bytes, padded with `fill` to whole 64-byte blocks; returns their address. */
  place(length: number, fill: number): bigint {
    const at = this.size;
    this.chunks.push({ at, bytes: new Uint8Array(paddedSize(length)).fill(fill) });
    this.size = at + paddedSize(length);
    return addAddress(this.base, at);
  }

  write(address: bigint, bytes: Uint8Array): void {
    const offset = Number(address - this.base);
    const chunk = this.chunks.find((c) => offset >= c.at && offset + bytes.length <= c.at + c.bytes.length)!;
    chunk.bytes.set(bytes, offset - chunk.at);
  }

  build(problems: string[]): ImageSection | undefined {
    if (this.size === 0) return undefined;
    if (this.size > SECTION_WINDOW) problems.push(`${this.name} needs ${this.size} bytes, more than its 8 MiB window`);
    const bytes = new Uint8Array(this.size);
    for (const c of this.chunks) bytes.set(c.bytes, c.at);
    return { name: this.name, address: this.base, bytes };
  }
}

function pointerBytes(value: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, value, true);
  return b;
}

function duplicateIds(model: PreviewModel): string[] {
  const problems: string[] = [];
  const check = (what: string, ids: string[]) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) problems.push(`duplicate ${what} id \`${id}\`: the later one wins`);
      seen.add(id);
    }
  };
  check('function', model.functions.map(idOf));
  check('ops object', model.opsObjects.map(idOf));
  check('impl table', model.implTables.map(idOf));
  check('site', model.functions.flatMap((f) => f.sites ?? []).map((s) => s.id));
  return problems;
}

/** Offsets of each ops object's members: layout offsets, or index × 8 with a note. */
function resolveOffsets(model: PreviewModel, notes: Map<string, LayoutFallback>): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const ops of model.opsObjects) {
    const used = new Set<string>([
      ...ops.members,
      ...model.implTables.filter((t) => t.ops === idOf(ops)).flatMap((t) => Object.keys(t.members)),
      ...model.functions.flatMap((f) => f.sites ?? []).filter((s) => s.ops === idOf(ops)).map((s) => s.member),
    ]);
    const offsets = new Map<string, number>();
    const fallback = new Map<string, number>();
    let index = 0;
    for (const member of [...ops.members, ...[...used].filter((m) => !ops.members.includes(m))]) {
      const known = ops.memberOffsets?.[member];
      offsets.set(member, known ?? index * 8);
      if (known === undefined) fallback.set(member, index * 8);
      index++;
    }
    if (fallback.size > 0) {
      notes.set(idOf(ops), {
        note: `${ops.name}: struct layout unknown${ops.layoutProblem ? ` (${ops.layoutProblem})` : ''}; using member index x 8`,
        members: fallback,
      });
    }
    out.set(idOf(ops), offsets);
  }
  return out;
}

/**
 * Lays the model out as an image: `.text` from 0xffff82d040200000 with one
 * 64-byte aligned function per model function (endbr64 first when `ibt` and
 * the function has one, then its sites as `call *slot(%rip)`, int3 padding),
 * `__init` functions likewise in `.init.text`, ops objects (all pointers
 * NULL) in `.data`, impl tables in `.init.rodata` or their cf_clobber section.
 */
export function layoutModel(model: PreviewModel, options: { readonly ibt: boolean }): ModelImage {
  const layoutNotes = new Map<string, LayoutFallback>();
  const problems = duplicateIds(model);
  const sections = new Map<ModelSectionName, SectionBuilder>(
    (Object.keys(SECTION_BASES) as ModelSectionName[]).map((n) => [n, new SectionBuilder(n)]));
  const symbols: ImageSymbol[] = [];
  const memberOffsets = resolveOffsets(model, layoutNotes);

  const opsObjects = new Map<string, PlacedObject>();
  // A declared size smaller than the members' extent would not hold them: take the larger.
  const objectSize = (ops: ModelOpsObject) =>
    Math.max(ops.size ?? 0, 8, ...[...memberOffsets.get(idOf(ops))!.values()].map((o) => o + 8));
  for (const ops of model.opsObjects) {
    const size = objectSize(ops);
    const address = sections.get('.data')!.place(size, 0);
    opsObjects.set(idOf(ops), { name: ops.name, address, size });
    symbols.push({ name: ops.name, address, size });
  }

  // Functions named only by tables or direct assignments come after the listed ones.
  const functions = [...model.functions];
  const known = new Set(functions.map(idOf));
  const referenced = [
    ...model.implTables.flatMap((t) => Object.values(t.members)),
    ...(model.directAssignments ?? []).map((d) => d.function),
  ];
  for (const id of referenced) {
    if (id !== null && !known.has(id)) {
      known.add(id);
      functions.push({ name: id });
    }
  }

  const placedFunctions = new Map<string, PlacedFunction>();
  const sites = new Map<string, PlacedSite>();
  const unplacedSites = new Map<string, string>();
  for (const fn of functions) {
    const section = sections.get(fn.init ? '.init.text' : '.text')!;
    const endbr64 = options.ibt && fn.endbr64 !== false;
    const fnSites = fn.sites ?? [];
    const length = (endbr64 ? 4 : 0) + 6 * fnSites.length;
    const address = section.place(length, encode({ op: 'int3' })[0]!);
    const size = paddedSize(length);
    placedFunctions.set(idOf(fn), { fn, address, size, endbr64 });
    symbols.push({ name: fn.name, address, size });
    const insns: Insn[] = endbr64 ? [{ op: 'endbr64' }] : [];
    let at = addAddress(address, endbr64 ? 4 : 0);
    for (const site of fnSites) {
      const ops = site.ops === undefined ? undefined : opsObjects.get(site.ops);
      const offset = site.ops === undefined ? undefined : memberOffsets.get(site.ops)?.get(site.member);
      if (!ops || offset === undefined) {
        unplacedSites.set(site.id, site.ops === undefined ? 'the site names no ops object'
          : `unknown ops object \`${site.ops}\``);
        insns.push(...Array.from({ length: 6 }, (): Insn => ({ op: 'int3' })));
      } else {
        const slot = addAddress(ops.address, offset);
        insns.push(ripBranch('call-rip', at, slot)!);
        sites.set(site.id, { site, function: fn, address: at, slot });
      }
      at = addAddress(at, 6);
    }
    section.write(address, encodeAll(insns));
  }

  const tables = new Map<string, PlacedObject>();
  for (const table of model.implTables) {
    const ops = model.opsObjects.find((o) => idOf(o) === table.ops);
    if (!ops) {
      problems.push(`table ${table.name} feeds unknown ops object \`${table.ops}\``);
      continue;
    }
    const section = sections.get(tableSection(table))!;
    const size = objectSize(ops);
    const address = section.place(size, 0);
    tables.set(idOf(table), { name: table.name, address, size });
    symbols.push({ name: table.name, address, size });
    for (const [member, fnId] of Object.entries(table.members)) {
      if (fnId === null) continue;
      const offset = memberOffsets.get(table.ops)!.get(member)!;
      section.write(addAddress(address, offset), pointerBytes(placedFunctions.get(fnId)!.address));
    }
  }

  const built = [...sections.values()].map((s) => s.build(problems)).filter((s): s is ImageSection => !!s);
  return {
    ibt: options.ibt,
    image: { sections: built, symbols },
    functions: placedFunctions, opsObjects, tables, sites, unplacedSites,
    memberOffsets, layoutNotes, problems,
  };
}

/** Address of the accelerated pointer (ops object + member offset), if the model knows it. */
export function slotAddress(m: ModelImage, ops: string, member: string): bigint | undefined {
  const obj = m.opsObjects.get(ops);
  const offset = m.memberOffsets.get(ops)?.get(member);
  return obj && offset !== undefined ? addAddress(obj.address, offset) : undefined;
}

/** Stores that copy a table into its ops object (`ops = table;`), NULL members included. */
export function tableCopyWrites(m: ModelImage, table: ModelImplTable): { address: bigint; value: bigint }[] {
  const offsets = m.memberOffsets.get(table.ops);
  const ops = m.opsObjects.get(table.ops);
  if (!offsets || !ops) return [];
  return [...offsets].map(([member, offset]) => {
    const fnId = table.members[member];
    return {
      address: addAddress(ops.address, offset),
      value: fnId ? m.functions.get(fnId)!.address : 0n,
    };
  });
}
