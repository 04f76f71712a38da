/** What the workspace index knows once every file's facts are linked. */
import type { Span, VarFact, FunctionFact, RefKind, WriteKind, Guard } from '../facts/types';

export interface Located { file: string; span: Span; }

/** `name@file` of a file-scope object's defining declaration (file '' when only `extern` declarations exist). */
export type ObjectId = string;

export interface SiteInfo extends Located {
  /** The site macro reached (`alternative_call`, `alternative_vcall2`, ...). */
  macro: string;
  /** Wrapper macros from the outermost one written in the source inwards. */
  wrappers: string[];
  /** The first argument as written after wrapper substitution, e.g. `iommu_ops.map_page`. */
  target: string;
  /** Span of the first argument when it is written at the site itself. */
  targetSpan: Span | null;
  ops: ObjectId | null;
  opsName: string | null;
  member: string;
  /** Why the site has no ops object, or why it cannot be patched. */
  reason: string | null;
  patchable: boolean;
  function: string | null;
  /** The other arguments, as written after substitution. */
  args: string[];
}

export interface UseInfo extends Located { kind: RefKind; path: string; function: string; via: string | null; }

export interface WriteInfo extends Located {
  ops: ObjectId;
  member: string;
  kind: WriteKind;
  function: string;
  afterPatch: boolean;
  /** Why the verdict (`runtime function x`, `x runs after patching: __initcall(y) -> x`). */
  reason: string;
  guard: Guard | null;
  /** The write changes an accelerated pointer (a member a site calls through, or the whole object). */
  accelerated: boolean;
}

export interface Candidate {
  /** The impl table it comes from, or null for a direct assignment / static initialiser. */
  table: ObjectId | null;
  /** The function the pointer then holds; null when the table leaves it NULL or unset. */
  target: string | null;
  targetFile: string | null;
  /** Where the value is written (table member initialiser or assignment). */
  at: Located | null;
}

export interface ImplTableInfo extends Located {
  id: ObjectId;
  name: string;
  ops: ObjectId;
  decl: VarFact;
  /** How its contents reach the ops object, e.g. `copied in svm_init via start_svm()`. */
  flow: string;
}

export interface OpsObjectInfo extends Located {
  id: ObjectId;
  name: string;
  decl: VarFact | null;
  /** Accelerated member paths ('' for a plain function pointer). */
  members: string[];
  sites: SiteInfo[];
  runtimeUses: UseInfo[];
  writes: WriteInfo[];
  tables: ImplTableInfo[];
  /** Candidates per accelerated member. */
  candidates: Record<string, Candidate[]>;
}

export interface FunctionInfo { file: string; fact: FunctionFact; isInit: boolean; afterPatch: string | null; }
