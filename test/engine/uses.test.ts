/** Runtime uses of ops objects that are not sites. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisSession } from '../../server/out/engine/session';
import { profile } from '../../server/out/engine/config/profiles';

test('calling a plain function-pointer object by name at run time is a use; its site is not', async () => {
  const s = await AnalysisSession.create();
  s.addAll([{
    path: 'x/tick.c',
    text: `unsigned long (*tick_get)(void);
unsigned long fast(void) { return alternative_call(tick_get); }
unsigned long slow(void) { return tick_get(); }
void __init tick_init(void) { tick_get(); }
`,
  }]);
  const obj = s.result().objects.find((o) => o.name === 'tick_get');
  assert.ok(obj);
  assert.deepEqual(obj.runtimeUses.map((u) => `${u.span.line + 1} ${u.kind} ${u.function}`), ['3 call slow']);
});

test('a profile whose patch routine the tree does not call, while it calls another release\'s, is warned about', async () => {
  const files = [{ path: 'x/setup.c', text: 'void (*hook)(void);\nvoid __init start(void) { boot_apply_alt_calls(); }\nvoid run(void) { alternative_vcall(hook); }\n' }];
  const warnings = async (name: 'xen-4.20' | 'xen-4.21') => {
    const s = await AnalysisSession.create({ profile: profile(name) });
    s.addAll(files);
    return s.result().warnings;
  };
  assert.deepEqual(await warnings('xen-4.21'), []);
  const w = await warnings('xen-4.20');
  assert.equal(w.length, 1);
  assert.match(w[0], /calls boot_apply_alt_calls\(\) but profile xen-4\.20 patches in alternative_branches\(\)/);
});

test('a table copied word by word through cast pointers (xsm_fixup_ops style) is an impl table', async () => {
  const s = await AnalysisSession.create();
  s.addAll([{
    path: 'x/fixup.c',
    text: `#define _p(x) ((unsigned long)(x))
struct hook_ops { int (*a)(void); int (*b)(void); };
struct hook_ops hook_ops;
static int dflt_a(void) { return 0; }
static const struct hook_ops __initconst_cf_clobber dflt_ops = { .a = dflt_a };
void __init fixup(struct hook_ops *ops)
{
    const unsigned long *src = (const unsigned long *)_p(&dflt_ops);
    unsigned long *dst = (unsigned long *)_p(ops);
    unsigned int i;
    for ( i = 0; i < sizeof(*ops) / sizeof(unsigned long); i++ )
        if ( !dst[i] )
            dst[i] = src[i];
}
void __init setup(void) { fixup(&hook_ops); }
int run(void) { return alternative_call(hook_ops.a); }
`,
  }]);
  const r = s.result();
  assert.deepEqual(r.tables.map((t) => `${t.name} -> ${t.ops.split('@')[0]}: ${t.flow}`), ['dflt_ops -> hook_ops: copied in fixup()']);
  assert.deepEqual(r.objects[0].candidates.a.map((c) => c.target), ['dflt_a']);
});

test('a site through a local declared without an initialiser is not patchable, and says so', async () => {
  const s = await AnalysisSession.create();
  s.addAll([{ path: 'x/local.c', text: 'typedef void (*hook_t)(void);\nhook_t pick(void);\nvoid run(void)\n{\n    hook_t h;\n    h = pick();\n    alternative_vcall(h);\n}\nvoid run2(void) { hook_t g; alternative_vcall(g); }\n' }]);
  const reasons = s.result().sites.map((x) => x.reason);
  assert.deepEqual(reasons, ['`h` is a local variable of run(): the call cannot be patched', '`g` is a local variable of run2(): the call cannot be patched']);
});

test('C names that are also JavaScript object members (toString, constructor) are ordinary names', async () => {
  const s = await AnalysisSession.create();
  s.addAll([{ path: 'x/names.c', text: 'void (*constructor)(void);\nvoid run(void) { int toString = 1; void (*valueOf)(void) = constructor; toString++; alternative_vcall(constructor); valueOf(); }\n' }]);
  const r = s.result();
  assert.deepEqual(r.sites.map((x) => `${x.opsName}:${x.member}`), ['constructor:']);
  assert.deepEqual(r.objects[0].runtimeUses.map((u) => u.kind), ['read']);
});
