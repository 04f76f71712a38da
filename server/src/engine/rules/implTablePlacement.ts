/**
 * Where an impl table belongs under the profile (ALTCALL.md section 4):
 * `const` in the const impl-table section, or, when init code writes it,
 * non-const in the writable one. Shared by the impl-table and
 * deprecated-annotation rules. Init code writing through a pointer to the
 * table's struct type counts as writing it: which table the pointer holds
 * is not known, and a wrong "make it const" would not compile.
 */
import type { VarFact } from '../facts/types';
import type { ObjectId } from '../index/types';
import type { Related, RuleContext, TextEdit } from './types';
import { code } from './describe';
import { addConst, setPlacement } from './edits';
import { initWritesThroughStructPointer, initWritesTo } from './lookup';

export interface Placement { annotation: string; isConst: boolean; }

export function expectedPlacement(ctx: RuleContext, id: ObjectId | null, decl: VarFact): Placement {
  const names = ctx.profile.names;
  const written = id !== null && initWritesTo(ctx.index, id).length > 0;
  const writable = !decl.isConst && (written || (decl.structName !== null && initWritesThroughStructPointer(ctx, decl.structName)));
  return writable ? { annotation: names.implTableWritable, isConst: false } : { annotation: names.implTableConst, isConst: true };
}

/** "`const` and `__initconstrel`", or "`__initdata`". */
export function placementName(p: Placement): string {
  return p.isConst ? `${code('const')} and ${code(p.annotation)}` : code(p.annotation);
}

/** The placement with why a writable one is right. */
export function describePlacement(p: Placement): string {
  return p.isConst ? placementName(p) : `${placementName(p)} (init code writes it)`;
}

export function placementEdits(ctx: RuleContext, file: string, text: string, decl: VarFact, p: Placement): TextEdit[] {
  return [...(p.isConst && !decl.isConst ? [addConst(file, decl)] : []), ...setPlacement(file, text, decl, p.annotation, ctx.profile.names)];
}

/** The ops objects a table feeds, for related information. */
export function tableRelated(ctx: RuleContext, id: ObjectId): Related[] {
  return ctx.index.tables
    .filter((t) => t.id === id)
    .flatMap((t) => ctx.index.objects.filter((o) => o.id === t.ops && o.decl).map((o) => ({ file: o.file, span: o.decl!.span, message: `ops object ${code(o.name)} (the table is ${t.flow})` })));
}
