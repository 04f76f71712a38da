/**
 * `--fix`: writing each changed file of a fix plan atomically, only if it
 * still holds the text the findings were computed from.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, type FixPlan } from '../engine/rules/edits';
import type { TextEdit } from '../engine/rules/types';

export interface WriteOutcome {
  written: string[];
  /** Files with fixes that were left as they were, and why: changed since read, or an I/O error. */
  untouched: Array<{ file: string; kind: 'changed' | 'io'; reason: string }>;
}

const BOM = '\uFEFF';
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Writes each file of the plan: the edits are applied to the text the file
 * was linted from, which must still be what the file holds (checked when
 * starting and again right before the rename that replaces it). The new text
 * goes to a temporary file in the same folder, with the same mode, flushed to
 * disk, then renamed over the original, so that a reader sees the old file or
 * the new one, never a part. A BOM the file had is kept.
 */
export function writeFixes(plan: FixPlan, linted: (file: string) => string | undefined): WriteOutcome {
  const out: WriteOutcome = { written: [], untouched: [] };
  for (const [file, edits] of plan.edits) {
    const failure = writeOne(file, edits, linted(file));
    if (failure === null) out.written.push(file);
    else out.untouched.push({ file, ...failure });
  }
  return out;
}

type Failure = { kind: 'changed' | 'io'; reason: string };

/** null when written, else why not. */
function writeOne(file: string, edits: TextEdit[], linted: string | undefined): Failure | null {
  if (linted === undefined) return { kind: 'changed', reason: 'not linted, so not fixed' };
  let target: string;
  let current: { text: string; bom: boolean } | null;
  let mode: number;
  try {
    // A path given on the command line may be a symlink: the file it points to is the one to replace.
    target = fs.realpathSync(file);
    mode = fs.statSync(target).mode & 0o7777;
    current = readText(target);
  } catch (err) {
    return { kind: 'io', reason: `cannot read it again to fix it: ${(err as Error).message}` };
  }
  const changed: Failure = { kind: 'changed', reason: 'changed on disk since it was read, so not fixed: run again' };
  if (current?.text !== linted) return changed;
  const fixed = (current.bom ? BOM : '') + applyEdits(linted, edits);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.altcall-fix-${process.pid}.tmp`);
  let created = false;
  try {
    const fd = fs.openSync(temp, 'wx', mode);
    created = true;
    try {
      fs.writeSync(fd, fixed);
      // The process umask may have narrowed the mode given to open.
      fs.fchmodSync(fd, mode);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (readText(target)?.text !== linted) {
      fs.unlinkSync(temp);
      return changed;
    }
    fs.renameSync(temp, target);
    return null;
  } catch (err) {
    // A file of that name that was there before is not ours to remove.
    if (created) fs.rmSync(temp, { force: true });
    return { kind: 'io', reason: `cannot write the fixed file: ${(err as Error).message}` };
  }
}

/** The file's text as the linter reads it (BOM dropped), or null when it is no longer UTF-8. */
function readText(file: string): { text: string; bom: boolean } | null {
  const bytes = fs.readFileSync(file);
  try {
    const text = decoder.decode(bytes);
    return text.startsWith(BOM) ? { text: text.slice(1), bom: true } : { text, bom: false };
  } catch {
    return null;
  }
}
