/**
 * `unset-accelerated-pointer`: an impl table that leaves an accelerated
 * member unset or NULL. When that table is chosen, the member's sites are
 * patched into a trap; harmless only if every such site tests the pointer
 * first, which the message then says.
 */
import type { Related, Rule } from './types';
import type { InitMember } from '../facts/types';
import { code, sitesPhrase } from './describe';
import { initWritesTo, isGuardedSite } from './lookup';

export const unsetAcceleratedPointer: Rule = {
  id: 'unset-accelerated-pointer',
  defaultSeverity: 'info',
  description: 'An impl table leaves an accelerated pointer unset or NULL, so when it is chosen the sites calling through that pointer are patched into a trap.',
  check(ctx, report) {
    for (const obj of ctx.index.objects) {
      for (const table of obj.tables) {
        const init = table.decl.init ?? [];
        // Positional initialisers are not matched to member names: nothing can be said.
        if (init.some((m) => m.path.startsWith('#'))) continue;
        const written = initWritesTo(ctx.index, table.id).map((w) => w.write.path);
        for (const member of obj.members) {
          const how = unsetHow(init, written, member);
          if (!how) continue;
          const sites = obj.sites.filter((s) => s.member === member);
          const guarded = sites.length > 0 && sites.every((s) => isGuardedSite(ctx.index, s, obj.id));
          const trap = sitesPhrase(sites);
          const verdict = guarded
            ? `; ${sites.length === 1 ? 'it tests' : 'each tests'} the pointer first, so the trap is never reached`
            : '';
          const related: Related[] = sites.map((s) => ({ file: s.file, span: s.span, message: `site patched into a trap when ${code(table.name)} is chosen` }));
          if (how.at) related.unshift({ file: table.file, span: how.at.span, message: `${code(`.${member}`)} is NULL here` });
          if (obj.decl) related.push({ file: obj.file, span: obj.decl.span, message: `ops object ${code(obj.name)} (the table is ${table.flow})` });
          report({
            file: table.file,
            span: table.decl.span,
            message: `Impl table ${code(table.name)} ${how.at ? 'sets' : 'leaves'} ${code(`.${member}`)} ${how.at ? 'to NULL' : 'unset'}: when it is chosen for ${code(obj.name)}, ${trap.text} ${trap.plural ? 'are' : 'is'} patched into a trap${verdict}.`,
            related,
            fixes: [],
          });
        }
      }
    }
  },
};

/**
 * Whether the table's initialiser leaves `member` NULL (`at` is that
 * initialiser) or unset (`at` null); undefined when it sets it, sets an
 * enclosing struct as a whole, or init code writes it later.
 */
function unsetHow(init: readonly InitMember[], initWrites: readonly string[], member: string): { at: InitMember | null } | undefined {
  const covers = (path: string) => path === member || member.startsWith(`${path}.`);
  if (initWrites.some((p) => p === '' || covers(p))) return undefined;
  const values = init.filter((m) => covers(m.path));
  if (values.length === 0) return { at: null };
  const exact = values.filter((m) => m.path === member);
  return exact.length > 0 && exact.every((m) => m.value.k === 'null') ? { at: exact[exact.length - 1] } : undefined;
}
