/**
 * The stable JSON form of what the engine understood (`altcall-lint index
 * --format json`), documented in README.md. Lines and columns are 1-based.
 */
import type { FileProblem } from '../files/read';
import type { IndexResult } from '../index/workspace';
import type { ObjectId } from '../index/types';
import type { Span } from '../facts/types';

export interface IndexJson {
  version: 1;
  profile: string;
  sites: Array<{ file: string; line: number; column: number; macro: string; wrappers: string[]; ops: string | null; opsFile: string | null; member: string; function: string | null; target: string; reason?: string }>;
  opsObjects: Array<{ name: string; file: string; line: number; annotations: string[]; members: string[]; sites: number; runtimeUses: Array<{ file: string; line: number; column: number; kind: string; member: string; function: string }> }>;
  implTables: Array<{ name: string; ops: string; opsFile: string; file: string; line: number; annotations: string[]; const: boolean; flow: string }>;
  writes: Array<{ file: string; line: number; column: number; ops: string; opsFile: string; member: string; kind: string; function: string; afterPatch: boolean; guard: string | null; reason: string }>;
  files: Array<{ file: string; status: 'parsed' | 'parsed-with-errors' | 'skipped'; errorNodes?: number; problems?: string[] }>;
}

export function splitId(id: ObjectId): { name: string; file: string } {
  const at = id.lastIndexOf('@');
  return { name: id.slice(0, at), file: id.slice(at + 1) };
}

const pos = (s: Span) => ({ line: s.line + 1, column: s.col + 1 });

export function indexToJson(result: IndexResult, profile: string, problems: FileProblem[]): IndexJson {
  return {
    version: 1,
    profile,
    sites: result.sites.map((s) => ({
      file: s.file,
      ...pos(s.span),
      macro: s.macro,
      wrappers: s.wrappers,
      ops: s.opsName,
      opsFile: s.ops ? splitId(s.ops).file || null : null,
      member: s.member,
      function: s.function,
      target: s.target,
      ...(s.reason ? { reason: s.reason } : {}),
    })),
    opsObjects: result.objects.map((o) => ({
      name: o.name,
      file: o.file,
      line: o.span.line + 1,
      annotations: o.decl?.annotations.map((a) => a.name) ?? [],
      members: o.members,
      sites: o.sites.length,
      runtimeUses: o.runtimeUses.map((u) => ({ file: u.file, ...pos(u.span), kind: u.kind, member: u.path, function: u.function })),
    })),
    implTables: result.tables.map((t) => ({
      name: t.name,
      ops: splitId(t.ops).name,
      opsFile: splitId(t.ops).file,
      file: t.file,
      line: t.span.line + 1,
      annotations: t.decl.annotations.map((a) => a.name),
      const: t.decl.isConst,
      flow: t.flow,
    })),
    writes: result.writes.map((w) => ({
      file: w.file,
      ...pos(w.span),
      ops: splitId(w.ops).name,
      opsFile: splitId(w.ops).file,
      member: w.member,
      kind: w.kind,
      function: w.function,
      afterPatch: w.afterPatch,
      guard: w.guard,
      reason: w.reason,
    })),
    files: [
      ...[...result.files.values()].map((f) => ({
        file: f.path,
        status: f.parse.errorNodes > 0 ? ('parsed-with-errors' as const) : ('parsed' as const),
        ...(f.parse.errorNodes > 0 ? { errorNodes: f.parse.errorNodes } : {}),
        ...(f.parse.problems.length ? { problems: f.parse.problems } : {}),
      })),
      ...problems.map((p) => ({ file: p.path, status: 'skipped' as const, problems: [p.message] })),
    ],
  };
}
