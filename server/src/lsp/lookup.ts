/**
 * What the identifier at a position is, in the index's terms: a site (and
 * whether the position is on its accelerated pointer), an `ops.member`
 * path written anywhere, an ops object, an impl table, or just a word
 * (a macro or annotation name) for the documentation.
 */
import type { ImplTableInfo, OpsObjectInfo, SiteInfo, WriteInfo } from '../engine/index/types';
import type { IndexResult } from '../engine/index/workspace';

export interface Word { text: string; start: number; end: number; }

export type Found =
  | { kind: 'site'; site: SiteInfo; word: Word; onPointer: boolean }
  | { kind: 'pointer'; ops: OpsObjectInfo; member: string; word: Word }
  | { kind: 'table'; table: ImplTableInfo; word: Word }
  | { kind: 'word'; word: Word };

const IDENT = /[A-Za-z0-9_]/;

/** The identifier covering `offset`, or ending right before it (a cursor after a word). */
export function wordAt(text: string, offset: number): Word | null {
  let at = offset;
  if (!IDENT.test(text[at] ?? '') && IDENT.test(text[at - 1] ?? '')) at--;
  if (!IDENT.test(text[at] ?? '')) return null;
  let start = at;
  let end = at + 1;
  while (start > 0 && IDENT.test(text[start - 1])) start--;
  while (end < text.length && IDENT.test(text[end])) end++;
  if (/^[0-9]/.test(text[start])) return null;
  return { text: text.slice(start, end), start, end };
}

/** `a.b.c` ending at `word`: the identifiers joined by `.` before it ('->' ends the path: not a file-scope object). */
export function memberPath(text: string, word: Word): string[] {
  const parts = [word.text];
  let i = word.start;
  for (;;) {
    let j = i - 1;
    while (j >= 0 && /\s/.test(text[j])) j--;
    if (text[j] !== '.') break;
    j--;
    while (j >= 0 && /\s/.test(text[j])) j--;
    const end = j + 1;
    while (j >= 0 && IDENT.test(text[j])) j--;
    if (j + 1 === end) break;
    parts.unshift(text.slice(j + 1, end));
    i = j + 1;
  }
  return parts;
}

export function lookup(result: IndexResult, file: string, text: string, offset: number): Found | null {
  const word = wordAt(text, offset);
  if (!word) return null;
  const site = siteAt(result, file, word.start);
  if (site) {
    const onPointer = site.targetSpan
      ? site.targetSpan.start <= word.start && word.end <= site.targetSpan.end
      : word.text === site.opsName || site.member.split('.').includes(word.text);
    if (onPointer || word.text === site.macro || site.wrappers.includes(word.text)) return { kind: 'site', site, word, onPointer };
  }
  const parts = memberPath(text, word);
  const v = result.variable(parts[0], file);
  if (v) {
    const ops = result.objects.find((o) => o.id === v.id);
    if (ops) return { kind: 'pointer', ops, member: parts.slice(1).join('.'), word };
    const table = result.tables.find((t) => t.id === v.id);
    if (table && parts.length === 1) return { kind: 'table', table, word };
  }
  return { kind: 'word', word };
}

/** The innermost site of `file` whose invocation covers `offset`. */
function siteAt(result: IndexResult, file: string, offset: number): SiteInfo | null {
  let best: SiteInfo | null = null;
  for (const s of result.sites) {
    if (s.file !== file || offset < s.span.start || offset >= s.span.end) continue;
    if (!best || s.span.end - s.span.start < best.span.end - best.span.start) best = s;
  }
  return best;
}

/** Accelerated members of `ops` at or below `member`. */
export function membersUnder(ops: OpsObjectInfo, member: string): string[] {
  return ops.members.filter((m) => member === '' || m === member || m.startsWith(`${member}.`));
}

/** Writes that change `member` of `ops`: writes to it, below it, or to a part holding it ('' means every write). */
export function writesOf(ops: OpsObjectInfo, member: string): WriteInfo[] {
  return ops.writes.filter((w) => member === '' || w.member === '' || w.member === member || w.member.startsWith(`${member}.`) || member.startsWith(`${w.member}.`));
}
