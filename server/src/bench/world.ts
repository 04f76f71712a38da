/**
 * What the generated headers have declared so far: the structs, functions and
 * constants that later files use, so that code refers to things that exist and
 * the engine sees a call graph spanning files.
 */
export interface Field { type: string; name: string; }

export interface StructDef { name: string; fields: Field[]; }

export interface FnSig { name: string; ret: string; params: Field[]; }

export class World {
  readonly structs: StructDef[] = [];
  readonly structsByName = new Map<string, StructDef>();
  readonly functions: FnSig[] = [];
  /** Declared in a header and not yet given a body by any source file. */
  readonly undefinedFunctions: FnSig[] = [];
  readonly constants: string[] = [];
  /** Function-like macros of one integer argument. */
  readonly macros: string[] = [];

  defineStruct(def: StructDef): void {
    this.structs.push(def);
    this.structsByName.set(def.name, def);
  }

  declareFunction(fn: FnSig): void {
    this.functions.push(fn);
    this.undefinedFunctions.push(fn);
  }
}

export const SCALAR_TYPES = ['unsigned int', 'unsigned long', 'uint64_t', 'uint32_t', 'uint16_t', 'uint8_t', 'int', 'bool'];
