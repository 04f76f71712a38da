/**
 * A one-line progress report on stderr, rewritten in place, for people
 * waiting on a big tree in a terminal. Nothing is written when stderr is a
 * pipe or a file (CI logs), or when the tree is small enough to be quick.
 */

/** Trees up to this many files are linted in a second or two: no progress line. */
export const PROGRESS_MIN_FILES = 200;

export class Progress {
  private readonly enabled: boolean;
  private shown = false;

  constructor(private readonly stream: { isTTY?: boolean; write(s: string): unknown }, files: number) {
    this.enabled = stream.isTTY === true && files > PROGRESS_MIN_FILES;
  }

  phase(text: string): void {
    if (!this.enabled) return;
    this.stream.write(`\r\x1b[K${text}`);
    this.shown = true;
  }

  /** Clears the line, so that what follows starts on a clean one. */
  done(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
