/** The long-lived session the language server uses: edits re-index only what they touch, with the same result as a fresh run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisSession } from '../../server/out/engine/session';
import { indexToJson } from '../../server/out/engine/report/indexJson';
import { walkSources } from '../../server/out/engine/files/walk';
import { isOtherArchPath } from '../../server/out/engine/index/includes';
import { fixturesDir } from '../helpers/paths';
import * as fs from 'node:fs';
import * as path from 'node:path';

const header = `#define hook_call(fn, args...) alternative_call(hook_ops.fn, ## args)
struct hook_ops { int (*a)(int); int (*b)(int); };
extern struct hook_ops hook_ops;
`;
const impl = `#include "hook.h"
struct hook_ops __alt_call_maybe_initdata hook_ops;
int use_a(int x) { return hook_call(a, x); }
`;

const sites = (s: AnalysisSession) => indexToJson(s.result(), s.profile.name, []).sites.map((x) => `${x.file}:${x.line} ${x.ops}.${x.member}`);

for (const backend of ['native', 'wasm'] as const) {
  test(`edits update sites, also across files (${backend})`, async () => {
    const s = await AnalysisSession.create({ backend });
    s.addAll([{ path: 'w/hook.h', text: header }, { path: 'w/impl.c', text: impl }]);
    assert.deepEqual(sites(s), ['w/impl.c:3 hook_ops.a']);

    // Typing a second site into the open document, incrementally re-parsed.
    s.update('w/impl.c', impl + 'int use_b(int x) { return hook_call(b, x); }\n', true);
    s.update('w/impl.c', impl + 'int use_b(int x) { return hook_call(b, x) + 1; }\n', true);
    assert.deepEqual(sites(s), ['w/impl.c:3 hook_ops.a', 'w/impl.c:4 hook_ops.b']);

    // Changing the wrapper in the header changes the sites of the other file.
    s.update('w/hook.h', header.replace('alternative_call(hook_ops.fn', '(hook_ops.fn)('));
    assert.deepEqual(sites(s), []);

    // The same texts indexed from scratch give the same answer as the edited session.
    const fresh = await AnalysisSession.create({ backend });
    fresh.addAll([{ path: 'w/hook.h', text: s.text('w/hook.h')! }, { path: 'w/impl.c', text: s.text('w/impl.c')! }]);
    assert.deepEqual(indexToJson(fresh.result(), 'x', []), indexToJson(s.result(), 'x', []));

    s.remove('w/hook.h');
    assert.equal(s.has('w/hook.h'), false);
    s.close('w/impl.c');
  });
}

test('a new attribute-like macro re-reads every file', async () => {
  const s = await AnalysisSession.create();
  const c = 'struct o { void (*f)(void); };\nstruct o __my_section ops;\nvoid g(void) { alternative_vcall(ops.f); }\n';
  s.addAll([{ path: 'a.c', text: c }, { path: 'attr.h', text: '' }]);
  const annotations = () => s.result().objects[0]?.decl?.annotations.map((a) => a.name) ?? [];
  assert.deepEqual(annotations(), []);
  s.update('attr.h', '#define __my_section __attribute__((section(".x")))\n');
  assert.deepEqual(annotations(), ['__my_section']);
});

test('writes through pointers follow edits that change value flow, and keep their answer over edits that do not', async () => {
  const ops = `struct ops { void (*f)(void); };
static struct ops __alt_call_maybe_initdata ops;
static struct ops spare;
void g(void) { alternative_vcall(ops.f); }
static void impl(void) {}
static void fill(struct ops *p) { p->f = impl; }
`;
  const s = await AnalysisSession.create();
  const writes = () => s.result().writes.map((w) => `${w.ops}.${w.member} line ${w.span.line + 1}`);
  s.addAll([{ path: 'a.c', text: `${ops}void __init setup(void) { fill(&spare); }\n` }]);
  assert.deepEqual(writes(), []);
  // A new caller hands `fill` the ops object: its write through `p` now lands there.
  s.update('a.c', `${ops}void __init setup(void) { fill(&spare); fill(&ops); }\n`, true);
  assert.deepEqual(writes(), ['ops@a.c.f line 6']);
  // Lines added above move the write; the cached answer is given at its new place.
  s.update('a.c', `\n\n${ops}void __init setup(void) { fill(&spare); fill(&ops); }\n`, true);
  assert.deepEqual(writes(), ['ops@a.c.f line 8']);
  s.update('a.c', `\n\n${ops}void __init setup(void) { fill(&spare); }\n`, true);
  assert.deepEqual(writes(), []);
});

test('a change to a macro that a wrapper uses, in another header, re-reads the sites of the wrapper\'s users only', async () => {
  const helper = '#define HOOK_TARGET(o, f) alternative_call(o.f)\n';
  const wrapper = `#include "helper.h"
#define hook_call(fn, args...) HOOK_TARGET(hook_ops, fn)
struct hook_ops { int (*a)(int); };
extern struct hook_ops hook_ops;
`;
  const user = `#include "hook.h"
struct hook_ops __alt_call_maybe_initdata hook_ops;
int use_a(int x) { return hook_call(a, x); }
`;
  const other = 'struct other_ops { void (*f)(void); };\nstruct other_ops __alt_call_maybe_initdata other;\nvoid g(void) { alternative_vcall(other.f); }\n';
  const s = await AnalysisSession.create();
  s.addAll([{ path: 'w/helper.h', text: helper }, { path: 'w/hook.h', text: wrapper }, { path: 'w/user.c', text: user }, { path: 'w/other.c', text: other }]);
  assert.deepEqual(sites(s), ['w/other.c:3 other.f', 'w/user.c:3 hook_ops.a']);
  s.update('w/helper.h', '#define HOOK_TARGET(o, f) (o.f)\n');
  assert.deepEqual(sites(s), ['w/other.c:3 other.f']);
  s.update('w/helper.h', helper);
  assert.deepEqual(sites(s), ['w/other.c:3 other.f', 'w/user.c:3 hook_ops.a']);
  // An #undef changes the definition in effect after it.
  s.update('w/hook.h', wrapper.replace('struct hook_ops {', '#undef HOOK_TARGET\n#define HOOK_TARGET(o, f) (o.f)\nstruct hook_ops {'));
  assert.deepEqual(sites(s), ['w/other.c:3 other.f']);
});

test('indexing on worker threads gives the index an in-thread one does, and stops when asked', async () => {
  const files = walkSources([path.join(fixturesDir, 'xen')]).files.map((p) => ({ path: p, text: fs.readFileSync(p, 'utf8') }));
  const here = await AnalysisSession.create();
  here.addAll(files);
  const threads = await AnalysisSession.create();
  let reports = 0;
  const failures = await threads.addAllInWorkers(files, 2, () => ++reports > 0);
  assert.deepEqual(failures, []);
  assert.equal(reports, files.filter((f) => !isOtherArchPath(f.path, 'x86')).length, 'progress after each file');
  assert.deepEqual(indexToJson(threads.result(), 'x', []), indexToJson(here.result(), 'x', []));

  const stopped = await AnalysisSession.create();
  await stopped.addAllInWorkers(files, 2, (done) => done < 3);
  const indexed = files.filter((f) => stopped.has(f.path)).length;
  assert.ok(indexed >= 3 && indexed < files.length, `${indexed} of ${files.length} files indexed after stopping`);
});

test('a macro naming an ops member follows edits of its definition', async () => {
  const header = 'struct hook_ops { int (*a)(int); };\nextern struct hook_ops hook_ops;\n#define hook_fn hook_ops.a\n';
  const impl = '#include "hook.h"\nstruct hook_ops __alt_call_maybe_initdata hook_ops;\nint site(int x) { return alternative_call(hook_ops.a, x); }\nint use(int x) { return hook_fn != 0; }\n';
  const s = await AnalysisSession.create();
  s.addAll([{ path: 'w/hook.h', text: header }, { path: 'w/impl.c', text: impl }]);
  const uses = () => s.result().objects.flatMap((o) => o.runtimeUses.map((u) => `${u.function}:${u.via ?? ''}`));
  assert.deepEqual(uses(), ['use:hook_fn']);
  s.update('w/hook.h', header.replace('#define hook_fn hook_ops.a', '#define hook_fn 0'));
  assert.deepEqual(uses(), []);
  s.update('w/hook.h', header);
  assert.deepEqual(uses(), ['use:hook_fn']);
});
