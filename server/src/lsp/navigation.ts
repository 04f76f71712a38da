/**
 * Go to implementation (the functions an accelerated pointer may hold) and
 * references (the sites and writes of a member; for a whole ops object,
 * also its runtime uses).
 */
import type { Location } from 'vscode-languageserver';
import type { Located, OpsObjectInfo } from '../engine/index/types';
import type { IndexResult } from '../engine/index/workspace';
import { sitesUnder } from '../engine/rules/describe';
import type { Found } from './lookup';
import { membersUnder, writesOf } from './lookup';

export interface Pointer { ops: OpsObjectInfo; member: string; }

/** The accelerated pointer (or whole ops object, member '') a lookup names. */
export function pointerOf(found: Found | null, result: IndexResult): Pointer | null {
  if (!found) return null;
  if (found.kind === 'pointer') return { ops: found.ops, member: found.member };
  if (found.kind === 'site' && found.site.ops) {
    const ops = result.objects.find((o) => o.id === found.site.ops);
    return ops ? { ops, member: found.site.member } : null;
  }
  return null;
}

export type ToLocation = (at: Located) => Location | null;

export function implementations(p: Pointer, result: IndexResult, toLocation: ToLocation): Location[] {
  const out: Location[] = [];
  const seen = new Set<string>();
  for (const member of membersUnder(p.ops, p.member)) {
    for (const c of p.ops.candidates[member] ?? []) {
      if (c.target === null || c.targetFile === null) continue;
      const key = `${c.targetFile}\0${c.target}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const fn = result.files.get(c.targetFile)?.functions.find((f) => f.name === c.target);
      const loc = fn ? toLocation({ file: c.targetFile, span: fn.span }) : null;
      if (loc) out.push(loc);
    }
  }
  return out;
}

export function references(p: Pointer, includeDeclaration: boolean, toLocation: ToLocation): Location[] {
  const { ops, member } = p;
  const at: Located[] = [];
  if (includeDeclaration && member === '') at.push(ops);
  for (const s of sitesUnder(ops.sites, member)) at.push({ file: s.file, span: s.targetSpan ?? s.span });
  at.push(...writesOf(ops, member));
  if (member === '') at.push(...ops.runtimeUses);
  else at.push(...ops.runtimeUses.filter((u) => u.path === member || u.path.startsWith(`${member}.`)));
  return at.map(toLocation).filter((l): l is Location => l !== null);
}
