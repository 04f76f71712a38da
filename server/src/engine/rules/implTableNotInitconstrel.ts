/**
 * `impl-table-not-initconstrel`: an impl table outside the section the
 * profile wants for it (const `__initconstrel` in 4.16,
 * `__initconst_cf_clobber` from 4.17; the writable variants when init code
 * writes the table).
 */
import type { Rule } from './types';
import { code, listPhrase } from './describe';
import { placementAnnotations } from './edits';
import { describePlacement, expectedPlacement, placementEdits, placementName, tableRelated } from './implTablePlacement';

export const implTableNotInitconstrel: Rule = {
  id: 'impl-table-not-initconstrel',
  defaultSeverity: 'warning',
  description: "An impl table should be const and in the profile's init-time impl-table section (`__initconstrel` in Xen 4.16, `__initconst_cf_clobber` from 4.17).",
  check(ctx, report) {
    const names = ctx.profile.names;
    const seen = new Set<string>();
    for (const table of ctx.index.tables) {
      const decl = table.decl;
      const text = ctx.text(table.file);
      if (seen.has(table.id) || text === undefined) continue;
      seen.add(table.id);
      // The deprecated annotation has its own finding, which replaces this one.
      if (decl.annotations.some((a) => a.name === names.deprecatedAnnotation)) continue;
      const expected = expectedPlacement(ctx, table.id, decl);
      const current = placementAnnotations(decl, names);
      const problems: string[] = [];
      if (expected.isConst && !decl.isConst) problems.push(`is not ${code('const')}`);
      if (current.length === 0) problems.push('has no section annotation');
      else if (current.length > 1 || current[0].name !== expected.annotation) problems.push(`is ${listPhrase(current.map((a) => code(a.name)))}`);
      if (problems.length === 0) continue;
      const why = ctx.profile.ibtAvailable
        ? `so it is freed after boot and, with CET-IBT, the functions it holds lose their ${code('endbr64')} once the sites call them directly`
        : 'so it is freed after boot';
      report({
        file: table.file,
        span: decl.span,
        message: `Impl table ${code(table.name)} ${listPhrase(problems)}: profile ${ctx.profile.name} wants ${describePlacement(expected)}, ${why}.`,
        related: tableRelated(ctx, table.id),
        fixes: [{ title: `Make ${code(table.name)} ${placementName(expected)}`, edits: placementEdits(ctx, table.file, text, decl, expected), preferred: true }],
      });
    }
  },
};
