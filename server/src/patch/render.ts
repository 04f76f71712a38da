import { CandidatePreview, SitePreview, VariantPreview } from './preview';

/** Text form of previews, as PATCHING.md section 6 shows it: one block per site and variant. */

function siteTitle(p: SitePreview): string {
  const where = p.site.file !== undefined ? `${p.site.file}${p.site.line !== undefined ? `:${p.site.line}` : ''}` : p.site.id;
  return p.site.text ? `${where}  ${p.site.text}` : where;
}

function variantTitle(v: VariantPreview): string {
  const label = v.variant.label ? ` (${v.variant.label})` : '';
  return `scheme ${v.variant.scheme}, IBT ${v.variant.ibt ? 'on' : 'off'}${label}`;
}

function messages(indent: string, c: { notes: readonly string[]; warnings?: readonly string[]; errors: readonly string[] }): string[] {
  return [
    ...c.errors.map((m) => `${indent}error: ${m}`),
    ...(c.warnings ?? []).map((m) => `${indent}warning: ${m}`),
    ...c.notes.map((m) => `${indent}note: ${m}`),
  ];
}

function rows(label: string, width: number, listing: readonly string[]): string[] {
  return listing.map((line, i) => `${(i === 0 ? label : '').padEnd(width)}${line}`);
}

function candidateRows(c: CandidatePreview, width: number): string[] {
  const lines = c.label.length >= width
    ? [c.label, ...rows('', width, c.after.listing)]
    : rows(c.label, width, c.after.listing);
  return [...lines, ...messages(' '.repeat(width), c)];
}

function sealedLine(v: VariantPreview, width: number): string[] {
  if (!v.sealingRan) return [];
  const others = v.sealedElsewhere === 0 ? '' : `${v.sealedElsewhere} other function${v.sealedElsewhere > 1 ? 's' : ''}`;
  if (v.sealed.length === 0) {
    return [`${'sealed'.padEnd(width)}${others ? `no target of this site poisoned (endbr64 poisoned at ${others})` : 'no endbr64 poisoned'}`];
  }
  const annotations = [...new Set(v.sealed.flatMap((s) => s.annotations))];
  const where = annotations.length > 0 ? ` (tables in ${annotations.join(', ')})` : '';
  return [`${'sealed'.padEnd(width)}endbr64 poisoned at ${v.sealed.map((s) => s.function).join(', ')}${where}${others ? `, and at ${others}` : ''}`];
}

function variantBlock(p: SitePreview, v: VariantPreview): string[] {
  const width = Math.max(6, ...v.candidates.map((c) => c.label.length).filter((n) => n <= 24)) + 2;
  return [
    `site  ${siteTitle(p)}   ${variantTitle(v)}`,
    ...v.errors.map((m) => `error: ${m}`),
    ...v.notes.map((m) => `note: ${m}`),
    ...rows('before', width, v.before.listing),
    ...v.candidates.flatMap((c) => candidateRows(c, width)),
    ...sealedLine(v, width),
  ];
}

export function renderPreviewText(previews: readonly SitePreview[]): string {
  const blocks = previews.flatMap((p) => (p.variants.length === 0
    ? [[`site  ${siteTitle(p)}`, ...p.errors.map((m) => `error: ${m}`)]]
    : p.variants.map((v) => variantBlock(p, v))));
  return blocks.map((b) => b.join('\n')).join('\n\n') + (blocks.length > 0 ? '\n' : '');
}
