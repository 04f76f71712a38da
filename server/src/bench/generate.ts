/**
 * `node generate.js <dir>`: makes sure the synthetic tree in <dir> is current
 * (see treeCache.ts) and prints whether it had to be written. The bench runs
 * it as a child so that its own memory stays small (see measure.ts).
 */
import { ensureTree } from './treeCache';

const [dir] = process.argv.slice(2);
if (dir === undefined) {
  process.stderr.write('usage: node generate.js <dir>\n');
  process.exitCode = 2;
} else {
  process.stdout.write(JSON.stringify(ensureTree(dir)));
}
