/**
 * Text edits: applying them (for `--fix` and the tests), and the edits the
 * rules' fixes are made of (placement annotations, `const`), and choosing which
 * preferred fixes apply together (`--fix`, the editor's fix-all).
 */
import type { Annotation, VarFact } from '../facts/types';
import type { Names } from '../config/profiles';
import type { Finding, TextEdit } from './types';

/**
 * Applies edits to one file's text. Identical edits (two findings proposing
 * the same change) count once; overlapping ones, or two different
 * insertions at one offset, are refused: their result would depend on order.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const files = new Set(edits.map((e) => e.file));
  if (files.size > 1) throw new Error(`edits for several files: ${[...files].join(', ')}`);
  const sorted = dedupe(edits).sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  let previous: TextEdit | null = null;
  for (const e of sorted) {
    if (!Number.isInteger(e.start) || !Number.isInteger(e.end) || e.start < 0 || e.end < e.start || e.end > text.length) {
      throw new Error(`edit [${e.start}, ${e.end}) is outside the text (length ${text.length})`);
    }
    if (previous && (e.start < previous.end || (e.start === previous.start && e.start === e.end && previous.start === previous.end))) {
      throw new Error(`edits [${previous.start}, ${previous.end}) and [${e.start}, ${e.end}) overlap`);
    }
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
    previous = e;
  }
  return out + text.slice(at);
}

function dedupe(edits: readonly TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = `${e.start}:${e.end}:${e.newText}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Section annotations under their usual names, whatever the profile: a fix replaces any of them. */
const KNOWN_PLACEMENT = [
  '__read_mostly', '__ro_after_init', '__initdata', '__initconst', '__initconstrel', '__initconst_cf_clobber',
  '__initdata_cf_clobber', '__alt_call_maybe_initdata', '__alt_call_maybe_initconst',
];

/** The annotations of `decl` that choose its section (as opposed to `__used`, `cf_check`, ...). */
export function placementAnnotations(decl: VarFact, names: Names): Annotation[] {
  const placement = new Set([
    ...KNOWN_PLACEMENT, names.opsAnnotation, names.keptAtRuntime, names.implTableConst, names.implTableWritable,
    names.deprecatedAnnotation, ...names.initDataAnnotations,
  ]);
  return decl.annotations.filter((a) => placement.has(a.name));
}

/**
 * Edits that leave `wanted` as the declaration's only placement annotation:
 * the first one present is renamed in place, others are removed, and with
 * none it goes right before the declared name (`struct x __ann name`,
 * `(*__ann name)(void)`), where Xen writes it.
 */
export function setPlacement(file: string, text: string, decl: VarFact, wanted: string, names: Names): TextEdit[] {
  const current = placementAnnotations(decl, names);
  if (current.length === 0) return [{ file, start: decl.span.start, end: decl.span.start, newText: `${wanted} ` }];
  const [first, ...rest] = current;
  const edits: TextEdit[] = first.name === wanted ? [] : [{ file, start: first.span.start, end: first.span.end, newText: wanted }];
  for (const a of rest) {
    let end = a.span.end;
    while (text[end] === ' ' || text[end] === '\t') end++;
    edits.push({ file, start: a.span.start, end, newText: '' });
  }
  return edits;
}

export function addConst(file: string, decl: VarFact): TextEdit {
  return { file, start: decl.typeStart, end: decl.typeStart, newText: 'const ' };
}

export interface FixPlan {
  /** Per file, edits that do not overlap (a fix whose edits span files is split). */
  edits: Map<string, TextEdit[]>;
  /** The findings each file's edits fix. */
  fixed: Map<string, Finding[]>;
  /** Preferred fixes left out because they overlap one taken before. */
  skipped: Finding[];
}

/**
 * Takes findings' preferred fixes in order; a fix that overlaps one taken
 * earlier is skipped whole (the next run, on the fixed text, offers it
 * again if it still applies). An edit identical to one taken is no overlap:
 * two findings may propose the same change.
 */
export function planFixes(findings: readonly Finding[]): FixPlan {
  const plan: FixPlan = { edits: new Map(), fixed: new Map(), skipped: [] };
  const taken: TextEdit[] = [];
  for (const finding of findings) {
    const fix = finding.fixes.find((f) => f.preferred);
    if (!fix) continue;
    const clash = fix.edits.some((e, i) => taken.some((t) => overlaps(e, t)) || fix.edits.slice(0, i).some((o) => overlaps(e, o)));
    if (clash) {
      plan.skipped.push(finding);
      continue;
    }
    for (const e of fix.edits) {
      taken.push(e);
      plan.edits.set(e.file, [...(plan.edits.get(e.file) ?? []), e]);
    }
    for (const file of new Set(fix.edits.map((e) => e.file))) plan.fixed.set(file, [...(plan.fixed.get(file) ?? []), finding]);
  }
  return plan;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file) return false;
  if (a.start === b.start && a.end === b.end && a.newText === b.newText) return false;
  // Two insertions at one offset: their order would decide the result.
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}
