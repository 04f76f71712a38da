import * as fs from 'node:fs';
import * as path from 'node:path';

/** One `/* expect-KIND: TEXT *\/` marker of a fixture, with its 1-based line. */
export interface Marker { file: string; line: number; kind: string; text: string; }

const MARKER = /\/\*\s*expect(?:-([a-z]+))?:\s*(.*?)\s*\*\//g;

/** Every marker in the C files under `root`; `file` is the path as `root`-joined. */
export function readMarkers(root: string): Marker[] {
  const out: Marker[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.[ch]$/.test(e.name)) {
        fs.readFileSync(p, 'utf8').split('\n').forEach((text, i) => {
          for (const m of text.matchAll(MARKER)) out.push({ file: p, line: i + 1, kind: m[1] ?? 'finding', text: m[2] });
        });
      }
    }
  };
  walk(root);
  return out;
}
