/**
 * `site-target-not-patchable`: a site whose first argument is not a
 * file-scope object or a member path of one. The patcher cannot turn it
 * into a direct call, and the asm needs the pointer's link-time address.
 */
import type { Rule } from './types';
import { code, listPhrase } from './describe';

export const siteTargetNotPatchable: Rule = {
  id: 'site-target-not-patchable',
  defaultSeverity: 'error',
  description: 'An alternative-call site whose first argument is not a file-scope object or a member path of one cannot be patched.',
  check(ctx, report) {
    for (const site of ctx.index.sites) {
      if (site.patchable) continue;
      const through = site.wrappers.length ? ` (through ${listPhrase(site.wrappers.map(code))})` : '';
      report({
        file: site.file,
        span: site.targetSpan ?? site.span,
        message: `${site.reason ?? `${code(site.target)} cannot be patched`}; ${code(site.macro)}${through} needs a file-scope object or a member path of one, whose address is known at link time.`,
        related: [],
        fixes: [],
      });
    }
  },
};
