import * as fs from 'node:fs';
import { type FileProblem, fsProblem } from './problem';
import { firstInvalidUtf8 } from './utf8';

export type { FileProblem, ProblemKind } from './problem';

export interface SourceText {
  path: string;
  /** Decoded text, without a UTF-8 BOM; line endings as in the file. */
  text: string;
  /** Size of the file on disk, BOM included. */
  bytes: number;
}

/** Past this, a "C file" is generated data, not code anyone reads. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

// Decoding without `stream` keeps no state, so one decoder serves every call.
// It drops a leading BOM by default (ignoreBOM: false).
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads a source file, or says in plain words why it cannot be used. Never throws. */
export function readSource(file: string, opts: { maxBytes?: number } = {}): SourceText | FileProblem {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let bytes: Buffer;
  try {
    // Checked before opening: opening a FIFO blocks, and an oversized file need not be read at all.
    const stat = fs.statSync(file);
    if (!stat.isFile()) {
      const what = stat.isDirectory() ? 'a directory' : 'not a regular file';
      return { path: file, kind: 'not-a-file', message: `${what}, skipped` };
    }
    if (stat.size > maxBytes) return tooLarge(file, stat.size, maxBytes);
    bytes = fs.readFileSync(file);
  } catch (err) {
    return fsProblem(file, err);
  }
  // NUL is valid UTF-8, yet no C source contains one: it marks object files, images and the like.
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return { path: file, kind: 'binary', message: `binary file (NUL byte at offset ${nul}), skipped` };
  }
  try {
    return { path: file, text: decoder.decode(bytes), bytes: bytes.length };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return {
      path: file,
      kind: 'encoding',
      message: `not valid UTF-8 (first bad byte at offset ${at}, line ${lineAt(bytes, at)}), skipped`,
    };
  }
}

export function isProblem(x: SourceText | FileProblem): x is FileProblem {
  return 'message' in x;
}

function tooLarge(file: string, size: number, maxBytes: number): FileProblem {
  return {
    path: file,
    kind: 'too-large',
    message: `file is ${formatSize(size)}, over the ${formatSize(maxBytes)} limit, skipped`,
  };
}

function formatSize(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${Number((n / 1024).toFixed(1))} KB`;
  return `${Number((n / (1024 * 1024)).toFixed(1))} MB`;
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}
