import { decodeAll, Decoded, formatInsn, listingLine, Syntax } from '../x86';
import {
  idOf, layoutModel, ModelFunction, ModelImage, ModelImplTable, ModelSite, PlacedFunction, PlacedSite, PreviewModel, slotAddress,
  tableCopyWrites, tableSection,
} from './image';
import { cloneImage, imageSymbolizer, MemoryImage, readBytes, symbolName, writePointer } from './memory';
import { bootPatch, Messages, PatchPass, PointerWrite, Scheme, SiteStatus } from './patcher';

/** One scheme × IBT combination to preview (a profile). */
export interface PreviewVariant {
  readonly scheme: Scheme;
  readonly ibt: boolean;
  /** False for Xen 4.13..4.16; default true. */
  readonly ibtSupported?: boolean;
  /** Shown in the text form, e.g. the profile name. */
  readonly label?: string;
}

export interface PreviewOptions {
  readonly variants: readonly PreviewVariant[];
  /** Syntax of the `asm` and `listing` strings; default AT&T. */
  readonly syntax?: Syntax;
}

/** Instructions at the site: bytes, decoded, and as text (objdump style, symbolized). */
export interface AsmBlock {
  readonly bytes: Uint8Array;
  readonly insns: readonly Decoded[];
  /** One instruction text per instruction. */
  readonly asm: readonly string[];
  /** One listing line per instruction: address, bytes, text. */
  readonly listing: readonly string[];
}

/** `table`: an impl table sets the member; `direct`: init code assigns it; `unset`: it stays NULL. */
export type CandidateKind = 'table' | 'direct' | 'unset';

export interface CandidatePreview extends Messages {
  readonly kind: CandidateKind;
  /** Row label: the table name, the assigned function, or `unset`. */
  readonly label: string;
  /** The impl table, for kind `table`. */
  readonly table: string | null;
  /** For kind `unset`: the tables that leave the member NULL (empty when nothing sets it). */
  readonly tables: readonly string[];
  /** The function the pointer holds; null when NULL. */
  readonly function: string | null;
  readonly functionAddress: bigint | null;
  /** Where the patched call goes (past the endbr64 under IBT), and its symbolic name (`dog_feed+0x4`). */
  readonly target: bigint | null;
  readonly targetSymbol: string | null;
  readonly status: SiteStatus;
  readonly pass: PatchPass | null;
  readonly after: AsmBlock;
}

export interface SealedFunction {
  readonly function: string;
  readonly address: bigint;
  /** Tables whose pointers led to the poisoning, and their annotations. */
  readonly tables: readonly string[];
  readonly annotations: readonly string[];
}

export interface VariantPreview extends Pick<Messages, 'notes' | 'errors'> {
  readonly variant: PreviewVariant;
  readonly siteAddress: bigint;
  readonly slotAddress: bigint;
  /** `pet_ops+0x8`. */
  readonly slotSymbol: string;
  readonly before: AsmBlock;
  readonly candidates: readonly CandidatePreview[];
  readonly sealingRan: boolean;
  /**
   * This site's candidate functions whose endbr64 the sealing poisons (the
   * same for every candidate); a whole tree's model seals many more.
   */
  readonly sealed: readonly SealedFunction[];
  /** How many other functions of the model the sealing poisons. */
  readonly sealedElsewhere: number;
}

export interface SitePreview {
  readonly site: ModelSite;
  /** Name of the enclosing function. */
  readonly function: string;
  /** Name of the ops object, when the model knows it. */
  readonly opsName: string | null;
  readonly variants: readonly VariantPreview[];
  /** Why the site cannot be previewed at all. */
  readonly errors: readonly string[];
}

interface Candidate {
  readonly kind: CandidateKind;
  readonly label: string;
  readonly table: ModelImplTable | null;
  readonly tables: readonly string[];
  readonly functionId: string | null;
  readonly writes: (m: ModelImage) => PointerWrite[];
  readonly presmp: boolean;
}

/** The values the site's pointer may hold once init code is done: per table, per direct assignment, NULL. */
function candidatesFor(model: PreviewModel, site: ModelSite): Candidate[] {
  const ops = site.ops!;
  const out: Candidate[] = [];
  const unsetTables: string[] = [];
  let unset = false;
  for (const table of model.implTables.filter((t) => t.ops === ops)) {
    const fnId = table.members[site.member] ?? null;
    if (fnId === null) {
      unsetTables.push(table.name);
      unset = true;
      continue;
    }
    out.push({
      kind: 'table', label: table.name, table, tables: [], functionId: fnId,
      writes: (m) => tableCopyWrites(m, table), presmp: table.presmp ?? false,
    });
  }
  for (const d of (model.directAssignments ?? []).filter((a) => a.ops === ops && a.member === site.member)) {
    if (d.function === null) {
      unset = true;
      continue;
    }
    const fnId = d.function;
    const fnName = model.functions.find((f) => idOf(f) === fnId)?.name ?? fnId;
    out.push({
      kind: 'direct', label: fnName, table: null, tables: [], functionId: fnId,
      writes: (m) => [{ address: slotAddress(m, ops, site.member)!, value: m.functions.get(fnId)!.address }],
      presmp: d.presmp ?? false,
    });
  }
  if (unset || out.length === 0) {
    out.push({ kind: 'unset', label: 'unset', table: null, tables: unsetTables, functionId: null, writes: () => [], presmp: false });
  }
  return out;
}

function asmBlock(image: MemoryImage, insns: readonly Decoded[], bytes: Uint8Array, syntax: Syntax): AsmBlock {
  const symbolize = imageSymbolizer(image);
  return {
    bytes, insns,
    asm: insns.map((d) => formatInsn(d, { syntax, symbolize })),
    listing: insns.map((d) => listingLine(d, { syntax, symbolize })),
  };
}

const functionIndex = new WeakMap<ModelImage, Map<bigint, PlacedFunction>>();

/** A whole tree's sealing poisons hundreds of functions per candidate: look them up by address. */
function functionsByAddress(m: ModelImage): Map<bigint, PlacedFunction> {
  let index = functionIndex.get(m);
  if (!index) {
    index = new Map([...m.functions.values()].map((f) => [f.address, f]));
    functionIndex.set(m, index);
  }
  return index;
}

/** Which tables' pointers the sealing walk followed to each poisoned function. */
function sealedFunctions(m: ModelImage, model: PreviewModel, poisoned: readonly { pointerAt: bigint; value: bigint }[]): SealedFunction[] {
  const byAddress = new Map<bigint, { function: string; tables: Set<string>; annotations: Set<string> }>();
  const functionAt = functionsByAddress(m);
  for (const e of poisoned) {
    const fn = functionAt.get(e.value);
    const table = model.implTables.find((t) => {
      const placed = m.tables.get(idOf(t));
      return placed && e.pointerAt >= placed.address && e.pointerAt < placed.address + BigInt(placed.size);
    });
    const entry = byAddress.get(e.value)
      ?? { function: fn?.fn.name ?? symbolName(m.image, e.value), tables: new Set(), annotations: new Set() };
    if (table) {
      entry.tables.add(table.name);
      entry.annotations.add(table.annotation ?? tableSection(table));
    }
    byAddress.set(e.value, entry);
  }
  return [...byAddress].map(([address, e]) => ({
    function: e.function, address, tables: [...e.tables], annotations: [...e.annotations],
  }));
}

/** Why the site's slot offset is a fallback, when it is. */
function layoutNote(m: ModelImage, site: ModelSite): string[] {
  const fallback = m.layoutNotes.get(site.ops!);
  const offset = fallback?.members.get(site.member);
  return fallback && offset !== undefined ? [`${fallback.note}: ${site.member || '(the pointer)'} at ${offset}`] : [];
}

function previewVariant(model: PreviewModel, m: ModelImage, placed: PlacedSite, variant: PreviewVariant, syntax: Syntax): VariantPreview {
  const config = { scheme: variant.scheme, ibt: variant.ibt, ibtSupported: variant.ibtSupported };
  let sealingRan = false;
  let sealed: SealedFunction[] = [];
  const errors = [...m.problems];
  const found = candidatesFor(model, placed.site);
  const candidates = found.map((c): CandidatePreview => {
    const writes = c.writes(m);
    const initial = c.presmp ? [] : writes;
    const image = cloneImage(m.image);
    for (const w of initial) writePointer(image, w.address, w.value);
    const result = bootPatch({
      config, image, sites: [{ site: placed.address }], presmpWrites: c.presmp ? writes : [],
    });
    sealingRan = result.sealingRan;
    sealed = sealedFunctions(m, model, result.sealed.filter((e) => e.poisoned));
    errors.push(...result.errors.filter((e) => !errors.includes(e)));
    const s = result.sites[0]!;
    const fn = c.functionId === null ? undefined : m.functions.get(c.functionId);
    const member = placed.site.member || 'the pointer';
    const notes = c.kind !== 'unset' ? [] : [c.tables.length > 0
      ? `${c.tables.join(', ')} ${c.tables.length > 1 ? 'leave' : 'leaves'} ${member} NULL`
      : `nothing in the model sets ${member}`];
    notes.push(...s.notes);
    if (fn && sealed.some((x) => x.address === fn.address)) {
      notes.push(`${fn.fn.name}'s endbr64 is poisoned by sealing: only direct calls reach it after boot`);
    }
    return {
      kind: c.kind, label: c.label, table: c.table?.name ?? null, tables: c.tables,
      function: fn?.fn.name ?? null, functionAddress: fn?.address ?? null,
      target: s.target ?? null,
      targetSymbol: s.target === undefined ? null : symbolName(result.image, s.target),
      status: s.status, pass: s.pass ?? null,
      after: asmBlock(result.image, s.afterInsns, s.after, syntax),
      notes, warnings: s.warnings, errors: s.errors,
    };
  });
  const beforeBytes = readBytes(m.image, placed.address, 6)!;
  const mine = new Set(found.map((c) => c.functionId).filter((id): id is string => id !== null).map((id) => m.functions.get(id)!.address));
  const ownSealed = sealed.filter((s) => mine.has(s.address));
  return {
    variant, siteAddress: placed.address, slotAddress: placed.slot, slotSymbol: symbolName(m.image, placed.slot),
    before: asmBlock(m.image, decodeAll(beforeBytes, placed.address), beforeBytes, syntax),
    candidates, sealingRan, sealed: ownSealed, sealedElsewhere: sealed.length - ownSealed.length, errors,
    notes: layoutNote(m, placed.site),
  };
}

/** Lays the model out once per IBT setting (endbr64 shifts every address). */
function layoutCache(model: PreviewModel): (ibt: boolean) => ModelImage {
  const cache = new Map<boolean, ModelImage>();
  return (ibt) => {
    let m = cache.get(ibt);
    if (!m) {
      m = layoutModel(model, { ibt });
      cache.set(ibt, m);
    }
    return m;
  };
}

function previewWith(model: PreviewModel, site: ModelSite, fn: ModelFunction, options: PreviewOptions, layout: (ibt: boolean) => ModelImage): SitePreview {
  const opsName = model.opsObjects.find((o) => idOf(o) === site.ops)?.name ?? null;
  const first = layout(false);
  const unplaced = first.unplacedSites.get(site.id);
  if (unplaced !== undefined) return { site, function: fn.name, opsName, variants: [], errors: [unplaced] };
  const syntax = options.syntax ?? 'att';
  const variants = options.variants.map((variant) => {
    const m = layout(variant.ibt);
    return previewVariant(model, m, m.sites.get(site.id)!, variant, syntax);
  });
  return { site, function: fn.name, opsName, variants, errors: [] };
}

/**
 * Previews sites of one model by `ModelSite.id`, laying the model out once
 * per IBT setting for all of them; undefined for an id the model lacks.
 */
export function sitePreviewer(model: PreviewModel, options: PreviewOptions): (siteId: string) => SitePreview | undefined {
  const layout = layoutCache(model);
  const sites = new Map(model.functions.flatMap((fn) => (fn.sites ?? []).map((site) => [site.id, { site, fn }] as const)));
  return (siteId) => {
    const found = sites.get(siteId);
    return found && previewWith(model, found.site, found.fn, options, layout);
  };
}

/**
 * The preview of one site (by `ModelSite.id`) for each variant: bytes before,
 * and after boot patching for each candidate value of its pointer. Undefined
 * when the model has no such site.
 */
export function previewSite(model: PreviewModel, siteId: string, options: PreviewOptions): SitePreview | undefined {
  return sitePreviewer(model, options)(siteId);
}

/** The previews of every site of the model, in function order. */
export function previewAll(model: PreviewModel, options: PreviewOptions): SitePreview[] {
  const preview = sitePreviewer(model, options);
  return model.functions.flatMap((f) => f.sites ?? []).map((site) => preview(site.id)!);
}
