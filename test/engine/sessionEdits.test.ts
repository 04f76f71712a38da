/**
 * The session keeps work across edits (function bodies carried over, site
 * scans, resolved writes): after any run of edits, to any file, its index
 * must be the one a fresh session builds from the same texts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisSession } from '../../server/out/engine/session';
import { indexToJson } from '../../server/out/engine/report/indexJson';
import { walkSources } from '../../server/out/engine/files/walk';
import { fixturesDir } from '../helpers/paths';

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** Edits that touch what the index keeps: statements in bodies, macros, whole lines, declarations. */
const SNIPPETS = [
  '    probe_counter++;\n',
  '    if ( gvirt_funcs.cpu_up ) gvirt_funcs.cpu_up(0);\n',
  '#define probe_wrapper(x) alternative_call(gvirt_funcs.cpu_up, x)\n',
  'static int probe_var;\n',
  '\n\n',
  '    (void)0;\n',
];

test('after random edits to open documents, the session\'s index is a fresh session\'s', async () => {
  const files = walkSources([path.join(fixturesDir, 'xen')]).files.map((p) => ({ path: p, text: fs.readFileSync(p, 'utf8') }));
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const session = await AnalysisSession.create();
  session.addAll(files);
  const next = random(7);
  let compared = 0;
  for (let step = 0; step < 40; step++) {
    const file = files[Math.floor(next() * files.length)].path;
    const text = texts.get(file)!;
    const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)].filter((i) => i < text.length);
    const at = lineStarts[Math.floor(next() * lineStarts.length)];
    const lineEnd = text.indexOf('\n', at) + 1 || text.length;
    const edited = next() < 0.3
      ? text.slice(0, at) + text.slice(lineEnd)
      : text.slice(0, at) + SNIPPETS[Math.floor(next() * SNIPPETS.length)] + text.slice(at);
    texts.set(file, edited);
    session.update(file, edited, true);
    // Compare every few edits: in between, several edits pile up on the kept state.
    if (step % 4 === 3) {
      const fresh = await AnalysisSession.create();
      fresh.addAll([...texts].map(([p, t]) => ({ path: p, text: t })));
      const clean = [...texts.keys()].every((p) => (fresh.result().files.get(p)?.parse.errorNodes ?? 0) === (session.result().files.get(p)?.parse.errorNodes ?? 0));
      // Error recovery may differ between incremental and fresh parses (tree-sitter's doing): compare when they agree on errors.
      if (clean) {
        assert.deepEqual(indexToJson(session.result(), 'x', []), indexToJson(fresh.result(), 'x', []), `after step ${step} (${path.basename(file)})`);
        compared++;
      }
    }
  }
  assert.ok(compared >= 5, `${compared} comparisons`);
});
