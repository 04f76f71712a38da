/**
 * `node previewTime.js <tree>`: the preview's own cost, run by the bench as a
 * child. Indexes the tree (not timed), then times the preview of every site
 * with the default profile; prints {sites, ms} as JSON.
 */
import { indexPaths } from '../engine/engine';
import { Previewer } from '../preview';

async function main([root]: string[]): Promise<void> {
  const run = await indexPaths([root]);
  const result = run.index.link();
  const start = process.hrtime.bigint();
  const previews = new Previewer(result, { profile: run.index.profile, text: (f) => run.index.text(f) }).all();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify({ sites: previews.entries.length, ms }));
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
});
