/** Bench results: best-of-N figures, their ratios, and the two ways of printing them. */
import type { BackendName } from '../engine/parse/backend';
import type { EditFigures, LspRun } from './lspRun';

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
  /** The issue's goal for the whole index process, as a multiple of the raw native parse. */
  target: number;
  backends: BackendFigures[];
  unavailable: { backend: BackendName; error: string }[];
  /** The preview of every site, in-process after indexing (native parser). */
  preview: { sites: number; ms: number } | null;
  /** The language server's figures; null with `lspError` when its run failed. */
  lsp: LspFigures | null;
  lspError: string | null;
}

export const TARGET = 1.5;

/** The issue's goals for the language server. */
export const LSP_TARGETS = { indexPerLint: 2, sameFileP95Ms: 30, rssBytes: 400e6 } as const;

export interface LspFigures extends LspRun {
  /** Indexing over the best lint time of the same backend in this bench run. */
  indexPerLint: number | null;
  targets: typeof LSP_TARGETS;
  /** Whether each goal is met (null: no figure to judge). */
  met: { indexPerLint: boolean | null; sameFileP95: boolean | null; rss: boolean | null };
}

export function lspFigures(run: LspRun, backends: readonly BackendFigures[]): LspFigures {
  const lint = backends.find((b) => b.backend === run.backend)?.lintMs;
  const indexPerLint = lint === undefined ? null : run.indexMs / lint;
  const within = (x: number | null | undefined, max: number) => (x === null || x === undefined ? null : x <= max);
  return {
    ...run,
    indexPerLint,
    targets: LSP_TARGETS,
    met: {
      indexPerLint: within(indexPerLint, LSP_TARGETS.indexPerLint),
      sameFileP95: within(run.sameFile?.p95Ms, LSP_TARGETS.sameFileP95Ms),
      rss: within(run.rssBytes, LSP_TARGETS.rssBytes),
    },
  };
}

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
    ...(r.lsp ? ['', ...renderLsp(r.lsp)] : []),
    ...(r.lspError ? ['', `language server: run failed: ${r.lspError}`] : []),
  ].join('\n');
}

function renderLsp(l: LspFigures): string[] {
  const verdict = (met: boolean | null) => (met === null ? 'no figure' : met ? 'met' : 'missed');
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / MB).toFixed(0)} MB`);
  const edits = (label: string, e: EditFigures | null, target: string) => (e === null ? [] : [
    `${label}${e.p50Ms === null ? 'no edit answered' : `p50 ${e.p50Ms.toFixed(0)} ms, p95 ${e.p95Ms!.toFixed(0)} ms, max ${e.maxMs!.toFixed(0)} ms`}${target}, ${e.answered}/${e.sent} edits answered${e.filesPerEdit === null ? '' : `, ${e.filesPerEdit} files re-published per edit (median)`}`,
    `${' '.repeat(label.length)}${e.file} (${e.lines} lines): ${e.what}`,
  ]);
  return [
    `language server: ${l.backend} parser, one session over stdio with the tree as its workspace folder (diagnosticsDelay 0)`,
    `indexing:           ${seconds(l.indexMs)} from initialized to the end of the indexing progress, ${l.indexPerLint === null ? 'n/a' : `${l.indexPerLint.toFixed(2)}x`} the best lint (target <= ${LSP_TARGETS.indexPerLint}x: ${verdict(l.met.indexPerLint)})${l.firstDiagnosticsMs === null ? '' : `; first diagnostics at ${seconds(l.firstDiagnosticsMs)}`}`,
    `RSS after indexing: ${mb(l.rssBytes)} (target <= ${mb(LSP_TARGETS.rssBytes)}: ${verdict(l.met.rss)}), high-water ${mb(l.peakRssBytes)} (server's VmRSS, VmHWM once the diagnostics after indexing are out)`,
    ...edits('same-file edits:    ', l.sameFile, ` (target p95 <= ${LSP_TARGETS.sameFileP95Ms} ms: ${verdict(l.met.sameFileP95)})`),
    ...edits('wrapper edits:      ', l.wrapper, ''),
    'edits:              each timed from didChange to the publishDiagnostics it causes (same file: that file\'s; wrapper: the first of any file); targets reported, not asserted',
    ...l.notes.map((n) => `note:               ${n}`),
  ];
}
