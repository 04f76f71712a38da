/**
 * Facts read from one file. Plain data (JSON-serialisable) so that worker
 * threads can produce them and the index can keep them without the trees.
 * Positions: `start`/`end` are UTF-16 offsets, `line`/`col` 0-based.
 */
import type { MacroDef } from '../preproc/directives';

export interface Span { start: number; end: number; line: number; col: number; }

/** An expression reduced to what value-flow analysis needs. */
export type Value =
  | { k: 'name'; name: string }
  | { k: 'null' }
  | { k: 'addr'; of: Value }
  | { k: 'deref'; of: Value }
  | { k: 'member'; of: Value; path: string; arrow: boolean }
  | { k: 'index'; of: Value }
  | { k: 'cond'; a: Value; b: Value }
  | { k: 'call'; fn: string; args: Value[] }
  | { k: 'other' };

export interface Annotation { name: string; span: Span; }

/** A designated or positional member initialiser of a file-scope object. */
export interface InitMember { path: string; value: Value; span: Span; }

export interface VarFact {
  name: string;
  /** The declared name. */
  span: Span;
  /** The whole declaration, for fixes that edit it. */
  declSpan: Span;
  /** Where a `const` qualifier would go (start of the type specifier). */
  typeStart: number;
  storage: 'static' | 'extern' | '';
  isDefinition: boolean;
  isConst: boolean;
  /** Text of the type as written, e.g. `struct hvm_function_table`. */
  typeText: string;
  structName: string | null;
  /** `typeof(x)` / `typeof(x.m)` declarations name their model object here. */
  typeofOf: string | null;
  isPointer: boolean;
  isFunctionPointer: boolean;
  isArray: boolean;
  annotations: Annotation[];
  /** Struct initialiser members, or `[ '' -> value ]` for a scalar, or array elements as `[i]`. */
  init: InitMember[] | null;
}

/** A struct member; an anonymous struct or union member has the name ''. */
export interface FieldFact { name: string; start: number; typeText: string; isPointer: boolean; isFunctionPointer: boolean; arrayLength: string | null; structName: string | null; }
export interface StructFact {
  name: string;
  span: Span;
  fields: FieldFact[];
  isUnion: boolean;
  /** Offsets of the body's braces: an `#include` between them adds members (X-macro lists). */
  bodyStart: number;
  bodyEnd: number;
}
/** `typedef struct x y;` and function-pointer typedefs, so types written through aliases resolve. */
export interface TypedefFact {
  name: string;
  structName: string | null;
  isFunctionPointer: boolean;
  isPointer: boolean;
  /** The aliased type as written (`unsigned char` for `typedef unsigned char bool_t;`). */
  typeText: string;
}

export type RefKind = 'read' | 'call' | 'test' | 'address';
/** A reference to a name that is not local to the function. */
export interface RefFact { name: string; path: string; kind: RefKind; span: Span; }

export type WriteKind = 'assign' | 'memcpy' | 'memset' | 'update';
/** What a `system_state` check around a write proves. */
export type Guard = 'before-patch' | 'boot-only';
export interface WriteFact {
  /** The object written ('' when it is written through a pointer, see `through`). */
  name: string;
  /** Member path written ('' for the whole object). */
  path: string;
  kind: WriteKind;
  value: Value | null;
  span: Span;
  guard: Guard | null;
  /** For `*p = v` / `p->m = v` with `p` a local or parameter: the pointer, resolved by value flow in the index. */
  through?: Value;
  /** The type `through` is declared to point to (`struct foo`, or a typedef name) when it is a plain `T *` local or parameter. */
  throughType?: string;
}

/**
 * A call by name. Offsets only (calls are the most numerous fact; the few
 * reported get their line from the text), and the arguments without the
 * trailing ones value flow cannot follow (`other`): a missing one reads the same.
 */
export interface CallFact { name: string; args: Value[]; start: number; end: number; }

export interface FunctionFact {
  name: string;
  span: Span;
  bodySpan: Span;
  isStatic: boolean;
  isInline: boolean;
  annotations: Annotation[];
  params: string[];
  calls: CallFact[];
  /** Values assigned to each local (initialiser included). */
  locals: Record<string, Value[]>;
  /** Every local variable declared in the body (assigned or not). */
  localNames: string[];
  returns: Value[];
  writes: WriteFact[];
  refs: RefFact[];
}

export type InitcallLevel = 'presmp' | 'post';
export interface InitcallFact { fn: string; level: InitcallLevel; span: Span; }

export interface MacroFact {
  def: MacroDef;
  /** Defined under `#ifndef NAME` of its own name: a fallback for other definitions. */
  fallback: boolean;
}

export interface IncludeFact { path: string; angled: boolean; start: number; line: number; }
export interface UndefFact { name: string; start: number; }

export interface Suppression { line: number; ids: string[]; nextLine: boolean; span: Span; }

export interface ParseStats {
  backend: 'native' | 'wasm';
  errorNodes: number;
  /** Top-level declarations that carry an attribute-like macro, and how many of those parsed without error. */
  annotatedDecls: number;
  annotatedDeclsClean: number;
  problems: string[];
}

export interface FileFacts {
  path: string;
  parse: ParseStats;
  macros: MacroFact[];
  undefs: UndefFact[];
  includes: IncludeFact[];
  variables: VarFact[];
  structs: StructFact[];
  functions: FunctionFact[];
  initcalls: InitcallFact[];
  typedefs: TypedefFact[];
  /** Offset ranges that are not live code (directive lines, branches the configuration rules out), sorted. */
  skip: Array<[number, number]>;
  /** Every distinct identifier of live code, so the index re-reads only files that mention a wrapper. */
  identifiers: string[];
  suppressions: Suppression[];
}
