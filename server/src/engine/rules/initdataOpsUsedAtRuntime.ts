/**
 * `initdata-ops-used-at-runtime`: an ops object in init memory that runtime
 * code reads or calls other than through sites, after that memory is freed.
 */
import type { Fix, Rule } from './types';
import { code, describeUse } from './describe';
import { setPlacement } from './edits';
import { convertDirectCall } from './callConversion';

export const initdataOpsUsedAtRuntime: Rule = {
  id: 'initdata-ops-used-at-runtime',
  defaultSeverity: 'error',
  description: 'An ops object in init data is read, tested or called directly by runtime code, after its memory has been freed.',
  check(ctx, report) {
    const names = ctx.profile.names;
    for (const obj of ctx.index.objects) {
      const decl = obj.decl;
      const declText = ctx.text(obj.file);
      const annotation = decl?.annotations.find((a) => names.initDataAnnotations.includes(a.name));
      if (!decl || !annotation || declText === undefined) continue;
      for (const use of obj.runtimeUses) {
        const useText = ctx.text(use.file);
        const conversion = useText === undefined ? null : convertDirectCall(ctx.index, useText, use, decl);
        const fixes: Fix[] = [];
        if (conversion) fixes.push({ title: `Call ${code(conversion.callee)} through ${conversion.macro}()`, edits: conversion.edits, preferred: true });
        fixes.push({
          title: `Keep ${code(obj.name)} after boot: make it ${code(names.keptAtRuntime)}`,
          edits: setPlacement(obj.file, declText, decl, names.keptAtRuntime, names),
          preferred: conversion === null,
        });
        report({
          file: use.file,
          span: use.span,
          message: `${code(obj.name)} is init data (${code(annotation.name)}), freed after boot, but runtime code ${describeUse(use)}: that uses freed memory.`,
          related: [{ file: obj.file, span: decl.span, message: `${code(obj.name)} is declared ${code(annotation.name)} here` }],
          fixes,
        });
      }
    }
  },
};
