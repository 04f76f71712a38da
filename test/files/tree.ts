import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh temporary directory; odd files (symlinks, binaries, FIFOs) are made here, never committed. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'altcall-files-'));
}

/** Writes `files` (relative '/'-separated path to content) under `dir`, creating folders; returns `dir`. */
export function writeTree(dir: string, files: Record<string, string | Uint8Array>): string {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
