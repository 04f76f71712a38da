/**
 * The alternative-call subsystems planted in the generated tree, one shape per
 * way Xen wires them (ALTCALL.md section 1): a big function table with static
 * inline wrappers in a header, wrapper macros with `## args`, an X-macro hook
 * list, a file-local `ops`, a lone function pointer, and a probe list of
 * tables behind object-like macros. Each records its sites, ops object and
 * impl tables in the manifest.
 */
import type { Rng } from './rng';
import type { Namer } from './names';
import { CFiller, resultVar } from './cgen';
import type { Field } from './world';
import { includeName, TreePlan } from './plan';

export type Style = 'funcs' | 'xmacro' | 'wrapper' | 'local' | 'pointer' | 'probe';

/** Mostly like Xen's mix (one big table, one hook list, several of the rest), repeated for bigger trees. */
export const STYLE_CYCLE: readonly Style[] = [
  'funcs', 'xmacro', 'wrapper', 'local', 'pointer', 'probe', 'local', 'wrapper',
  'local', 'probe', 'pointer', 'local', 'wrapper', 'local', 'probe', 'pointer',
];

export interface Planter {
  /** Writes the subsystem's own files. */
  own(): void;
  /** Adds uses to ordinary files, which exist only once the layout is done. */
  scatter(): void;
}

export interface PlantContext {
  rng: Rng;
  names: Namer;
  code: CFiller;
  plan: TreePlan;
}

interface Member { name: string; ret: string; params: Field[]; }

const SUBSYSTEMS = ['gvm', 'pmu', 'ioq', 'clk', 'dmar', 'idl', 'hwm', 'psec', 'nmi', 'ucx', 'xlt', 'pwr', 'evq', 'fwi', 'dbg', 'apx', 'mce', 'tmr', 'vpt', 'mig', 'rnd', 'vio', 'blk', 'ras', 'cet'];
const HOOK_SUBSYSTEMS = ['xsp', 'xpol', 'xac'];
const IMPLS = ['amd', 'intel', 'generic', 'legacy', 'fast', 'hw', 'sw', 'emul', 'native', 'zen', 'core', 'atom'];
const OPS_PARAMS: readonly Field[] = [
  { type: 'struct vcpu *', name: 'v' }, { type: 'struct domain *', name: 'd' }, { type: 'unsigned int', name: 'cpu' },
  { type: 'unsigned long', name: 'gfn' }, { type: 'uint64_t', name: 'val' }, { type: 'unsigned int', name: 'flags' },
  { type: 'struct cpu_user_regs *', name: 'regs' }, { type: 'paddr_t', name: 'addr' },
];
const HOOK_TYPES: readonly string[] = ['struct domain *', 'uint32_t', 'unsigned long', 'int', 'struct vcpu *'];
/**
 * The big table's core file is about 5,000 lines (generated code runs about
 * 27 bytes a line), as Xen's hvm.c is: the language server bench times
 * edits in a file of that size holding sites.
 */
const CORE_FILE_BYTES = 135_000;

export function planter(style: Style, ctx: PlantContext): Planter {
  // Xen's hook list is XSM's; its initial matters to tools that guess at `##` pasting.
  const name = ctx.names.unique(ctx.rng.pick(style === 'xmacro' ? HOOK_SUBSYSTEMS : SUBSYSTEMS));
  switch (style) {
    case 'funcs': return new FunctionTable(ctx, name);
    case 'xmacro': return new HookList(ctx, name);
    case 'wrapper': return new WrapperMacros(ctx, name);
    case 'local': return new LocalOps(ctx, name);
    case 'pointer': return new LonePointer(ctx, name);
    case 'probe': return new ProbeList(ctx, name);
  }
}

abstract class Subsystem implements Planter {
  constructor(protected readonly ctx: PlantContext, protected readonly name: string) {}

  abstract own(): void;

  scatter(): void {}

  protected get rng(): Rng { return this.ctx.rng; }

  /** Keeps the generated helper functions from taking the names of this subsystem's own functions and macros. */
  protected reserve(...ids: string[]): void {
    for (const id of ids) this.ctx.names.reserve(`${this.name}_${id}`);
  }
  protected get plan(): TreePlan { return this.ctx.plan; }

  protected members(min: number, max: number): Member[] {
    const out: Member[] = [];
    for (let i = this.rng.int(min, max); i > 0; i--) {
      const name = this.rng.chance(0.5) ? this.ctx.names.verb() : `${this.ctx.names.noun()}_${this.ctx.names.verb()}`;
      if (out.some((m) => m.name === name)) continue;
      out.push({ name, ret: this.rng.pick(['int', 'int', 'void', 'void', 'unsigned long', 'bool']), params: this.rng.sample(OPS_PARAMS, this.rng.int(0, 3)) });
    }
    return out;
  }

  protected pointerDecl(m: Member, indent = '    '): string {
    return `${indent}${this.ctx.code.typePrefix(m.ret)}(*${m.name})(${this.ctx.code.paramList(m.params)});`;
  }

  /** `alternative_call(target, args)`, or the `v` form for void members. */
  protected altcall(m: Member, target: string, macro = m.ret === 'void' ? 'alternative_vcall' : 'alternative_call'): string {
    return `${macro}(${[target, ...m.params.map((p) => p.name)].join(', ')})`;
  }

  /** A function whose body, among ordinary statements, makes `call`. */
  protected host(m: Member, call: string): string {
    const ret = m.ret === 'void' ? this.rng.pick(['void', 'int']) : m.ret;
    const stmt = m.ret === 'void' ? `${call};` : `${resultVar(ret)} = ${call};`;
    return this.ctx.code.function({ name: this.ctx.names.function(this.name), ret, params: m.params, isStatic: this.rng.chance(0.4), inject: [stmt] }, 2);
  }

  /** One `cf_check` function per member (a few left out when `optional`), then the initialiser lines naming them. */
  protected implementation(prefix: string, members: Member[], optional = 0): { functions: string; initialisers: string[] } {
    const functions: string[] = [];
    const initialisers: string[] = [];
    for (const m of members) {
      if (this.rng.chance(optional)) continue;
      const fn = this.ctx.names.unique(`${prefix}_${m.name}`);
      functions.push(this.ctx.code.function({ name: fn, ret: m.ret, params: m.params, isStatic: true, annotations: ['cf_check'], comment: false }, 2));
      initialisers.push(`    .${m.name.padEnd(16)} = ${fn},`);
    }
    return { functions: functions.join('\n'), initialisers };
  }

  /** Ordinary source files for uses: x86 ones, or common code (other architectures have no alternative calls). */
  protected ordinaryFiles(count: number, x86Only = false): string[] {
    const fits = (p: string) => p.startsWith('xen/arch/x86/') || (!x86Only && !p.startsWith('xen/arch/'));
    return this.rng.sample(this.plan.sourceFiles(fits), count).map((f) => f.path);
  }
}

/** One large table of hooks, half reached through static inlines in its header (Xen's HVM shape). */
class FunctionTable extends Subsystem {
  private readonly header = `xen/arch/x86/include/asm/${this.name}/${this.name}.h`;
  private readonly object = `${this.name}_funcs`;
  private readonly type = `struct ${this.name}_function_table`;
  private inlines: Member[] = [];

  own(): void {
    const { plan, name, object, type, header } = this;
    const members = this.members(36, 48);
    const split = Math.ceil(members.length / 2);
    this.inlines = members.slice(0, split);
    const optional = this.inlines[0];
    const impls = this.rng.sample(IMPLS, 2);
    const core = `xen/arch/x86/${name}/${name}.c`;
    this.reserve('enable', 'report', 'enabled', 'has_superpages', ...members.map((m) => m.name));
    plan.file(core, { bytes: CORE_FILE_BYTES });

    plan.include(header, '<xen/lib.h>');
    plan.include(header, '<xen/alternative-call.h>');
    plan.add(header,
      [`${type} {`, '    const char *name;', '    struct {', '        bool hap:1, superpages:1, singlestep:1;', '    } caps;', '', ...members.map((m) => this.pointerDecl(m)), '};', ''].join('\n'),
      `extern ${type} ${object};\nextern bool ${name}_enabled;\n`,
      impls.map((i) => `const ${type} *start_${i}_${name}(void);`).join('\n') + '\n',
      `#define ${name}_has_superpages (${object}.caps.superpages)\n`);
    for (const m of this.inlines) {
      const call = this.altcall(m, `${object}.${m.name}`);
      const params = this.ctx.code.paramList(m.params);
      const body = m === optional && m.ret === 'int'
        ? [`    if ( ${object}.${m.name} )`, `        return ${call};`, '    return 0;']
        : [`    ${m.ret === 'void' ? '' : 'return '}${call};`];
      plan.add(header, [`static inline ${this.ctx.code.typePrefix(m.ret)}${name}_${m.name}(${params})`, '{', ...body, '}', ''].join('\n'));
      plan.site(header, object, m.name);
    }

    for (const f of [core, ...impls.map((i) => `xen/arch/x86/${name}/${i}/${i}.c`)]) {
      plan.include(f, '<xen/init.h>');
      plan.include(f, '<xen/lib.h>');
      plan.include(f, includeName(header, f));
    }
    plan.add(core,
      `${type} __ro_after_init ${object};\nbool __read_mostly ${name}_enabled;\n`,
      [
        `static int __init cf_check ${name}_enable(void)`, '{', `    const ${type} *fns = NULL;`, '',
        `    if ( cpu_has_${impls[0]}_${name}() )`, `        fns = start_${impls[0]}_${name}();`,
        `    else if ( cpu_has_${impls[1]}_${name}() )`, `        fns = start_${impls[1]}_${name}();`, '',
        '    if ( !fns )', '        return 0;', '',
        `    ${object} = *fns;`, `    ${name}_enabled = true;`,
        `    printk("${name}: %s enabled\\n", fns->name);`, '    return 0;', '}', `presmp_initcall(${name}_enable);`, '',
      ].join('\n'),
      [`void ${name}_report(void)`, '{', `    printk("${name}: %s, superpages %d\\n", ${object}.name, ${name}_has_superpages);`, '}', ''].join('\n'));
    plan.manifest.opsObjects.push({ name: object, file: core });
    for (const m of members.slice(split)) {
      for (let i = this.rng.int(1, 3); i > 0; i--) {
        plan.add(core, this.host(m, this.altcall(m, `${object}.${m.name}`)));
        plan.site(core, object, m.name);
      }
    }

    impls.forEach((impl, n) => {
      const file = `xen/arch/x86/${name}/${impl}/${impl}.c`;
      const table = `${impl}_function_table`;
      const { functions, initialisers } = this.implementation(impl, members, 0.05);
      // One of each: a const table, and one that init code may still adjust.
      const decl = n === 0 ? `static const ${type} __initconst_cf_clobber` : `static ${type} __initdata_cf_clobber`;
      plan.add(file, functions,
        [`${decl} ${table} = {`, `    .name = "${impl.toUpperCase()}",`, `    .caps = { .hap = true, .superpages = ${n === 0} },`, ...initialisers, '};', ''].join('\n'),
        [`const ${type} *__init start_${impl}_${name}(void)`, '{', `    if ( !${impl}_${name}_usable() )`, '        return NULL;', '', `    return &${table};`, '}', ''].join('\n'));
      plan.manifest.implTables.push({ name: table, ops: object });
    });
  }

  /** Xen includes its biggest headers nearly everywhere; calls through the inlines are not sites of their own. */
  scatter(): void {
    for (const file of this.ordinaryFiles(Math.ceil(this.plan.files.size / 40), true)) {
      const m = this.rng.pick(this.inlines);
      this.plan.include(file, includeName(this.header, file));
      this.plan.add(file, this.host(m, `${this.name}_${m.name}(${m.params.map((p) => p.name).join(', ')})`));
    }
  }
}

/** An X-macro list of hooks, expanded into members and into wrappers that call through the ops object. */
class HookList extends Subsystem {
  private readonly upper = this.name.toUpperCase();
  private readonly dir = `xen/include/${this.name}`;
  private hooks: { name: string; ret: string; types: string[] }[] = [];

  own(): void {
    const { plan, name, upper, dir } = this;
    const object = `${name}_ops`;
    const list = `${dir}/hooks.h`;
    const header = `${dir}/${name}.h`;
    const core = `xen/${name}/${name}.c`;
    const dummy = `xen/${name}/dummy.c`;
    for (let i = this.rng.int(24, 36); i > 0; i--) {
      const hook = this.ctx.names.unique(`${this.ctx.names.noun()}_${this.ctx.names.verb()}`);
      this.hooks.push({ name: hook, ret: this.rng.pick(['int', 'int', 'void']), types: this.rng.sample(HOOK_TYPES, this.rng.int(0, 3)) });
    }
    this.reserve('init', 'dummy_init', ...this.hooks.map((h) => h.name));
    const arity = [0, 1, 2, 3];
    const typeParams = (n: number) => arity.slice(1, n + 1).map((k) => `t${k}`);

    plan.file(list, { plain: true });
    plan.add(list,
      `/*\n * ${this.ctx.names.sentence()}\n * No include guard: ${name}.h includes this list once per ${upper}_HOOKn definition.\n */\n`,
      [`#ifndef ${upper}_HOOK`, '', '#include <xen/lib.h>', '',
        `#define ${upper}_HOOK__(rtype, name, nr, types...) ${upper}_HOOK ## nr(rtype, name, ## types)`,
        `#define ${upper}_HOOK_(rtype, name, nr, types...)  ${upper}_HOOK__(rtype, name, nr, ## types)`,
        `#define ${upper}_HOOK(rtype, name, types...) \\`, `    ${upper}_HOOK_(rtype, name, count_args(types), ## types)`, '', `#endif /* ${upper}_HOOK */`, ''].join('\n'),
      this.hooks.map((h) => `${upper}_HOOK(${[h.ret, h.name, ...h.types].join(', ')})`).join('\n') + '\n',
      arity.map((n) => `#undef ${upper}_HOOK${n}`).join('\n') + '\n');
    for (const h of this.hooks) plan.site(list, object, h.name);

    plan.include(header, '<xen/lib.h>');
    plan.include(header, '<xen/alternative-call.h>');
    const memberDefs = arity.map((n) => `#define ${upper}_HOOK${n}(${['rtype', 'name', ...typeParams(n)].join(', ')}) rtype (*name)(${n ? typeParams(n).join(', ') : 'void'});`);
    const wrapperDefs = arity.map((n) => {
      const params = n ? typeParams(n).map((t, k) => `${t} a${k + 1}`).join(', ') : 'void';
      const args = [`${object}.name`, ...arity.slice(1, n + 1).map((k) => `a${k}`)].join(', ');
      return [`#define ${upper}_HOOK${n}(${['rtype', 'name', ...typeParams(n)].join(', ')}) \\`, `static inline rtype ${name}_ ## name(${params}) \\`, '{ \\', `    ${upper}_ALT_ ## rtype(${args}); \\`, '}'].join('\n');
    });
    plan.add(header,
      [`struct ${name}_ops {`, '    const char *name;', '', ...memberDefs, `#include "hooks.h"`, '};', ''].join('\n'),
      `extern struct ${name}_ops ${object};\n`,
      [`/* rtype picks the form: a void hook cannot return a value. */`, `#define ${upper}_ALT_void alternative_vcall`, `#define ${upper}_ALT_int  return alternative_call`, '', ...wrapperDefs, '#include "hooks.h"', ''].join('\n'),
      `const struct ${name}_ops *${name}_dummy_init(void);\nint ${name}_init(void);\n`);

    for (const f of [core, dummy]) {
      plan.include(f, '<xen/init.h>');
      plan.include(f, '<xen/lib.h>');
      plan.include(f, includeName(header, f));
    }
    plan.add(core,
      `struct ${name}_ops __alt_call_maybe_initdata ${object};\n\nstatic bool __initdata opt_${name}_enforce;\nboolean_param("${name}-enforce", opt_${name}_enforce);\n`,
      [`int __init ${name}_init(void)`, '{', `    const struct ${name}_ops *ops = ${name}_dummy_init();`, '', '    if ( !ops )', '        return -ENODEV;', '',
        `    ${object} = *ops;`, `    printk("${name}: %s policy%s\\n", ops->name, opt_${name}_enforce ? " (enforcing)" : "");`, '    return 0;', '}', ''].join('\n'));
    plan.manifest.opsObjects.push({ name: object, file: core });

    const bodies: string[] = [];
    const inits: string[] = ['    .name = "dummy",'];
    for (const h of this.hooks) {
      const fn = this.ctx.names.unique(`dummy_${h.name}`);
      const params = h.types.length ? h.types.map((t, k) => `${this.ctx.code.typePrefix(t)}a${k + 1}`).join(', ') : 'void';
      bodies.push(`static ${this.ctx.code.typePrefix(h.ret)}cf_check ${fn}(${params})\n{\n${h.ret === 'void' ? '' : '    return 0;\n'}}\n`);
      inits.push(`    .${h.name.padEnd(20)} = ${fn},`);
    }
    plan.add(dummy, bodies.join('\n'),
      [`static const struct ${name}_ops __initconst_cf_clobber ${name}_dummy_ops = {`, ...inits, '};', ''].join('\n'),
      [`const struct ${name}_ops *__init ${name}_dummy_init(void)`, '{', `    return &${name}_dummy_ops;`, '}', ''].join('\n'));
    plan.manifest.implTables.push({ name: `${name}_dummy_ops`, ops: object });
  }

  scatter(): void {
    const header = `${this.dir}/${this.name}.h`;
    for (const file of this.ordinaryFiles(Math.ceil(this.plan.files.size / 60))) {
      const h = this.rng.pick(this.hooks);
      const params = h.types.map((type, k) => ({ type, name: `a${k + 1}` }));
      this.plan.include(file, includeName(header, file));
      this.plan.add(file, this.host({ name: h.name, ret: h.ret, params }, `${this.name}_${h.name}(${params.map((p) => p.name).join(', ')})`));
    }
  }
}

/** `name_call(fn, args...)` wrapper macros over one ops object, used all over the tree; drivers register tables. */
class WrapperMacros extends Subsystem {
  private readonly header = `xen/include/xen/${this.name}.h`;
  private members_: Member[] = [];

  own(): void {
    const { plan, name, header } = this;
    const object = `${name}_ops`;
    const core = `xen/drivers/${name}/${name}.c`;
    const members = (this.members_ = this.members(5, 12));
    const flush: Member = { name: 'flush_all', ret: 'void', params: [] };
    members.push(flush);
    this.reserve('call', 'vcall', 'flush_all', 'register', 'page_sizes');

    plan.include(header, '<xen/lib.h>');
    plan.include(header, '<xen/alternative-call.h>');
    plan.add(header,
      [`struct ${name}_ops {`, '    const char *name;', '    unsigned int page_sizes;', ...members.map((m) => this.pointerDecl(m)), '};', ''].join('\n'),
      `extern struct ${name}_ops ${object};\nint ${name}_register(const struct ${name}_ops *ops);\n`,
      [`/* Every call goes through the object, so each one can be patched. */`,
        `#define ${name}_call(fn, args...)  alternative_call(${object}.fn, ## args)`,
        `#define ${name}_vcall(fn, args...) alternative_vcall(${object}.fn, ## args)`, '',
        `#define ${name}_flush_all() ${name}_vcall(flush_all)`, ''].join('\n'));

    plan.include(core, '<xen/init.h>');
    plan.include(core, '<xen/lib.h>');
    plan.include(core, includeName(header, core));
    plan.add(core,
      `struct ${name}_ops __ro_after_init ${object};\n`,
      [`int __init ${name}_register(const struct ${name}_ops *ops)`, '{', `    if ( ${object}.name )`, '        return -EBUSY;', '', `    ${object} = *ops;`, `    printk("${name}: using %s\\n", ops->name);`, '    return 0;', '}', ''].join('\n'),
      [`unsigned int ${name}_page_sizes(void)`, '{', `    return ${object}.page_sizes;`, '}', ''].join('\n'));
    plan.manifest.opsObjects.push({ name: object, file: core });
    plan.add(core, this.host(flush, `${name}_flush_all()`));
    plan.site(core, object, flush.name);

    for (const impl of this.rng.sample(IMPLS, this.rng.int(2, 4))) {
      const file = `xen/drivers/${name}/${impl}.c`;
      const table = `${impl}_${name}_ops`;
      const { functions, initialisers } = this.implementation(`${impl}_${name}`, members, 0.1);
      plan.include(file, '<xen/init.h>');
      plan.include(file, '<xen/lib.h>');
      plan.include(file, includeName(header, file));
      plan.add(file, functions,
        [`static const struct ${name}_ops __initconst_cf_clobber ${table} = {`, `    .name = "${impl}",`, `    .page_sizes = ${this.rng.pick(['PAGE_SIZE', '0x1000 | 0x200000'])},`, ...initialisers, '};', ''].join('\n'),
        [`static int __init cf_check ${table}_init(void)`, '{', `    if ( !${impl}_${name}_present() )`, '        return 0;', '', `    return ${name}_register(&${table});`, '}', `presmp_initcall(${table}_init);`, ''].join('\n'));
      plan.manifest.implTables.push({ name: table, ops: object });
    }
  }

  scatter(): void {
    const object = `${this.name}_ops`;
    for (const file of this.ordinaryFiles(this.rng.int(20, 40))) {
      const m = this.rng.pick(this.members_);
      const macro = `${this.name}_${m.ret === 'void' ? 'vcall' : 'call'}`;
      this.plan.include(file, includeName(this.header, file));
      this.plan.add(file, this.host(m, `${macro}(${[m.name, ...m.params.map((p) => p.name)].join(', ')})`));
      this.plan.site(file, object, m.name);
    }
  }
}

/** A file-local `static` ops object with its tables and sites all in one file (Xen has several named `ops`). */
class LocalOps extends Subsystem {
  own(): void {
    const { plan, name } = this;
    const file = `${this.rng.pick(['xen/arch/x86/cpu', 'xen/drivers', 'xen/common', 'xen/arch/x86'])}/${name}.c`;
    const object = this.rng.chance(0.5) ? 'ops' : `${name}_ops`;
    const annotation = this.rng.pick(['__read_mostly', '__initdata', '__alt_call_maybe_initdata', '__ro_after_init']);
    const members = this.members(3, 8);
    const tables = this.rng.sample(IMPLS, this.rng.int(2, 3)).map((i) => `${i}_${name}_ops`);
    this.reserve('setup');

    plan.include(file, '<xen/init.h>');
    plan.include(file, '<xen/lib.h>');
    plan.include(file, '<xen/alternative-call.h>');
    plan.add(file,
      [`struct ${name}_ops {`, ...members.map((m) => this.pointerDecl(m)), '};', ''].join('\n'),
      `static struct ${name}_ops ${annotation} ${object};\n`);
    plan.manifest.opsObjects.push({ name: object, file });
    for (const table of tables) {
      const { functions, initialisers } = this.implementation(table.replace(/_ops$/, ''), members);
      plan.add(file, functions, [`static const struct ${name}_ops __initconstrel ${table} = {`, ...initialisers, '};', ''].join('\n'));
      plan.manifest.implTables.push({ name: table, ops: object });
    }
    const select = this.rng.pick([
      () => [`    ${object} = cpu_has_${name}_fast() ? ${tables[0]} : ${tables[1]};`],
      () => [`    memcpy(&${object}, cpu_has_${name}_fast() ? &${tables[0]} : &${tables[1]}, sizeof(${object}));`],
      () => [`    if ( cpu_has_${name}_fast() )`, `        ${object} = ${tables[0]};`, '    else', `        ${object} = ${tables[1]};`],
    ])();
    const rest = tables.slice(2).map((t) => `    if ( opt_${name}_${t.split('_')[0]} )\n        ${object} = ${t};`);
    plan.add(file,
      tables.slice(2).map((t) => `static bool __initdata opt_${name}_${t.split('_')[0]};\n`).join(''),
      [`static int __init cf_check ${name}_setup(void)`, '{', ...select, ...rest, '    return 0;', '}', `presmp_initcall(${name}_setup);`, ''].join('\n'));
    for (const m of members) {
      plan.add(file, this.host(m, this.altcall(m, `${object}.${m.name}`)));
      plan.site(file, object, m.name);
    }
  }
}

/** A single file-scope function pointer, accelerated directly (member ""). */
class LonePointer extends Subsystem {
  own(): void {
    const { plan, name } = this;
    const file = `xen/arch/x86/${name}.c`;
    const object = `${name}_source`;
    this.reserve('source', 'init', 'broken');
    const [m] = this.members(1, 1);
    const impls = this.rng.sample(IMPLS, 3).map((i) => this.ctx.names.unique(`${i}_${name}_${m.name}`));

    plan.include(file, '<xen/init.h>');
    plan.include(file, '<xen/lib.h>');
    plan.include(file, '<xen/alternative-call.h>');
    plan.add(file, `static ${this.ctx.code.typePrefix(m.ret)}(*__read_mostly ${object})(${this.ctx.code.paramList(m.params)});\n`);
    plan.manifest.opsObjects.push({ name: object, file });
    for (const fn of impls) {
      plan.add(file, this.ctx.code.function({ name: fn, ret: m.ret, params: m.params, isStatic: true, annotations: ['cf_check'], comment: false }, 2));
    }
    plan.add(file, [`void __init ${name}_init(bool fast)`, '{', `    ${object} = fast ? ${impls[0]} : ${impls[1]};`, `    if ( ${name}_broken() )`, `        ${object} = ${impls[2]};`, '}', ''].join('\n'));
    for (let i = this.rng.int(2, 4); i > 0; i--) {
      plan.add(file, this.host(m, this.altcall(m, object)));
      plan.site(file, object, '');
    }
  }
}

/** Tables probed in order from an array of their addresses; sites hide behind object-like macros. */
class ProbeList extends Subsystem {
  private readonly header = `xen/arch/x86/include/asm/${this.name}.h`;
  private members_: Member[] = [];

  own(): void {
    const { plan, name, header } = this;
    const probe = `xen/arch/x86/${name}/probe.c`;
    const members = (this.members_ = this.members(3, 7));
    const impls = this.rng.sample(IMPLS, this.rng.int(2, 3));
    this.reserve('select', 'probe', ...members.map((m) => m.name));

    plan.include(header, '<xen/lib.h>');
    plan.include(header, '<xen/alternative-call.h>');
    plan.add(header,
      [`struct ${name}_ops {`, '    const char *name;', '    int (*probe)(void);', ...members.map((m) => this.pointerDecl(m)), '};', ''].join('\n'),
      `extern struct ${name}_ops ${name};\n${impls.map((i) => `extern const struct ${name}_ops ${name}_${i};`).join('\n')}\n`,
      members.map((m) => {
        const params = m.params.map((p) => p.name).join(', ');
        return `#define ${name}_${m.name}(${params}) ${this.altcall(m, `${name}.${m.name}`)}`;
      }).join('\n') + '\n',
      `void ${name}_select(void);\n`);

    for (const f of [probe, ...impls.map((i) => `xen/arch/x86/${name}/${i}.c`)]) {
      plan.include(f, '<xen/init.h>');
      plan.include(f, '<xen/lib.h>');
      plan.include(f, includeName(header, f));
    }
    plan.add(probe,
      `struct ${name}_ops __ro_after_init ${name};\n`,
      [`static const struct ${name}_ops *const __initconstrel ${name}_probe[] = {`, ...impls.map((i) => `    &${name}_${i},`), '    NULL', '};', ''].join('\n'),
      [`void __init ${name}_select(void)`, '{', '    unsigned int i;', '',
        `    for ( i = 0; !${name}.name && ${name}_probe[i]; i++ )`,
        `        if ( !${name}_probe[i]->probe || ${name}_probe[i]->probe() )`,
        `            ${name} = *${name}_probe[i];`, '',
        `    printk("${name}: using %s\\n", ${name}.name);`, '}', ''].join('\n'));
    plan.manifest.opsObjects.push({ name, file: probe });
    impls.forEach((impl, n) => {
      const file = `xen/arch/x86/${name}/${impl}.c`;
      const { functions, initialisers } = this.implementation(`${impl}_${name}`, members);
      const probeFn = n === impls.length - 1 ? 'NULL' : `${impl}_${name}_probe`;
      plan.add(file,
        probeFn === 'NULL' ? '' : `static int cf_check ${probeFn}(void)\n{\n    return cpu_has_${impl}_${name}();\n}\n`,
        functions,
        [`const struct ${name}_ops __initconst_cf_clobber ${name}_${impl} = {`, `    .name = "${impl}",`, `    .probe = ${probeFn},`, ...initialisers, '};', ''].join('\n'));
      plan.manifest.implTables.push({ name: `${name}_${impl}`, ops: name });
    });
  }

  scatter(): void {
    for (const file of this.ordinaryFiles(this.rng.int(4, 10), true)) {
      const m = this.rng.pick(this.members_);
      this.plan.include(file, includeName(this.header, file));
      this.plan.add(file, this.host(m, `${this.name}_${m.name}(${m.params.map((p) => p.name).join(', ')})`));
      this.plan.site(file, this.name, m.name);
    }
  }
}
