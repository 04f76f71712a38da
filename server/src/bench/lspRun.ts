/**
 * `node lspRun.js <tree> <backend>`: the language server's figures, run by
 * the bench as a child that drives the built server over stdio with the
 * tree as its one workspace folder. Prints an LspRun as JSON.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BackendName } from '../engine/parse/backend';
import { fileUri, LspSession } from './lspClient';
import { percentile, sameFileEdits, timeEdits, wrapperEdits, type Edit, type EditTimes, type SeriesOptions } from './lspEdits';
import { findTargets } from './lspTargets';

export interface EditFigures {
  /** Relative to the tree, '/'-separated. */
  file: string;
  lines: number;
  what: string;
  sent: number;
  answered: number;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  /** Median number of files re-published per edit, when counted. */
  filesPerEdit: number | null;
}

export interface LspRun {
  backend: BackendName;
  /** From sending `initialized` to the end of the indexing progress. */
  indexMs: number;
  /** From sending `initialized` to the first diagnostics after indexing (null: the tree has no findings). */
  firstDiagnosticsMs: number | null;
  /** The server's VmRSS once the diagnostics after indexing are out, and its VmHWM then (null off Linux). */
  rssBytes: number | null;
  peakRssBytes: number | null;
  sameFile: EditFigures | null;
  wrapper: EditFigures | null;
  /** Why a figure is missing. */
  notes: string[];
}

export const SAME_FILE_EDITS = 100;
export const WRAPPER_EDITS = 20;
const INDEX_TIMEOUT_MS = 20 * 60_000;
const EDIT_TIMEOUT_MS = 30_000;
/** The server writes one analysis's diagnostics in one go: this much silence means they are all in. */
const BURST_GAP_MS = 150;

async function main(root: string, backend: BackendName): Promise<LspRun> {
  const targets = findTargets(root);
  const notes: string[] = [];
  const session = await LspSession.start(root, { parser: backend });
  try {
    const start = performance.now();
    await session.initialized();
    await session.waitFor('the end of indexing', () => session.progressEndAt !== null, INDEX_TIMEOUT_MS);
    const indexEnd = session.progressEndAt!;
    let firstDiagnosticsMs: number | null = null;
    try {
      await session.waitFor('diagnostics after indexing', () => session.published.some((p) => p.at >= indexEnd), 60_000);
      firstDiagnosticsMs = session.published.find((p) => p.at >= indexEnd)!.at - start;
    } catch {
      notes.push('no diagnostics within a minute of indexing');
    }
    await session.quiet(BURST_GAP_MS);
    const memory = session.memory();

    const series = async (file: string, edits: Edit[], what: string, opts: SeriesOptions): Promise<EditFigures> => {
      await session.open(file);
      // A request is answered only after the open has reached the index; then let its diagnostics pass.
      await session.request('textDocument/codeLens', { textDocument: { uri: fileUri(file) } });
      await session.quiet(BURST_GAP_MS);
      const times = await timeEdits(session, file, edits, opts);
      await session.close(file);
      await session.quiet(BURST_GAP_MS);
      return figures(root, file, what, times);
    };
    const sameFile = targets.sameFile
      ? await series(targets.sameFile.file, sameFileEdits(targets.sameFile, SAME_FILE_EDITS),
        `a direct call through a site's target inserted in a function body, then removed (${targets.sameFile.sites.length} sites in turn)`,
        { awaited: 'edited file', settleMs: 0, timeoutMs: EDIT_TIMEOUT_MS })
      : null;
    if (!targets.sameFile) notes.push('no source file with enough site macro calls for the same-file edits');
    const wrapper = targets.wrapper
      ? await series(targets.wrapper.file, wrapperEdits(targets.wrapper, WRAPPER_EDITS),
        `the target of ${targets.wrapper.siteMacro} in wrapper ${targets.wrapper.macro} made to go through a pointer, then restored (${targets.wrapper.users} other files use the wrapper)`,
        { awaited: 'any file', settleMs: BURST_GAP_MS, timeoutMs: EDIT_TIMEOUT_MS })
      : null;
    if (!targets.wrapper) notes.push('no wrapper macro of a site macro in a header');
    for (const [name, f] of [['same-file', sameFile], ['wrapper', wrapper]] as const) {
      if (f && f.answered < f.sent) notes.push(`${name}: ${f.sent - f.answered} of ${f.sent} edits brought no diagnostics within ${EDIT_TIMEOUT_MS / 1000} s`);
    }
    await session.stop();
    return {
      backend, indexMs: indexEnd - start, firstDiagnosticsMs,
      rssBytes: memory?.rssBytes ?? null, peakRssBytes: memory?.peakRssBytes ?? null,
      sameFile, wrapper, notes,
    };
  } finally {
    session.kill();
  }
}

function figures(root: string, file: string, what: string, t: EditTimes): EditFigures {
  const answered = t.latencies.length;
  return {
    file: path.relative(root, file).split(path.sep).join('/'),
    lines: fs.readFileSync(file, 'utf8').split('\n').length,
    what,
    sent: t.sent,
    answered,
    p50Ms: answered ? percentile(t.latencies, 50) : null,
    p95Ms: answered ? percentile(t.latencies, 95) : null,
    maxMs: answered ? Math.max(...t.latencies) : null,
    filesPerEdit: t.filesPublished.length ? percentile(t.filesPublished, 50) : null,
  };
}

const [tree, backend] = process.argv.slice(2);
if (tree === undefined || (backend !== 'native' && backend !== 'wasm')) {
  process.stderr.write('usage: node lspRun.js <tree> native|wasm\n');
  process.exitCode = 2;
} else {
  main(path.resolve(tree), backend).then(
    (run) => process.stdout.write(JSON.stringify(run)),
    (err) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
