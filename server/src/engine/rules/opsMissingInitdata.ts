/**
 * `ops-missing-initdata`: an ops object that runtime code only reaches
 * through sites can be init data, `__alt_call_maybe_initdata`.
 */
import type { Related, Rule } from './types';
import { code } from './describe';
import { placementAnnotations, setPlacement } from './edits';

export const opsMissingInitdata: Rule = {
  id: 'ops-missing-initdata',
  defaultSeverity: 'warning',
  description: 'An ops object that runtime code only uses through alternative calls should be `__alt_call_maybe_initdata`, so it is freed once the sites are patched.',
  check(ctx, report) {
    const names = ctx.profile.names;
    for (const obj of ctx.index.objects) {
      const decl = obj.decl;
      const text = ctx.text(obj.file);
      if (!decl || text === undefined || obj.runtimeUses.length > 0) continue;
      // The deprecated annotation has its own finding, whose fix is this one's.
      if (decl.annotations.some((a) => a.name === names.opsAnnotation || a.name === names.deprecatedAnnotation)) continue;
      // Freeing memory that runtime code still writes would be worse than keeping it.
      if (ctx.index.writesTo(obj.id).some((w) => !w.fn.isInit && w.write.guard === null)) continue;
      const current = placementAnnotations(decl, names)[0]?.name;
      const wanted = code(names.opsAnnotation);
      const plainInit = current !== undefined && names.initDataAnnotations.includes(current);
      const what = current === undefined ? `is not ${wanted}` : `is ${plainInit ? 'plain ' : ''}${code(current)} rather than ${wanted}`;
      // From 4.19, `__alt_call_maybe_initdata` keeps the object when LIVEPATCH is on: livepatches resolve alternative calls through it.
      const livepatch = Number(ctx.profile.name.slice('xen-4.'.length)) >= 19;
      const why = plainInit
        ? livepatch
          ? 'with LIVEPATCH, livepatches resolve alternative calls through it after boot (and where ALTERNATIVE_CALL is off the calls stay indirect), when plain init data is gone'
          : 'where ALTERNATIVE_CALL is off the calls stay indirect and read it after boot, when plain init data is gone'
        : 'it could be freed after boot, once the sites are patched';
      const count = `${obj.sites.length} site${obj.sites.length === 1 ? '' : 's'}`;
      const related: Related[] = [
        ...obj.sites.map((s) => ({ file: s.file, span: s.span, message: `site calling ${code(s.target)}` })),
        ...obj.tables.map((t) => ({ file: t.file, span: t.span, message: `impl table ${code(t.name)}, ${t.flow}` })),
      ];
      report({
        file: obj.file,
        span: decl.span,
        message: `${code(obj.name)} is only used through alternative calls at runtime (${count}) but ${what}: ${why}.`,
        related,
        fixes: [{
          title: current === undefined ? `Make ${code(obj.name)} ${wanted}` : `Replace ${code(current)} with ${wanted}`,
          edits: setPlacement(obj.file, text, decl, names.opsAnnotation, names),
          preferred: true,
        }],
      });
    }
  },
};
