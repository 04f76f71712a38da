/** Bench results: best-of-N figures, their ratios, and the two ways of printing them. */
import type { BackendName } from '../engine/parse/backend';

export interface BackendRuns {
  backend: BackendName;
  rawParseMs: number[];
  indexMs: number[];
  lintMs: number[];
  peakRssBytes: number[];
}

export interface BackendFigures {
  backend: BackendName;
  /** Best (lowest) of the runs. */
  rawParseMs: number;
  indexMs: number;
  lintMs: number;
  /** Highest of the runs. */
  peakRssBytes: number;
  indexPerOwnParse: number;
  /** null when the native backend did not load. */
  indexPerNativeParse: number | null;
  lintPerNativeParse: number | null;
  rawParsePerNativeParse: number | null;
  runs: Omit<BackendRuns, 'backend'>;
}

export interface BenchReport {
  tree: string;
  files: number;
  bytes: number;
  runs: number;
  /** The goal for the whole index process, as a multiple of the raw native parse. */
  target: number;
  backends: BackendFigures[];
  unavailable: { backend: BackendName; error: string }[];
  /** The preview of every site, in-process after indexing (native parser). */
  preview: { sites: number; ms: number } | null;
}

export const TARGET = 1.5;

export function figures(all: BackendRuns[]): BackendFigures[] {
  const nativeParse = all.find((r) => r.backend === 'native');
  const baseline = nativeParse ? Math.min(...nativeParse.rawParseMs) : null;
  return all.map(({ backend, ...runs }) => {
    const rawParseMs = Math.min(...runs.rawParseMs);
    const indexMs = Math.min(...runs.indexMs);
    const lintMs = Math.min(...runs.lintMs);
    return {
      backend,
      rawParseMs,
      indexMs,
      lintMs,
      peakRssBytes: Math.max(...runs.peakRssBytes),
      indexPerOwnParse: indexMs / rawParseMs,
      indexPerNativeParse: baseline === null ? null : indexMs / baseline,
      lintPerNativeParse: baseline === null ? null : lintMs / baseline,
      rawParsePerNativeParse: baseline === null ? null : rawParseMs / baseline,
      runs,
    };
  });
}

const MB = 1e6;

export function renderTable(r: BenchReport): string {
  const ratio = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)}x`);
  const header = ['backend', 'files', 'MB', 'raw parse', 'index', 'index/own parse', 'index/native parse', 'lint', 'lint/native parse', 'raw/native parse', 'peak RSS'];
  const rows = r.backends.map((b) => [
    b.backend, String(r.files), (r.bytes / MB).toFixed(2), `${(b.rawParseMs / 1000).toFixed(2)} s`, `${(b.indexMs / 1000).toFixed(2)} s`,
    ratio(b.indexPerOwnParse), ratio(b.indexPerNativeParse), `${(b.lintMs / 1000).toFixed(2)} s`, ratio(b.lintPerNativeParse),
    ratio(b.rawParsePerNativeParse), `${(b.peakRssBytes / MB).toFixed(0)} MB`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `tree: ${r.tree} (${r.files} files, ${(r.bytes / MB).toFixed(2)} MB), best of ${r.runs} run${r.runs === 1 ? '' : 's'}`,
    '',
    line(header),
    ...rows.map(line),
    ...r.unavailable.map((u) => `${u.backend.padEnd(widths[0])}  unavailable: ${u.error}`),
    '',
    'raw parse: parser.parse() and free of every file in a fresh Node, all files read beforehand (reading and parser loading not timed)',
    'index:     altcall-lint index <tree> --format json --parser <backend> as a child process, start-up included, output discarded',
    'lint:      altcall-lint <tree> --format json --parser <backend> (index and every rule), same way',
    'peak RSS:  highest maximum resident set size of the index process over the runs (getrusage, worker threads included)',
    ...(r.preview ? [`preview:   ${r.preview.sites} sites in ${r.preview.ms.toFixed(0)} ms, ${(r.preview.ms / Math.max(1, r.preview.sites)).toFixed(2)} ms per site (after indexing, native parser)`] : []),
    `target:    index/native parse <= ${TARGET.toFixed(2)}x (reported, not asserted)`,
  ].join('\n');
}
