/**
 * Hover: what a site calls and how it is patched, a summary of an ops
 * object, an accelerated member or an impl table, and the meaning of
 * site macros and annotations.
 */
import * as path from 'node:path';
import type { Candidate, ImplTableInfo, OpsObjectInfo, SiteInfo } from '../engine/index/types';
import type { IndexResult } from '../engine/index/workspace';
import type { Finding } from '../engine/rules/types';
import { dotted, sitesUnder } from '../engine/rules/describe';
import { splitId } from '../engine/report/indexJson';
import { previewToJson, type Previewer } from '../preview';
import { wordDoc } from './docs';
import { membersUnder, writesOf, type Found } from './lookup';
import type { Profile } from '../engine/config/profiles';

export interface HoverContext {
  result: IndexResult;
  profile: Profile;
  /** Asked only by summaries: computing findings costs a rules run when the index changed. */
  findings: () => readonly Finding[];
  /** Null when previews cannot be made (no index yet). */
  previewer: () => Previewer | null;
  /** How a file is named to the user (relative to its folder). */
  display: (file: string) => string;
}

export function hoverMarkdown(found: Found, ctx: HoverContext): string | null {
  switch (found.kind) {
    case 'site':
      if (found.onPointer) return siteHover(found.site, ctx);
      return macroHover(found.word.text, found.site, ctx);
    case 'pointer':
      return found.member && membersUnder(found.ops, found.member).length > 0 ? memberHover(found.ops, found.member, ctx) : opsHover(found.ops, ctx);
    case 'table':
      return tableHover(found.table, ctx);
    case 'word':
      return wordDoc(found.word.text, ctx.profile);
  }
}

const code = (s: string) => `\`${s}\``;

function where(file: string, line: number, ctx: HoverContext): string {
  return `${ctx.display(file)}:${line + 1}`;
}

function siteHover(site: SiteInfo, ctx: HoverContext): string {
  const out: string[] = [];
  const via = site.wrappers.length ? ` via ${site.wrappers.map(code).join(' → ')} → ${code(site.macro)}` : ` (${code(site.macro)})`;
  if (!site.ops || !site.patchable) {
    out.push(`**Alternative-call site**${via}: calls through ${code(site.target)}.`);
    out.push(`**Cannot be patched**: ${site.reason ?? 'its first argument names no file-scope object'}.`);
    return out.join('\n\n');
  }
  const ops = ctx.result.objects.find((o) => o.id === site.ops);
  out.push(`**Alternative-call site**${via}: calls through ${code(dotted(site.opsName ?? site.target, site.member))}.`);
  if (ops) {
    out.push(`Ops object ${code(ops.name)}, defined at ${where(ops.file, ops.span.line, ctx)}.`);
    out.push(candidateList(ops, site.member, ctx));
  }
  const preview = shortPreview(site, ctx);
  if (preview) out.push(preview);
  return out.join('\n\n');
}

function candidateList(ops: OpsObjectInfo, member: string, ctx: HoverContext): string {
  const candidates = ops.candidates[member] ?? [];
  if (candidates.length === 0) return 'No candidate target is known: nothing found stores a function into this pointer.';
  return ['Possible targets once init code is done:', ...candidates.map((c) => `- ${candidateLine(c, ctx)}`)].join('\n');
}

function candidateLine(c: Candidate, ctx: HoverContext): string {
  const source = c.table ? `impl table ${code(splitId(c.table).name)}` : c.at ? `assigned at ${where(c.at.file, c.at.span.line, ctx)}` : 'assigned in init code';
  if (c.target === null) return `${source} → **unset** (NULL: a site patched with it traps)`;
  const at = c.targetFile ? ` (${ctx.display(c.targetFile)})` : '';
  return `${source} → ${code(c.target)}${at}`;
}

/** The site's code before patching and after it, for each candidate, under the folder's profile and IBT setting. */
function shortPreview(site: SiteInfo, ctx: HoverContext): string | null {
  const previewer = ctx.previewer();
  if (!previewer) return null;
  const json = previewToJson(previewer.preview([site]));
  const v = json.sites[0];
  if (!v || !v.before) return null;
  const rows: Array<[string, string]> = [['before', v.before.asm.join('; ')]];
  for (const c of v.candidates) rows.push([c.table ?? c.target ?? 'unset', c.after.asm.join('; ')]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const body = rows.map(([label, asm]) => `${label.padEnd(width)}  ${asm}`).join('\n');
  return `Patched by \`${json.profile}\` (${v.scheme}, IBT ${v.ibt ? 'on' : 'off'}):\n\n\`\`\`\n${body}\n\`\`\``;
}

function macroHover(word: string, site: SiteInfo, ctx: HoverContext): string {
  const out: string[] = [];
  if (site.wrappers.includes(word)) {
    const chain = site.wrappers.slice(site.wrappers.indexOf(word));
    out.push(`${code(word)} wraps an alternative-call site: ${[...chain, site.macro].map(code).join(' → ')}, here calling through ${code(site.target)}.`);
  }
  const doc = wordDoc(site.macro, ctx.profile);
  if (doc) out.push(doc);
  return out.join('\n\n');
}

function memberHover(ops: OpsObjectInfo, member: string, ctx: HoverContext): string {
  const out = [`**Accelerated pointer** ${code(dotted(ops.name, member))} (ops object defined at ${where(ops.file, ops.span.line, ctx)}).`];
  const sites = sitesUnder(ops.sites, member);
  out.push(`${count(sites.length, 'site')} ${sites.length === 1 ? 'calls' : 'call'} through it.`);
  for (const m of membersUnder(ops, member)) {
    out.push(`${membersUnder(ops, member).length > 1 ? `${code(m)}: ` : ''}${candidateList(ops, m, ctx)}`);
  }
  const writes = writesOf(ops, member);
  if (writes.length) out.push(`Written ${count(writes.length, 'time')}, ${writes.filter((w) => w.afterPatch).length} after the patch point.`);
  return out.join('\n\n');
}

function opsHover(ops: OpsObjectInfo, ctx: HoverContext): string {
  const annotations = ops.decl?.annotations.map((a) => a.name) ?? [];
  const out = [`**Ops object** ${code(ops.name)}, defined at ${where(ops.file, ops.span.line, ctx)}${annotations.length ? ` as ${annotations.map(code).join(' ')}` : ' with no annotation'}.`];
  const members = ops.members.map((m) => code(m || ops.name));
  out.push([
    `- ${count(ops.sites.length, 'site')} through ${members.join(', ')}`,
    `- impl tables: ${ops.tables.length ? ops.tables.map((t) => `${code(t.name)} (${where(t.file, t.span.line, ctx)})`).join(', ') : 'none'}`,
    `- runtime uses other than sites: ${ops.runtimeUses.length}`,
    `- writes: ${ops.writes.length}, ${ops.writes.filter((w) => w.afterPatch).length} after the patch point`,
  ].join('\n'));
  const findings = findingsAt(ops.file, ops.span.start, ctx);
  if (findings) out.push(findings);
  return out.join('\n\n');
}

function tableHover(table: ImplTableInfo, ctx: HoverContext): string {
  const ops = ctx.result.objects.find((o) => o.id === table.ops);
  const out = [`**Impl table** ${code(table.name)} for ops object ${code(ops?.name ?? splitId(table.ops).name)}: ${table.flow}.`];
  if (ops) {
    const rows = ops.members.map((m) => {
      const c = (ops.candidates[m] ?? []).find((x) => x.table === table.id);
      return `- ${code(dotted(ops.name, m))} → ${c === undefined ? 'not from this table' : c.target === null ? '**unset**' : code(c.target)}`;
    });
    if (rows.length) out.push(rows.join('\n'));
  }
  const findings = findingsAt(table.file, table.span.start, ctx);
  if (findings) out.push(findings);
  return out.join('\n\n');
}

function findingsAt(file: string, start: number, ctx: HoverContext): string | null {
  const here = ctx.findings().filter((f) => f.file === file && f.span.start === start);
  return here.length ? here.map((f) => `- ${f.severity} ${code(f.rule)}: ${f.message}`).join('\n') : null;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Files named relative to the folder they are in. */
export function displayFrom(root: string | null): (file: string) => string {
  return (file) => (root === null ? file : path.relative(root, file));
}
