/**
 * Between the engine's coordinates (file paths, UTF-16 offsets into the
 * text a file was indexed from) and the protocol's (URIs, zero-based line
 * and UTF-16 character). Both count UTF-16 code units, so a column is an
 * offset minus its line's start.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Position, Range } from 'vscode-languageserver';
import { LineIndex } from '../engine/util/lines';

export function uriToPath(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return null;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}

/** Offsets and positions of one text. */
export class TextPositions {
  private readonly lines: LineIndex;

  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
  }

  position(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lines.lineOf(at);
    return { line, character: at - this.lines.lineStart(line) };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /** A position past the end of its line (or of the text) is clamped, as editors do. */
  offset(pos: Position): number {
    const start = this.lines.lineStart(Math.max(0, pos.line));
    const next = this.text.indexOf('\n', start);
    const lineEnd = next < 0 ? this.text.length : next;
    if (pos.line > this.lines.lineOf(this.text.length)) return this.text.length;
    return Math.min(start + Math.max(0, pos.character), lineEnd);
  }
}

/**
 * Position maps for the texts the index holds, rebuilt when a file's text
 * changes (compared by identity first, which is the common case).
 */
export class PositionCache {
  private readonly cache = new Map<string, TextPositions>();

  constructor(private readonly textOf: (file: string) => string | undefined) {}

  of(file: string): TextPositions | null {
    const text = this.textOf(file);
    if (text === undefined) {
      this.cache.delete(file);
      return null;
    }
    let hit = this.cache.get(file);
    if (!hit || hit.text !== text) this.cache.set(file, (hit = new TextPositions(text)));
    return hit;
  }

  range(file: string, start: number, end: number): Range | null {
    return this.of(file)?.range(start, end) ?? null;
  }
}
