/**
 * Ordinary hypervisor-style C: the bulk of the generated tree. Functions with
 * loops, switches, locking and error paths, structs, enums, macros and
 * prototypes, in Xen's coding style (`if ( x )`, four-space indent), with
 * the GNU extensions real code uses (case ranges, statement expressions,
 * typeof, inline asm), so that parsing costs what it costs on real code.
 */
import type { Rng } from './rng';
import type { Namer } from './names';
import { World, Field, FnSig, StructDef, SCALAR_TYPES } from './world';

export type Arch = 'x86' | 'other';

interface Scope {
  ints: string[];
  ptrs: { name: string; struct: StructDef }[];
  ret: string;
  usesOut: boolean;
}

export interface FunctionSpec {
  name: string;
  ret: string;
  params: Field[];
  /** Words between the storage class and the return type, e.g. `__init`. */
  annotations?: string[];
  isStatic?: boolean;
  /** Statements placed in the middle of the generated body. */
  inject?: string[];
  /** Lead with a block comment; random when unset. */
  comment?: boolean;
}

const IND = '    ';

/** The local a generated function of return type `ret` returns. */
export function resultVar(ret: string): string {
  return ret === 'int' ? 'rc' : 'ret';
}

export class CFiller {
  constructor(
    private readonly rng: Rng,
    private readonly names: Namer,
    private readonly world: World,
    private readonly arch: Arch,
  ) {}

  /** Header material until about `bytes` characters. */
  header(bytes: number): string {
    return this.until(bytes, () => {
      const r = this.rng.next();
      if (r < 0.2) return this.structDef();
      if (r < 0.3) return this.enumDef();
      if (r < 0.48) return this.constants();
      if (r < 0.58) return this.macroFunctions();
      if (r < 0.78) return this.prototypes();
      if (r < 0.9) return this.staticInline();
      return this.configStub();
    });
  }

  /** Source-file material until about `bytes` characters. */
  source(bytes: number): string {
    return this.until(bytes, () => {
      const r = this.rng.next();
      if (r < 0.06) return this.fileData();
      if (r < 0.1) return this.structDef();
      if (r < 0.13) return this.constants();
      if (r < 0.18) return this.initcall();
      if (r < 0.26) return this.configured(() => this.function(this.randomSpec()));
      return this.function(this.randomSpec());
    });
  }

  /** Chunks while they bring the size closer to `bytes`, so that sizes come out right on average. */
  private until(bytes: number, chunk: () => string): string {
    const parts: string[] = [];
    let size = 0;
    while (size < bytes) {
      const c = chunk();
      if (size + c.length + 1 - bytes > bytes - size) break;
      parts.push(c);
      size += c.length + 1;
    }
    return parts.join('\n');
  }

  // ---- declarations ----

  private structDef(): string {
    const name = this.names.type();
    const fields: Field[] = [];
    const lines = [`struct ${name} {`];
    const n = this.rng.int(3, 14);
    for (let i = 0; i < n; i++) {
      const fname = this.names.variable();
      if (fields.some((f) => f.name === fname)) continue;
      const r = this.rng.next();
      if (r < 0.1 && this.world.structs.length) {
        const s = this.rng.pick(this.world.structs);
        lines.push(`${IND}struct ${s.name} *${fname};`);
        continue;
      }
      if (r < 0.16) {
        lines.push(`${IND}${this.rng.pick(SCALAR_TYPES)} ${fname}[${this.rng.pick(['4', '8', '16', 'NR_' + fname.toUpperCase().split('_').pop()])}];`);
        continue;
      }
      if (r < 0.22) {
        lines.push(`${IND}bool ${fname}:1;`);
        fields.push({ type: 'bool', name: fname });
        continue;
      }
      if (r < 0.26) {
        lines.push(`${IND}spinlock_t ${fname}_lock;`);
        continue;
      }
      if (r < 0.3) {
        lines.push(`${IND}int (*${fname})(${this.paramList(this.params(2))});`);
        continue;
      }
      if (r < 0.33) {
        lines.push(`${IND}union {`, `${IND}${IND}uint64_t raw;`, `${IND}${IND}struct {`, `${IND}${IND}${IND}uint32_t lo, hi;`, `${IND}${IND}};`, `${IND}} ${fname};`);
        continue;
      }
      const type = this.rng.pick(SCALAR_TYPES);
      const comment = this.rng.chance(0.25) ? `${IND}/* ${this.names.sentence(3, 8)} */\n` : '';
      lines.push(`${comment}${IND}${type} ${fname};`);
      fields.push({ type, name: fname });
    }
    lines.push('};');
    this.world.defineStruct({ name, fields });
    const lead = this.rng.chance(0.4) ? `/* ${this.names.sentence()} */\n` : '';
    return lead + lines.join('\n') + '\n';
  }

  private enumDef(): string {
    const prefix = this.names.noun().toUpperCase();
    const n = this.rng.int(3, 12);
    const lines = [`enum ${this.names.type()} {`];
    for (let i = 0; i < n; i++) {
      const c = this.names.constant(prefix);
      this.world.constants.push(c);
      lines.push(i === 0 || this.rng.chance(0.2) ? `${IND}${c} = ${i === 0 ? 0 : this.rng.int(i, i * 4)},` : `${IND}${c},`);
    }
    lines.push('};', '');
    return lines.join('\n');
  }

  private constants(): string {
    const prefix = this.names.noun().toUpperCase();
    const lines: string[] = [];
    for (let i = this.rng.int(2, 10); i > 0; i--) {
      const c = this.names.constant(prefix);
      this.world.constants.push(c);
      const r = this.rng.next();
      const value = r < 0.4 ? `${this.rng.int(1, 4096)}`
        : r < 0.8 ? `0x${this.rng.int(1, 0xffff).toString(16)}`
        : r < 0.83 ? `BIT(${this.rng.int(0, 31)})`
        : r < 0.85 ? `_AC(0x${this.rng.int(1, 0xffffff).toString(16)}, UL)`
        : `(${this.constantRef()} + ${this.rng.int(1, 16)})`;
      lines.push(`#define ${c.padEnd(28)} ${value}`);
    }
    return lines.join('\n') + '\n';
  }

  private macroFunctions(): string {
    const a = this.names.unique(`${this.names.noun()}_${this.names.verb()}`);
    const b = this.names.unique(`${this.names.noun()}_${this.names.noun()}_ok`);
    const c = this.names.unique(`${this.names.verb()}_${this.names.noun()}_safe`);
    this.world.macros.push(a);
    return [
      `#define ${a}(x)   (((x) >> ${this.rng.int(1, 12)}) & ${this.constantRef()})`,
      `#define ${b}(p, n) ((p) != NULL && (n) < ${this.constantRef()})`,
      `#define ${c}(p, v) do {                  \\`,
      `    spin_lock(&(p)->lock);                    \\`,
      `    (p)->${this.names.variable()} = (v);                \\`,
      `    spin_unlock(&(p)->lock);                  \\`,
      `} while ( 0 )`,
      '',
    ].join('\n');
  }

  private prototypes(): string {
    const lines: string[] = [];
    for (let i = this.rng.int(2, 8); i > 0; i--) {
      const fn: FnSig = { name: this.names.function(), ret: this.returnType(), params: this.params(this.rng.int(0, 4)) };
      this.world.declareFunction(fn);
      const annot = this.rng.chance(0.1) ? '__init ' : '';
      lines.push(`${this.typePrefix(fn.ret)}${annot}${fn.name}(${this.paramList(fn.params)});`);
    }
    if (this.rng.chance(0.3)) lines.push(`extern ${this.rng.pick(SCALAR_TYPES)} ${this.names.unique(this.names.variable())};`);
    if (this.rng.chance(0.2)) lines.push(`DECLARE_PER_CPU(${this.rng.pick(SCALAR_TYPES)}, ${this.names.unique(this.names.variable())});`);
    return lines.join('\n') + '\n';
  }

  private staticInline(): string {
    const spec: FunctionSpec = { name: this.names.function(), ret: this.returnType(), params: this.params(this.rng.int(1, 3)), isStatic: true, annotations: ['inline'] };
    return this.function(spec, 1);
  }

  /** Xen headers often give a real function under a config option and a stub otherwise. */
  private configStub(): string {
    const name = this.names.function();
    const params = this.params(this.rng.int(1, 3));
    const ret = this.rng.pick(['int', 'void', 'bool']);
    const body = ret === 'void' ? '' : ret === 'bool' ? ' return false; ' : ' return -EOPNOTSUPP; ';
    return [
      `#ifdef CONFIG_${this.names.noun().toUpperCase()}_${this.names.noun().toUpperCase()}`,
      `${this.typePrefix(ret)}${name}(${this.paramList(params)});`,
      '#else',
      `static inline ${this.typePrefix(ret)}${name}(${this.paramList(params)}) {${body}}`,
      '#endif',
      '',
    ].join('\n');
  }

  private configured(make: () => string): string {
    return `#ifdef CONFIG_${this.names.noun().toUpperCase()}\n${make()}#endif /* CONFIG */\n`;
  }

  private fileData(): string {
    const name = this.names.unique(`opt_${this.names.variable()}`);
    const r = this.rng.next();
    if (r < 0.3) return `static bool __initdata ${name};\nboolean_param("${name.slice(4).replace(/_/g, '-')}", ${name});\n`;
    if (r < 0.5) return `static unsigned int __read_mostly ${name} = ${this.rng.int(1, 64)};\ninteger_param("${name.slice(4)}", ${name});\n`;
    if (r < 0.6) return `static DEFINE_SPINLOCK(${this.names.unique(this.names.noun())}_lock);\n`;
    if (r < 0.7) return `static DEFINE_PER_CPU(${this.rng.pick(SCALAR_TYPES)}, ${this.names.unique(this.names.variable())});\n`;
    if (r < 0.85) {
      const strs = Array.from({ length: this.rng.int(3, 10) }, () => `    [${this.constantRef()}] = "${this.names.noun()}",`);
      return `static const char *const ${this.names.unique(this.names.noun() + '_names')}[] = {\n${strs.join('\n')}\n};\n`;
    }
    const s = this.world.structs.length ? this.rng.pick(this.world.structs) : null;
    if (!s || s.fields.length === 0) return `static unsigned long __ro_after_init ${name};\n`;
    const rows = Array.from({ length: this.rng.int(2, 8) }, () => {
      const inits = this.rng.sample(s.fields, this.rng.int(1, Math.min(4, s.fields.length))).map((f) => `.${f.name} = ${this.literal(f.type)}`);
      return `    { ${inits.join(', ')} },`;
    });
    return `static const struct ${s.name} ${this.names.unique(s.name + '_table')}[] = {\n${rows.join('\n')}\n};\n`;
  }

  private initcall(): string {
    const name = this.names.function();
    const spec: FunctionSpec = { name, ret: 'int', params: [], isStatic: true, annotations: ['__init'] };
    const reg = this.rng.chance(0.3) ? 'presmp_initcall' : '__initcall';
    return `${this.function(spec)}${reg}(${name});\n`;
  }

  // ---- functions ----

  private randomSpec(): FunctionSpec {
    const undef = this.world.undefinedFunctions;
    if (undef.length && this.rng.chance(0.5)) {
      const fn = undef.splice(this.rng.int(0, undef.length - 1), 1)[0];
      return { ...fn, isStatic: false, annotations: fn.name.endsWith('_init') ? ['__init'] : [] };
    }
    const annotations: string[] = [];
    const r = this.rng.next();
    if (r < 0.12) annotations.push('__init');
    else if (r < 0.2) annotations.push('cf_check');
    else if (r < 0.23) annotations.push('noinline');
    return { name: this.names.function(), ret: this.returnType(), params: this.params(this.rng.int(0, 4)), isStatic: this.rng.chance(0.6), annotations };
  }

  /** A function definition; `depthLimit` keeps header inlines short. */
  function(spec: FunctionSpec, depthLimit = 3): string {
    const scope: Scope = { ints: [], ptrs: [], ret: spec.ret, usesOut: false };
    for (const p of spec.params) this.declare(scope, p);
    const decls: string[] = [];
    for (let i = this.rng.int(1, 4); i > 0; i--) {
      const f = this.rng.chance(0.3) && this.world.structs.length
        ? { type: `struct ${this.rng.pick(this.world.structs).name} *`, name: this.names.noun() }
        : { type: this.rng.pick(['unsigned int', 'unsigned long', 'int', 'uint64_t']), name: this.rng.pick(['i', 'j', 'n', 'nr', 'idx', 'val', 'mask', 'flags', this.names.variable()]) };
      if (spec.params.some((p) => p.name === f.name) || decls.some((d) => d.endsWith(` ${f.name};`) || d.endsWith(`*${f.name};`))) continue;
      this.declare(scope, f);
      decls.push(`${IND}${this.typePrefix(f.type)}${f.name};`);
    }
    if (spec.ret !== 'void') {
      const rv = resultVar(spec.ret);
      if (!scope.ints.includes(rv) && !spec.params.some((p) => p.name === rv)) {
        decls.push(`${IND}${this.typePrefix(spec.ret)}${rv} = 0;`);
        scope.ints.push(rv);
      }
    }
    const budget = depthLimit === 1 ? this.rng.int(1, 3) : this.rng.int(3, 14);
    const statements: string[][] = [];
    for (let i = 0; i < budget; i++) statements.push(this.statement(scope, 1, depthLimit));
    if (spec.inject) statements.splice(this.rng.int(0, statements.length), 0, spec.inject.map((s) => IND + s));
    const body = statements.flat();
    const lines: string[] = [];
    if (spec.comment ?? this.rng.chance(0.45)) {
      lines.push('/*');
      for (let i = this.rng.int(1, 4); i > 0; i--) lines.push(` * ${this.names.sentence()}`);
      lines.push(' */');
    }
    const storage = spec.isStatic ? 'static ' : '';
    const annots = spec.annotations?.length ? spec.annotations.join(' ') + ' ' : '';
    lines.push(`${storage}${annots}${this.typePrefix(spec.ret)}${spec.name}(${this.paramList(spec.params)})`, '{');
    lines.push(...decls);
    if (decls.length) lines.push('');
    lines.push(...body);
    if (scope.usesOut) lines.push('', ' out:');
    if (spec.ret !== 'void') lines.push(...(body.length || scope.usesOut ? [''] : []), `${IND}return ${resultVar(spec.ret)};`);
    lines.push('}', '');
    return lines.join('\n');
  }

  private declare(scope: Scope, f: Field): void {
    const m = /^(?:const )?struct (\w+) \*$/.exec(f.type);
    const s = m && this.world.structsByName.get(m[1]);
    if (s) scope.ptrs.push({ name: f.name, struct: s });
    else if (!f.type.includes('*')) scope.ints.push(f.name);
  }

  private statement(scope: Scope, depth: number, limit: number): string[] {
    const pad = IND.repeat(depth);
    const nested = depth < limit;
    const r = this.rng.next();
    if (nested && r < 0.14) return this.ifStatement(scope, depth, limit);
    if (nested && r < 0.2) {
      const i = this.intVar(scope);
      return [`${pad}for ( ${i} = 0; ${i} < ${this.intExpr(scope, 1)}; ${i}++ )`, ...this.block(scope, depth, limit)];
    }
    // Loop macros used as statement heads: tree-sitter cannot tell them from calls, as in Xen (2% of its loops).
    if (nested && r < 0.206) {
      const head = scope.ptrs.length && this.rng.chance(0.5)
        ? `list_for_each_entry ( ${this.rng.pick(scope.ptrs).name}, &${this.names.noun()}_list, list )`
        : `for_each_online_cpu ( ${this.intVar(scope)} )`;
      return [`${pad}${head}`, ...this.block(scope, depth, limit)];
    }
    if (nested && r < 0.23) return [`${pad}while ( ${this.condition(scope)} )`, ...this.block(scope, depth, limit)];
    if (nested && r < 0.25) return [`${pad}do {`, ...this.statements(scope, depth + 1, limit, 1, 3), `${pad}} while ( ${this.condition(scope)} );`];
    if (nested && r < 0.3) return this.switchStatement(scope, depth, limit);
    if (r < 0.33 && scope.ptrs.length) {
      const p = this.rng.pick(scope.ptrs).name;
      return [`${pad}spin_lock(&${p}->lock);`, ...this.statements(scope, depth, limit, 1, 2), `${pad}spin_unlock(&${p}->lock);`];
    }
    if (r < 0.38 && scope.ret === 'int') {
      scope.usesOut = true;
      return [`${pad}if ( ${this.condition(scope)} )`, `${pad}{`, `${pad}${IND}rc = -${this.rng.pick(['EINVAL', 'ENOMEM', 'EBUSY', 'ENOENT', 'EPERM'])};`, `${pad}${IND}goto out;`, `${pad}}`];
    }
    if (r < 0.43) return [`${pad}printk(${this.rng.pick(['XENLOG_INFO', 'XENLOG_WARNING', 'XENLOG_ERR', 'XENLOG_DEBUG'])} "${this.names.noun()}: ${this.names.sentence(2, 5).slice(0, -1).toLowerCase()} %u\\n", ${this.intExpr(scope, 1)});`];
    if (r < 0.46) return [`${pad}${this.rng.pick(['ASSERT', 'BUG_ON'])}(${this.condition(scope)});`];
    if (r < 0.5) return [`${pad}/* ${this.names.sentence(4, 12)} */`];
    if (r < 0.51) return [`#ifdef CONFIG_${this.names.noun().toUpperCase()}`, ...this.statements(scope, depth, limit, 1, 2), '#endif'];
    if (r < 0.52 && this.arch === 'x86' && scope.ints.length >= 2) {
      const [a, b] = this.rng.sample(scope.ints, 2);
      return [`${pad}asm volatile ( "rdmsr" : "=a" (${a}), "=d" (${b}) : "c" (${this.constantRef()}) );`];
    }
    if (r < 0.54 && scope.ints.length) {
      const v = this.intVar(scope);
      return [`${pad}${v} = ({ typeof(${v}) t_ = ${this.intExpr(scope, 1)}; t_ ? t_ : ${this.rng.int(1, 8)}; });`];
    }
    if (r < 0.72) return [`${pad}${this.callExpr(scope)};`];
    if (r < 0.8 && scope.ptrs.length) {
      const p = this.rng.pick(scope.ptrs);
      const f = p.struct.fields.length ? this.rng.pick(p.struct.fields).name : 'flags';
      return [`${pad}${p.name}->${f} ${this.rng.pick(['=', '|=', '&=', '+='])} ${this.intExpr(scope, 2)};`];
    }
    return [`${pad}${this.intVar(scope)} ${this.rng.pick(['=', '=', '+=', '|='])} ${this.intExpr(scope, 2)};`];
  }

  private statements(scope: Scope, depth: number, limit: number, min: number, max: number): string[] {
    const out: string[] = [];
    for (let i = this.rng.int(min, max); i > 0; i--) out.push(...this.statement(scope, depth, limit));
    return out;
  }

  /** A loop or branch body: a single indented statement or a braced block on its own lines. */
  private block(scope: Scope, depth: number, limit: number): string[] {
    const pad = IND.repeat(depth);
    if (this.rng.chance(0.35)) return [`${pad}${IND}${this.rng.chance(0.5) ? this.callExpr(scope) : `${this.intVar(scope)} = ${this.intExpr(scope, 1)}`};`];
    return [`${pad}{`, ...this.statements(scope, depth + 1, limit, 1, 4), `${pad}}`];
  }

  private ifStatement(scope: Scope, depth: number, limit: number): string[] {
    const pad = IND.repeat(depth);
    const out = [`${pad}if ( ${this.condition(scope)} )`, ...this.block(scope, depth, limit)];
    if (this.rng.chance(0.15)) out.push(`${pad}else if ( ${this.condition(scope)} )`, ...this.block(scope, depth, limit));
    if (this.rng.chance(0.3)) out.push(`${pad}else`, ...this.block(scope, depth, limit));
    return out;
  }

  private switchStatement(scope: Scope, depth: number, limit: number): string[] {
    const pad = IND.repeat(depth);
    const out = [`${pad}switch ( ${this.intExpr(scope, 1)} )`, `${pad}{`];
    let next = 0;
    for (let i = this.rng.int(2, 7); i > 0; i--) {
      // About as common as in Xen: 277 ranges in its 16 MB.
      if (this.rng.chance(0.015)) {
        out.push(`${pad}case 0x${next.toString(16)} ... 0x${(next + 7).toString(16)}:`);
        next += 8;
      } else {
        out.push(`${pad}case ${this.rng.chance(0.4) && this.world.constants.length ? this.rng.pick(this.world.constants) : String(next)}:`);
        next += this.rng.int(1, 3);
      }
      out.push(...this.statements(scope, depth + 1, limit, 1, 3), `${pad}${IND}break;`, '');
    }
    out.push(`${pad}default:`, ...this.statements(scope, depth + 1, limit, 0, 1), `${pad}${IND}break;`, `${pad}}`);
    return out;
  }

  // ---- expressions ----

  private intVar(scope: Scope): string {
    if (!scope.ints.length) scope.ints.push('i');
    return this.rng.pick(scope.ints);
  }

  private intExpr(scope: Scope, depth: number): string {
    const r = this.rng.next();
    if (depth > 0 && r < 0.15) return `(${this.intExpr(scope, depth - 1)} ${this.rng.pick(['+', '-', '&', '|', '<<', '>>', '*'])} ${this.intExpr(scope, depth - 1)})`;
    if (depth > 0 && r < 0.22) return this.callExpr(scope);
    if (depth > 0 && r < 0.27 && this.world.macros.length) return `${this.rng.pick(this.world.macros)}(${this.intExpr(scope, depth - 1)})`;
    if (r < 0.35 && scope.ptrs.length) {
      const p = this.rng.pick(scope.ptrs);
      return p.struct.fields.length ? `${p.name}->${this.rng.pick(p.struct.fields).name}` : p.name;
    }
    if (r < 0.5) return this.constantRef();
    if (r < 0.6) return this.rng.chance(0.5) ? String(this.rng.int(0, 64)) : `0x${this.rng.int(0, 0xfff).toString(16)}`;
    if (depth > 0 && r < 0.64) return `(${this.rng.pick(['unsigned long', 'uint32_t', 'int'])})${this.intVar(scope)}`;
    return this.intVar(scope);
  }

  private condition(scope: Scope): string {
    const r = this.rng.next();
    if (r < 0.2 && scope.ptrs.length) return `!${this.rng.pick(scope.ptrs).name}`;
    if (r < 0.35) return `${this.intExpr(scope, 1)} & ${this.constantRef()}`;
    if (r < 0.45) return `unlikely(${this.intExpr(scope, 0)} ${this.rng.pick(['==', '!=', '>'])} ${this.intExpr(scope, 0)})`;
    if (r < 0.55) return `${this.condition(scope)} ${this.rng.pick(['&&', '||'])} ${this.intExpr(scope, 0)}`;
    if (r < 0.65) return this.callExpr(scope);
    return `${this.intExpr(scope, 1)} ${this.rng.pick(['<', '>=', '==', '!=', '<='])} ${this.intExpr(scope, 1)}`;
  }

  private callExpr(scope: Scope): string {
    if (!this.world.functions.length) return `${this.names.noun()}_${this.names.verb()}(${this.intVar(scope)})`;
    const fn = this.rng.pick(this.world.functions);
    const args = fn.params.map((p) => {
      if (p.type.includes('*')) {
        const ptr = scope.ptrs.find((x) => p.type.includes(x.struct.name));
        return ptr ? ptr.name : scope.ptrs.length ? `(void *)${this.rng.pick(scope.ptrs).name}` : 'NULL';
      }
      return this.intExpr(scope, 0);
    });
    return `${fn.name}(${args.join(', ')})`;
  }

  /** A few constants are everywhere in a hypervisor (page size, bit masks); the rest are local colour. */
  private constantRef(): string {
    const r = this.rng.next();
    if (r < 0.1) return 'PAGE_SIZE';
    if (r < 0.15) return `BIT(${this.rng.int(0, 63)})`;
    return this.world.constants.length ? this.rng.pick(this.world.constants) : 'NR_CPUS';
  }

  private literal(type: string): string {
    return type === 'bool' ? this.rng.pick(['true', 'false']) : String(this.rng.int(0, 255));
  }

  // ---- types ----

  private returnType(): string {
    return this.rng.pick(['int', 'int', 'void', 'void', 'unsigned long', 'bool', 'unsigned int', 'uint64_t']);
  }

  private params(n: number): Field[] {
    const out: Field[] = [];
    for (let i = 0; i < n; i++) {
      const r = this.rng.next();
      let f: Field;
      if (r < 0.35 && this.world.structs.length) {
        const s = this.rng.pick(this.world.structs);
        f = { type: `${this.rng.chance(0.3) ? 'const ' : ''}struct ${s.name} *`, name: s.name.split('_').pop()! };
      } else if (r < 0.45) {
        f = { type: 'struct domain *', name: 'd' };
      } else if (r < 0.55) {
        f = { type: 'struct vcpu *', name: 'v' };
      } else {
        f = { type: this.rng.pick(SCALAR_TYPES), name: this.rng.pick(['cpu', 'gfn', 'mfn', 'flags', 'nr', 'order', 'idx', 'val', 'port', 'irq', 'vector', 'mask']) };
      }
      if (!out.some((p) => p.name === f.name)) out.push(f);
    }
    return out;
  }

  paramList(params: Field[]): string {
    return params.length ? params.map((p) => `${this.typePrefix(p.type)}${p.name}`).join(', ') : 'void';
  }

  /** `int ` or `struct x *`: a type written so that a name can follow directly. */
  typePrefix(type: string): string {
    return type.endsWith('*') ? type : `${type} `;
  }
}
