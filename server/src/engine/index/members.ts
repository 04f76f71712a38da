/** Member paths through struct definitions, as C resolves them. */
import type { FieldFact, StructFact } from '../facts/types';

/** The member `path` (`a.b.c`) of struct `struct`, through nested and anonymous structs; null when unknown. */
export function memberField(structs: ReadonlyMap<string, StructFact>, struct: string | null, path: string): FieldFact | null {
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const field = struct ? findField(structs, struct, parts[i], 0) : null;
    if (!field) return null;
    if (i === parts.length - 1) return field;
    struct = field.structName;
  }
  return null;
}

/** Members of anonymous struct and union members are members of the enclosing struct. */
function findField(structs: ReadonlyMap<string, StructFact>, struct: string, name: string, depth: number): FieldFact | null {
  const fields = structs.get(struct)?.fields ?? [];
  const direct = fields.find((f) => f.name === name);
  if (direct || depth > 8) return direct ?? null;
  for (const f of fields) {
    const inner = f.name === '' && f.structName ? findField(structs, f.structName, name, depth + 1) : null;
    if (inner) return inner;
  }
  return null;
}
