/** A file that takes too long to parse is reported and left out; the rest is still analysed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { indexPaths } from '../../server/out/engine/engine';

for (const backend of ['native', 'wasm'] as const) {
  test(`parse deadline (${backend})`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'altcall-deadline-'));
    try {
      // About 3 MB of statements: far more than a 1 ms deadline allows, far less than the size limit.
      const body = Array.from({ length: 60_000 }, (_, i) => `    x = f${i % 97}(x, ${i});`).join('\n');
      fs.writeFileSync(path.join(dir, 'big.c'), `int big(int x)\n{\n${body}\n    return x;\n}\n`);
      fs.writeFileSync(path.join(dir, 'small.c'), 'void (*hook)(void);\nvoid run(void) { alternative_vcall(hook); }\n');
      const run = await indexPaths([dir], { backend, parseDeadlineMs: 1, workers: 1 });
      assert.deepEqual(run.problems.map((p) => [path.basename(p.path), /parsing took longer than 1 ms/.test(p.message)]), [['big.c', true]]);
      assert.deepEqual(run.index.link().sites.map((s) => path.basename(s.file)), ['small.c']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
