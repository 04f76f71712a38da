/**
 * The generated tree on disk, rebuilt only when missing or stamped with other
 * options or another generator. The generator's stamp is a hash of the
 * compiled bench modules and of its fixed headers, so no one has to remember to bump a version (a
 * change to the table printer costs one needless second of regeneration).
 * Generation writes to a temporary folder first: an interrupted run never
 * leaves a half tree that looks done.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_TREE, generateTree, TreeOptions } from './tree';
import { BASE_HEADERS } from './base';

const STAMP = '.bench-stamp.json';

export interface TreeOnDisk { dir: string; generated: boolean; }

export function ensureTree(dir: string, opts: TreeOptions = DEFAULT_TREE): TreeOnDisk {
  const stamp = JSON.stringify({ generator: generatorHash(), ...opts });
  if (readStamp(dir) === stamp) return { dir, generated: false };
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const [rel, text] of generateTree(opts).files) {
    const file = path.join(tmp, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  fs.writeFileSync(path.join(tmp, STAMP), stamp);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return { dir, generated: true };
}

function generatorHash(): string {
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(__dirname).filter((n) => n.endsWith('.js')).sort()) {
    hash.update(name).update(fs.readFileSync(path.join(__dirname, name)));
  }
  // Some of the headers come from the example tree, not from these modules.
  for (const text of BASE_HEADERS.values()) hash.update(text);
  return hash.digest('hex').slice(0, 16);
}

function readStamp(dir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, STAMP), 'utf8');
  } catch {
    return undefined;
  }
}
