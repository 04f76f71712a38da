/**
 * LP64 struct layout (x86-64 System V): pointers 8 bytes, natural alignment,
 * structs padded to their alignment. The input is a plain description, so
 * that any front end can feed it; types it cannot size are reported, never
 * guessed.
 */

export type CType =
  | { readonly kind: 'pointer' }
  | { readonly kind: 'function-pointer' }
  /** An integer (or enum) of `size` bytes: 1, 2, 4, 8 or 16. */
  | { readonly kind: 'int'; readonly size: number }
  | { readonly kind: 'bool' }
  | { readonly kind: 'char' }
  /** A struct or union by tag name, defined through the lookup. */
  | { readonly kind: 'struct'; readonly name: string }
  | { readonly kind: 'array'; readonly of: CType; readonly count: number }
  /** A type the front end could not describe; `text` is its source spelling. */
  | { readonly kind: 'unknown'; readonly text: string };

export interface StructMember {
  /** Empty for an anonymous struct/union member, whose members are reached directly. */
  readonly name: string;
  readonly type: CType;
}

export interface StructDef {
  readonly name: string;
  readonly members: readonly StructMember[];
  readonly union?: boolean;
}

export type StructLookup = (name: string) => StructDef | undefined;

export interface MemberLayout {
  readonly name: string;
  readonly type: CType;
  /** Undefined when an earlier member's size is unknown. */
  readonly offset: number | undefined;
  readonly size: number | undefined;
}

export interface StructLayout {
  readonly name: string;
  /** Undefined when some member's size is unknown. */
  readonly size: number | undefined;
  readonly align: number | undefined;
  readonly members: readonly MemberLayout[];
  /** Why sizes or offsets are missing, naming the member and type. */
  readonly problems: readonly string[];
}

interface SizeAlign { size: number; align: number }
type Sized = SizeAlign | { problem: string };

const INT_SIZES = new Set([1, 2, 4, 8, 16]);

function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

/** Layouts computed so far, and the structs being laid out (to catch a struct containing itself). */
class LayoutContext {
  private readonly done = new Map<string, StructLayout>();
  private readonly active = new Set<string>();

  constructor(private readonly lookup: StructLookup) {}

  struct(name: string): StructLayout | { problem: string } {
    const cached = this.done.get(name);
    if (cached) return cached;
    if (this.active.has(name)) return { problem: `struct ${name} contains itself` };
    const def = this.lookup(name);
    if (!def) return { problem: `struct ${name} is not defined` };
    this.active.add(name);
    const layout = this.layout(def);
    this.active.delete(name);
    this.done.set(name, layout);
    return layout;
  }

  sizeOf(type: CType): Sized {
    switch (type.kind) {
      case 'pointer': case 'function-pointer': return { size: 8, align: 8 };
      case 'bool': case 'char': return { size: 1, align: 1 };
      case 'int':
        return INT_SIZES.has(type.size) ? { size: type.size, align: type.size }
          : { problem: `no ${type.size}-byte integer type` };
      case 'struct': {
        const s = this.struct(type.name);
        if ('problem' in s) return s;
        return s.size === undefined || s.align === undefined
          ? { problem: `struct ${type.name} has members of unknown size` } : { size: s.size, align: s.align };
      }
      case 'array': {
        const el = this.sizeOf(type.of);
        if ('problem' in el) return el;
        if (!Number.isInteger(type.count) || type.count < 0) return { problem: `array count ${type.count}` };
        return { size: el.size * type.count, align: el.align };
      }
      case 'unknown': return { problem: `unknown type \`${type.text}\`` };
    }
  }

  private layout(def: StructDef): StructLayout {
    const problems: string[] = [];
    const members: MemberLayout[] = [];
    let offset: number | undefined = 0;
    let size: number | undefined = 0;
    let align = 1;
    for (const m of def.members) {
      const sa = this.sizeOf(m.type);
      if ('problem' in sa) {
        problems.push(`${def.name}.${m.name || '(anonymous)'}: ${sa.problem}`);
        members.push({ name: m.name, type: m.type, offset: def.union ? 0 : offset, size: undefined });
        offset = def.union ? 0 : undefined;
        size = undefined;
        continue;
      }
      align = Math.max(align, sa.align);
      const at: number | undefined = def.union ? 0 : offset === undefined ? undefined : alignUp(offset, sa.align);
      members.push({ name: m.name, type: m.type, offset: at, size: sa.size });
      if (def.union) size = size === undefined ? undefined : Math.max(size, sa.size);
      else offset = at === undefined ? undefined : at + sa.size;
    }
    if (!def.union) size = offset;
    const complete = size !== undefined && problems.length === 0;
    return {
      name: def.name,
      size: complete ? alignUp(size!, align) : undefined,
      align: complete ? align : undefined,
      members, problems,
    };
  }
}

/** Lays out `struct name` and, through the lookup, the structs nested in it. */
export function layoutStruct(name: string, lookup: StructLookup): StructLayout | { problem: string } {
  return new LayoutContext(lookup).struct(name);
}

export interface ResolvedMember {
  readonly offset: number;
  readonly type: CType;
  readonly size: number | undefined;
}

interface PathStep { readonly name: string; readonly indices: readonly number[] }

function parsePath(path: string): PathStep[] | undefined {
  const steps: PathStep[] = [];
  for (const part of path.split('.')) {
    const m = /^([A-Za-z_]\w*)((?:\[\d+\])*)$/.exec(part.trim());
    if (!m) return undefined;
    steps.push({ name: m[1]!, indices: [...m[2]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1])) });
  }
  return steps;
}

/** A member by name, looking through anonymous struct/union members; offset relative to `layout`. */
function findMember(ctx: LayoutContext, layout: StructLayout, name: string): { offset: number | undefined; member: MemberLayout } | undefined {
  const direct = layout.members.find((m) => m.name === name);
  if (direct) return { offset: direct.offset, member: direct };
  for (const anon of layout.members) {
    if (anon.name !== '' || anon.type.kind !== 'struct') continue;
    const inner = ctx.struct(anon.type.name);
    if ('problem' in inner) continue;
    const found = findMember(ctx, inner, name);
    if (!found) continue;
    const offset = anon.offset === undefined || found.offset === undefined ? undefined : anon.offset + found.offset;
    return { offset, member: found.member };
  }
  return undefined;
}

/**
 * The offset of a member path such as `a.b[2].c` inside `struct name`, or why
 * it cannot be computed.
 */
export function memberOffset(name: string, path: string, lookup: StructLookup): ResolvedMember | { problem: string } {
  const steps = parsePath(path);
  if (!steps) return { problem: `cannot read member path \`${path}\`` };
  const ctx = new LayoutContext(lookup);
  let structName = name;
  let offset = 0;
  let type: CType = { kind: 'struct', name };
  for (const step of steps) {
    if (type.kind !== 'struct') return { problem: `\`${step.name}\` is looked up in a non-struct` };
    structName = type.name;
    const layout = ctx.struct(structName);
    if ('problem' in layout) return layout;
    const found = findMember(ctx, layout, step.name);
    if (!found) return { problem: `struct ${structName} has no member \`${step.name}\`` };
    if (found.offset === undefined) {
      return { problem: `offset of ${structName}.${step.name} unknown: ${layout.problems.join('; ')}` };
    }
    offset += found.offset;
    type = found.member.type;
    for (const index of step.indices) {
      if (type.kind !== 'array') return { problem: `${structName}.${step.name} is not an array` };
      const el = ctx.sizeOf(type.of);
      if ('problem' in el) return { problem: `${structName}.${step.name}: ${el.problem}` };
      offset += index * el.size;
      type = type.of;
    }
  }
  const sa = ctx.sizeOf(type);
  return { offset, type, size: 'problem' in sa ? undefined : sa.size };
}
