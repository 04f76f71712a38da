/**
 * The stable JSON form of a preview (`altcall-lint preview --format json`),
 * documented in README.md. One `sites` entry per site and IBT setting;
 * lines and columns 1-based; addresses `0x` + lower-case hex; bytes as
 * space-separated hex pairs; `asm` one string per instruction, as objdump
 * prints it.
 */
import { splitId } from '../engine/report/indexJson';
import type { AsmBlock, CandidatePreview, VariantPreview } from '../patch';
import { hex, hexBytes } from '../x86';
import type { PreviewReport, SitePreviewEntry } from './preview';

export interface AsmJson { bytes: string; asm: string[] }

export interface CandidateJson {
  /** `table`: an impl table sets the pointer; `direct`: init code or a static initialiser does; `unset`: it stays NULL. */
  kind: 'table' | 'direct' | 'unset';
  /** The impl table's name; null for a direct assignment and for `unset`. */
  table: string | null;
  tableFile: string | null;
  /** For `unset`: the tables that leave the pointer NULL. */
  unsetBy: string[];
  /** The function the pointer holds; null when NULL. */
  target: string | null;
  /** Where the patched call goes (past the endbr64 under IBT); null for a trap. */
  targetAddress: string | null;
  /** `svm_get_cpl+0x4`. */
  targetSymbol: string | null;
  status: 'direct' | 'trap' | 'unpatched' | 'error';
  /** The pass that decided the bytes: `first`, `forced` (scheme alternative) or `alt_calls`. */
  pass: string | null;
  after: AsmJson;
  notes: string[];
  warnings: string[];
  errors: string[];
}

export interface PreviewSiteJson {
  file: string;
  line: number;
  column: number;
  /** The invocation as written. */
  text: string;
  macro: string;
  wrappers: string[];
  function: string;
  /** Ops object name and defining file; null when the site names none. */
  ops: string | null;
  opsFile: string | null;
  member: string;
  profile: string;
  scheme: string;
  ibt: boolean;
  siteAddress: string | null;
  /** The accelerated pointer's address and symbol (`hvm_funcs+0x98`). */
  slotAddress: string | null;
  slot: string | null;
  before: AsmJson | null;
  candidates: CandidateJson[];
  /** This site's targets whose endbr64 the sealing poisons (IBT on), and how many other functions it poisons. */
  sealed: string[];
  sealedElsewhere: number;
  notes: string[];
  errors: string[];
}

export interface PreviewJson {
  version: 1;
  profile: string;
  sites: PreviewSiteJson[];
}

const address = (v: bigint | null) => (v === null ? null : `0x${hex(v)}`);
const asmJson = (b: AsmBlock): AsmJson => ({ bytes: hexBytes(b.bytes), asm: [...b.asm] });

function candidateJson(c: CandidatePreview, tableFile: (name: string) => string | null): CandidateJson {
  return {
    kind: c.kind,
    table: c.table,
    tableFile: c.table === null ? null : tableFile(c.table),
    unsetBy: [...c.tables],
    target: c.function,
    targetAddress: address(c.target),
    targetSymbol: c.targetSymbol,
    status: c.status,
    pass: c.pass,
    after: asmJson(c.after),
    notes: [...c.notes],
    warnings: [...c.warnings],
    errors: [...c.errors],
  };
}

function entryJson(e: SitePreviewEntry, report: PreviewReport): PreviewSiteJson[] {
  const { site, preview } = e;
  const display = report.display;
  const base = {
    file: preview.site.file ?? site.file,
    line: site.span.line + 1,
    column: site.span.col + 1,
    text: preview.site.text ?? site.target,
    macro: site.macro,
    wrappers: site.wrappers,
    function: preview.function,
    ops: site.opsName,
    opsFile: site.ops ? display(splitId(site.ops).file) || null : null,
    member: site.member,
    profile: report.profile.name,
  };
  const tableFile = (name: string) => {
    const t = e.ops?.tables.find((x) => x.name === name);
    return t ? display(t.file) : null;
  };
  if (preview.variants.length === 0) {
    return report.variants.map((v) => ({
      ...base, scheme: v.scheme, ibt: v.ibt, siteAddress: null, slotAddress: null, slot: null, before: null,
      candidates: [], sealed: [], sealedElsewhere: 0, notes: [], errors: [...preview.errors],
    }));
  }
  return preview.variants.map((v: VariantPreview) => ({
    ...base,
    scheme: v.variant.scheme,
    ibt: v.variant.ibt,
    siteAddress: address(v.siteAddress),
    slotAddress: address(v.slotAddress),
    slot: v.slotSymbol,
    before: asmJson(v.before),
    candidates: v.candidates.map((c) => candidateJson(c, tableFile)),
    sealed: v.sealed.map((s) => s.function),
    sealedElsewhere: v.sealedElsewhere,
    notes: [...v.notes],
    errors: [...preview.errors, ...v.errors],
  }));
}

export function previewToJson(report: PreviewReport): PreviewJson {
  return { version: 1, profile: report.profile.name, sites: report.entries.flatMap((e) => entryJson(e, report)) };
}
