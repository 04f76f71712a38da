/**
 * `ops-kept-at-runtime`: an ops object that is not init data and cannot
 * be, because runtime code uses it other than through sites. Xen's own
 * "weird" users are like this; the finding says why, it asks for nothing.
 */
import type { Fix, Rule } from './types';
import { code, describeUse, listPhrase } from './describe';
import { placementAnnotations } from './edits';
import { isInitData } from './lookup';
import { convertDirectCall } from './callConversion';

export const opsKeptAtRuntime: Rule = {
  id: 'ops-kept-at-runtime',
  defaultSeverity: 'info',
  description: 'An ops object that runtime code reads, tests or calls other than through alternative calls must stay in memory after boot; the finding lists those uses.',
  check(ctx, report) {
    const names = ctx.profile.names;
    for (const obj of ctx.index.objects) {
      const decl = obj.decl;
      const text = ctx.text(obj.file);
      if (!decl || text === undefined || obj.runtimeUses.length === 0 || isInitData(decl, names)) continue;
      const uses = [...new Set(obj.runtimeUses.map(describeUse))];
      const kept = placementAnnotations(decl, names).some((a) => a.name === names.keptAtRuntime) ? `, and ${code(names.keptAtRuntime)} is right` : '';
      // Only when every use is a direct call does converting them leave nothing that keeps the object.
      const conversions = obj.runtimeUses.map((u) => {
        const useText = ctx.text(u.file);
        return useText === undefined ? null : convertDirectCall(ctx.index, useText, u, decl);
      });
      const fixes: Fix[] = conversions.every((c) => c !== null)
        ? [{ title: `Turn the direct call${conversions.length === 1 ? '' : 's'} through ${code(obj.name)} into alternative calls`, edits: conversions.flatMap((c) => c!.edits), preferred: false }]
        : [];
      report({
        file: obj.file,
        span: decl.span,
        message: `${code(obj.name)} must stay in memory after boot: runtime code ${listPhrase(uses)}. It cannot be ${code(names.opsAnnotation)}${kept}.`,
        related: obj.runtimeUses.map((u) => ({ file: u.file, span: u.span, message: `runtime use: ${describeUse(u)}` })),
        fixes,
      });
    }
  },
};
