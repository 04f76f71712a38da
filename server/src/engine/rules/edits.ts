/**
 * Text edits: applying them (for `--fix` and the tests), and the edits the
 * rules' fixes are made of (placement annotations, `const`).
 */
import type { Annotation, VarFact } from '../facts/types';
import type { Names } from '../config/profiles';
import type { TextEdit } from './types';

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
