/**
 * `deprecated-initconst-annotation`: `__alt_call_maybe_initconst`, from an
 * early draft of the alternative-call series that review dropped.
 */
import type { Fix, Rule } from './types';
import { code } from './describe';
import { setPlacement } from './edits';
import { describePlacement, expectedPlacement, placementEdits, placementName, tableRelated } from './implTablePlacement';

export const deprecatedInitconstAnnotation: Rule = {
  id: 'deprecated-initconst-annotation',
  defaultSeverity: 'warning',
  description: '`__alt_call_maybe_initconst` was dropped from the alternative-call series in review and must not be used; impl tables take the profile\'s impl-table annotation.',
  check(ctx, report) {
    const names = ctx.profile.names;
    for (const [file, facts] of ctx.index.files) {
      const text = ctx.text(file);
      const seen = new Set<number>();
      for (const decl of facts.variables) {
        const annotation = decl.annotations.find((a) => a.name === names.deprecatedAnnotation);
        if (!annotation || seen.has(annotation.span.start) || text === undefined) continue;
        seen.add(annotation.span.start);
        const target = ctx.index.variable(decl.name, file);
        const ops = target ? ctx.index.objects.find((o) => o.id === target.id) : undefined;
        const isTable = target !== null && ctx.index.tables.some((t) => t.id === target.id);
        let advice: string;
        let fix: Fix;
        if (ops) {
          // An ops object that runtime code uses other than through sites cannot be init data.
          const wanted = ops.runtimeUses.length ? names.keptAtRuntime : names.opsAnnotation;
          advice = `ops object ${code(decl.name)} wants ${code(wanted)} (profile ${ctx.profile.name})`;
          fix = { title: `Replace it with ${code(wanted)}`, edits: setPlacement(file, text, decl, wanted, names), preferred: true };
        } else {
          const expected = expectedPlacement(ctx, target?.id ?? null, decl);
          advice = `${isTable ? 'impl table ' : ''}${code(decl.name)} wants ${describePlacement(expected)} (profile ${ctx.profile.name})`;
          fix = { title: `Replace it: make ${code(decl.name)} ${placementName(expected)}`, edits: placementEdits(ctx, file, text, decl, expected), preferred: true };
        }
        report({
          file,
          span: annotation.span,
          message: `${code(names.deprecatedAnnotation)} was dropped from the alternative-call series in review and must not be used: ${advice}.`,
          related: target ? tableRelated(ctx, target.id) : [],
          fixes: [fix],
        });
      }
    }
  },
};
