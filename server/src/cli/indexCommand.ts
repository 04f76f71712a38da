/** `altcall-lint index`: dumps what the engine understood of a tree. */
import { indexPaths } from '../engine/engine';
import { indexToJson, IndexJson } from '../engine/report/indexJson';
import { choice, configForPaths, engineOptions, parseCommon, UsageError } from './options';

export async function runIndex(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parseCommon(argv);
  const format = choice(values.format, ['json', 'text'] as const, '--format', 'text');
  if (positionals.length === 0) throw new UsageError('index: give at least one file or directory');
  const run = await indexPaths(positionals, engineOptions(values, (m) => err(m), configForPaths(positionals, values.config)));
  const json = indexToJson(run.index.link(), run.index.profile.name, run.problems);
  for (const p of run.problems) err(`${p.path}: ${p.message}`);
  for (const w of run.index.link().warnings) err(`altcall-lint: warning: ${w}`);
  out(format === 'json' ? JSON.stringify(json, null, 2) : renderText(json));
  return 0;
}

function renderText(j: IndexJson): string {
  const lines: string[] = [];
  const resolved = j.sites.filter((s) => s.ops !== null).length;
  lines.push(`profile ${j.profile}: ${j.files.length} files, ${j.sites.length} sites (${resolved} resolved, ${j.sites.filter((s) => s.wrappers.length).length} via wrappers), ${j.opsObjects.length} ops objects, ${j.implTables.length} impl tables, ${j.writes.length} writes`);
  lines.push('', 'sites:');
  for (const s of j.sites) {
    const target = s.ops === null ? `unresolved: ${s.reason}` : `${s.ops}${s.member ? '.' + s.member : ''}`;
    lines.push(`  ${s.file}:${s.line}:${s.column}: ${s.macro}${s.wrappers.length ? ` via ${s.wrappers.join(' > ')}` : ''} -> ${target}`);
  }
  lines.push('', 'ops objects:');
  for (const o of j.opsObjects) {
    lines.push(`  ${o.name} (${o.file}:${o.line}) [${o.annotations.join(' ') || 'no annotation'}] members: ${o.members.map((m) => m || '(pointer)').join(', ')}; ${o.sites} sites, ${o.runtimeUses.length} runtime uses`);
    for (const u of o.runtimeUses) lines.push(`    use ${u.kind} ${u.member || '(object)'} at ${u.file}:${u.line}:${u.column} in ${u.function}()`);
  }
  lines.push('', 'impl tables:');
  for (const t of j.implTables) lines.push(`  ${t.name} -> ${t.ops} (${t.file}:${t.line}) [${[t.const ? 'const' : '', ...t.annotations].filter(Boolean).join(' ') || 'no annotation'}] ${t.flow}`);
  lines.push('', 'writes:');
  for (const w of j.writes) lines.push(`  ${w.file}:${w.line}:${w.column}: ${w.ops}${w.member ? '.' + w.member : ''} ${w.afterPatch ? 'AFTER patching' : 'before patching'}: ${w.reason}`);
  const bad = j.files.filter((f) => f.status !== 'parsed');
  if (bad.length) {
    lines.push('', 'files with problems:');
    for (const f of bad) lines.push(`  ${f.file}: ${f.status}${f.errorNodes ? ` (${f.errorNodes} syntax error nodes)` : ''}${f.problems ? '; ' + f.problems.join('; ') : ''}`);
  }
  return lines.join('\n');
}
