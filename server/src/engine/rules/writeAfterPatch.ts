/**
 * `write-after-patch`: a write to an accelerated pointer that can run once
 * the sites are patched; they keep calling the old target. A
 * `system_state < SYS_STATE_active` guard only proves "during boot": such
 * writes are reported at `info`.
 */
import type { Related, Rule } from './types';
import { code, dotted, sitesPhrase, sitesUnder } from './describe';

export const writeAfterPatch: Rule = {
  id: 'write-after-patch',
  defaultSeverity: 'warning',
  description: 'An accelerated pointer is written where the write can run after alternative calls are patched, so the patched sites keep calling the old target.',
  check(ctx, report) {
    for (const obj of ctx.index.objects) {
      for (const write of obj.writes) {
        if (!write.afterPatch || !write.accelerated) continue;
        const sites = sitesUnder(obj.sites, write.member);
        const keep = sitesPhrase(sites);
        const bootOnly = write.guard === 'boot-only';
        const target = write.member ? code(dotted(obj.name, write.member)) : `${code(obj.name)} (the whole object)`;
        const consequence = `${keep.text} ${keep.plural ? 'keep' : 'keeps'} calling the old target`;
        const related: Related[] = sites.map((s) => ({ file: s.file, span: s.span, message: `patched site that keeps calling the old target of ${code(s.target)}` }));
        if (obj.decl) related.push({ file: obj.file, span: obj.decl.span, message: `ops object ${code(obj.name)}` });
        report({
          file: write.file,
          span: write.span,
          severity: bootOnly ? 'info' : undefined,
          message: bootOnly
            ? `Write to ${target} during boot, possibly after patching (${write.reason}): if it runs after the patch point, ${consequence}.`
            : `Write to ${target} after patching (${write.reason}): ${consequence}.`,
          related,
          fixes: [],
        });
      }
    }
  },
};
