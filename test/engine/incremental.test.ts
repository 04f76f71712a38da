/**
 * Re-reading an open document after an edit carries the facts of the
 * function bodies the edit did not touch over from the previous parse: the
 * facts must be exactly those of a fresh read, whatever the edit (edits that
 * leave syntax errors are read but not compared: tree-sitter may recover
 * from an error differently in an incremental parse).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createParser, type BackendName, type CParser } from '../../server/out/engine/parse/backend';
import { extractFacts, extractWithTree, type ExtractOptions, type ParsedDoc } from '../../server/out/engine/facts/extract';
import { learnAttributeNames } from '../../server/out/engine/parse/attributes';
import { configFromDefines } from '../../server/out/engine/preproc/conditions';
import { profile } from '../../server/out/engine/config/profiles';
import { walkSources } from '../../server/out/engine/files/walk';
import { fixturesDir } from '../helpers/paths';

interface Edit { at: number; remove: number; insert: string }

/** Edits of every kind: lines added and removed inside bodies, between functions, in a header, across two functions. */
function editsFor(text: string): Edit[] {
  const out: Edit[] = [];
  const bodies = [...text.matchAll(/\n\{\n/g)].map((m) => m.index! + 3);
  for (const b of bodies.slice(0, 4)) {
    out.push({ at: b, remove: 0, insert: '    probe_write = 1;\n' });
    out.push({ at: b, remove: 0, insert: '    x = f(&y);\n\n' });
    const lineEnd = text.indexOf('\n', b);
    out.push({ at: b, remove: lineEnd - b + 1, insert: '' });
    out.push({ at: b - 3, remove: 0, insert: ' ' });
  }
  out.push({ at: text.length, remove: 0, insert: '\nvoid tail(void)\n{\n    probe = 2;\n}\n' });
  out.push({ at: 0, remove: 0, insert: '/* a comment\n   over lines */\n' });
  if (bodies.length > 1) out.push({ at: bodies[0], remove: bodies[1] - bodies[0], insert: '' });
  out.push({ at: Math.floor(text.length / 2), remove: 5, insert: 'q' });
  return out;
}

const apply = (text: string, e: Edit) => text.slice(0, e.at) + e.insert + text.slice(e.at + e.remove);

async function check(backend: BackendName): Promise<number> {
  const parser: CParser = await createParser(backend);
  const names = profile().names;
  const opts: ExtractOptions = { attributes: learnAttributeNames(names.attributes, []), config: configFromDefines({}), names };
  let compared = 0;
  for (const file of walkSources([path.join(fixturesDir, 'xen')]).files) {
    const text = fs.readFileSync(file, 'utf8');
    let doc: ParsedDoc = extractWithTree(file, text, parser, opts).doc;
    let current = text;
    // Each edit applies to the previous one's result, and is then undone: both reads are checked.
    for (const e of editsFor(text)) {
      for (const next of [apply(current, e), current]) {
        const r = extractWithTree(file, next, parser, opts, doc);
        const fresh = extractFacts(file, next, parser, opts);
        // Error recovery may differ between an incremental and a fresh parse (tree-sitter's own doing): compare clean parses.
        if (fresh.parse.errorNodes === 0) {
          assert.deepEqual(r.facts, fresh, `${path.basename(file)}: edit at ${e.at} (${JSON.stringify(e.insert)}, -${e.remove})`);
          compared++;
        }
        doc = r.doc;
      }
      current = apply(current, e);
      const r = extractWithTree(file, current, parser, opts, doc);
      doc = r.doc;
    }
    parser.free(doc.tree);
  }
  return compared;
}

for (const backend of ['native', 'wasm'] as BackendName[]) {
  test(`${backend}: facts after incremental re-reads equal those of a fresh read`, async () => {
    assert.ok((await check(backend)) > 100);
  });
}
