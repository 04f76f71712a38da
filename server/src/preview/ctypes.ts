/**
 * From the engine's struct facts to the patcher's LP64 layout input: the C
 * type of each field as a `CType`. Only sizes the x86-64 System V ABI fixes
 * are used; a type whose size the facts do not tell (an integer typedef
 * whose definition is not recorded, an array with a macro length, `void`,
 * floating point) becomes `unknown` so that the layout reports it.
 */
import type { FieldFact, StructFact, TypedefFact } from '../engine/facts/types';
import type { IndexResult } from '../engine/index/workspace';
import type { CType, StructDef, StructLookup } from '../patch';

const INT = (size: number): CType => ({ kind: 'int', size });

/** Single-word type names with an ABI-fixed size: C's own, <stdint.h>, and the kernel's short forms. */
const NAMED_TYPES: Readonly<Record<string, CType>> = {
  bool: { kind: 'bool' }, _Bool: { kind: 'bool' }, char: { kind: 'char' },
  int8_t: INT(1), uint8_t: INT(1), u8: INT(1), s8: INT(1), __u8: INT(1), __s8: INT(1),
  int16_t: INT(2), uint16_t: INT(2), u16: INT(2), s16: INT(2), __u16: INT(2), __s16: INT(2),
  int32_t: INT(4), uint32_t: INT(4), u32: INT(4), s32: INT(4), __u32: INT(4), __s32: INT(4),
  int64_t: INT(8), uint64_t: INT(8), u64: INT(8), s64: INT(8), __u64: INT(8), __s64: INT(8),
  size_t: INT(8), ssize_t: INT(8), ptrdiff_t: INT(8), intptr_t: INT(8), uintptr_t: INT(8),
  __int128: INT(16), __int128_t: INT(16), __uint128_t: INT(16),
};

const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict']);

/** `unsigned long`, `short int`, `signed char`, `long long unsigned int`, ... by the C rules. */
function basicType(words: readonly string[]): CType | undefined {
  const sign = words.filter((w) => w === 'signed' || w === 'unsigned').length;
  const rest = words.filter((w) => w !== 'signed' && w !== 'unsigned');
  if (rest.length === 0) return sign > 0 ? INT(4) : undefined;
  if (rest.length === 1 && rest[0] === 'char') return { kind: 'char' };
  const longs = rest.filter((w) => w === 'long').length;
  const shorts = rest.filter((w) => w === 'short').length;
  const others = rest.filter((w) => w !== 'long' && w !== 'short' && w !== 'int');
  if (others.length > 0) return rest.length === 1 && sign === 0 ? NAMED_TYPES[rest[0]!] : undefined;
  if (shorts === 1 && longs === 0) return INT(2);
  if (shorts === 0 && (longs === 1 || longs === 2)) return INT(8);
  if (shorts === 0 && longs === 0) return INT(4);
  return undefined;
}

/** Resolves type names written in fields, through the workspace's typedefs. */
export class TypeResolver {
  private readonly typedefs = new Map<string, TypedefFact>();
  private readonly unions = new Set<string>();
  private readonly defs = new Map<string, StructDef | undefined>();
  private readonly resolving = new Set<string>();

  constructor(private readonly structs: ReadonlyMap<string, StructFact>, typedefs: Iterable<TypedefFact>) {
    for (const t of typedefs) if (!this.typedefs.has(t.name)) this.typedefs.set(t.name, t);
    for (const s of structs.values()) if (s.isUnion) this.unions.add(s.name);
  }

  static of(result: IndexResult): TypeResolver {
    return new TypeResolver(result.structs, [...result.files.values()].flatMap((f) => f.typedefs));
  }

  /** The layout module's view of struct `name`. */
  readonly lookup: StructLookup = (name) => {
    if (!this.defs.has(name)) {
      const fact = this.structs.get(name);
      this.defs.set(name, fact && {
        name, union: this.unions.has(name), members: fact.fields.map((f) => ({ name: f.name, type: this.fieldType(f) })),
      });
    }
    return this.defs.get(name);
  };

  /** Declares that the struct named `name` was written as a union (e.g. by the ops object's own declaration). */
  noteUnion(typeText: string, structName: string | null): void {
    if (structName && /^union\b/.test(typeText)) this.unions.add(structName);
  }

  fieldType(f: FieldFact): CType {
    const element = this.elementType(f);
    if (f.arrayLength === null) return element;
    // A flexible array member takes no room.
    if (f.arrayLength.trim() === '') return { kind: 'array', of: element, count: 0 };
    const m = /^(0x[0-9a-f]+|0|[1-9]\d*)[ul]*$/i.exec(f.arrayLength.trim());
    return m ? { kind: 'array', of: element, count: Number(m[1]) } : { kind: 'unknown', text: `${f.typeText}[${f.arrayLength}]` };
  }

  /**
   * The element type; for `T *x[N]` the element is the pointer (the facts do
   * not tell `(*x)[N]`, a pointer to an array, apart: that rare form is
   * taken as an array of pointers).
   */
  private elementType(f: FieldFact): CType {
    if (f.isFunctionPointer) return { kind: 'function-pointer' };
    if (f.isPointer) return { kind: 'pointer' };
    if (f.structName) return { kind: 'struct', name: f.structName };
    return this.named(f.typeText);
  }

  /** A type written as words (`unsigned long`, `enum x`, `uint64_t`, a typedef name). */
  named(typeText: string): CType {
    const words = typeText.trim().split(/\s+/).filter((w) => w !== '' && !QUALIFIERS.has(w));
    // The System V rule for enums whose values fit an int (Xen's all do).
    if (words[0] === 'enum') return INT(4);
    const basic = basicType(words);
    if (basic) return basic;
    const alias = words.length === 1 ? this.typedefs.get(words[0]!) : undefined;
    if (alias && !this.resolving.has(alias.name)) {
      if (alias.isFunctionPointer) return { kind: 'function-pointer' };
      if (alias.isPointer) return { kind: 'pointer' };
      if (alias.structName) return { kind: 'struct', name: alias.structName };
      // `typedef unsigned char bool_t;`: the aliased type (guarded against `typedef a b; typedef b a;`).
      this.resolving.add(alias.name);
      const aliased = this.named(alias.typeText);
      this.resolving.delete(alias.name);
      if (aliased.kind !== 'unknown') return aliased;
    }
    return { kind: 'unknown', text: typeText.trim() || '(no type)' };
  }
}
