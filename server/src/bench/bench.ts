/**
 * `npm run bench`: how the whole `altcall-lint index` compares with the bare
 * tree-sitter parse of the same files, on both parser backends; and the
 * language server's indexing time, edit-to-diagnostics latency and memory
 * on the same tree (lspRun.ts).
 *
 *   node server/out/bench/bench.js [tree] [--runs 3] [--parser native|wasm] [--json]
 *
 * Without a tree, a Xen-sized synthetic one is generated into .bench/tree
 * (once; again only when the generator changes). Every measurement runs in
 * a fresh Node (see measure.ts), and runs alternate between them so that
 * drift in machine load spreads over all of them. Progress goes to stderr;
 * the table, or with --json the figures, to stdout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { BackendName } from '../engine/parse/backend';
import { runGenerate, runIndex, runLint, runLsp, runPreviewTiming, runRawParse } from './measure';
import { BackendRuns, BenchReport, figures, lspFigures, renderTable, TARGET } from './report';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const USAGE = 'usage: node server/out/bench/bench.js [tree] [--runs N] [--parser native|wasm] [--json]';

const OPTIONS = {
  runs: { type: 'string', default: '3' },
  parser: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = args;
  const runs = Number(values.runs);
  const wanted: BackendName[] = values.parser === undefined ? ['native', 'wasm'] : [values.parser as BackendName];
  if (values.help || positionals.length > 1 || !Number.isInteger(runs) || runs < 1 || !wanted.every((b) => b === 'native' || b === 'wasm')) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }

  if (positionals[0] !== undefined && !fs.existsSync(positionals[0])) {
    process.stderr.write(`bench: no such file or directory: ${positionals[0]}\n`);
    return 2;
  }
  const tree = positionals[0] ?? (await generated());
  const results: BackendRuns[] = [];
  const unavailable: BenchReport['unavailable'] = [];
  let size = { files: 0, bytes: 0 };
  for (const backend of wanted) {
    try {
      const first = await runRawParse(tree, backend);
      size = { files: first.files, bytes: first.bytes };
      results.push({ backend, rawParseMs: [first.ms], indexMs: [], lintMs: [], peakRssBytes: [] });
    } catch (err) {
      unavailable.push({ backend, error: (err as Error).message.split('\n')[0] });
    }
  }
  progress(`${size.files} files, ${(size.bytes / 1e6).toFixed(2)} MB in ${tree}`);
  for (let run = 1; run <= runs; run++) {
    for (const r of results) {
      // The first run's parse doubled as the check that the backend loads.
      if (run > 1) r.rawParseMs.push((await runRawParse(tree, r.backend)).ms);
      progress(`run ${run}/${runs}: raw ${r.backend} parse ${(r.rawParseMs[run - 1] / 1000).toFixed(2)} s`);
    }
    for (const r of results) {
      const { ms, peakRssBytes } = await runIndex(tree, r.backend);
      r.indexMs.push(ms);
      r.peakRssBytes.push(peakRssBytes);
      progress(`run ${run}/${runs}: index --parser ${r.backend} ${(ms / 1000).toFixed(2)} s, ${(peakRssBytes / 1e6).toFixed(0)} MB`);
    }
    for (const r of results) {
      const { ms } = await runLint(tree, r.backend);
      r.lintMs.push(ms);
      progress(`run ${run}/${runs}: lint --parser ${r.backend} ${(ms / 1000).toFixed(2)} s`);
    }
  }
  const preview = await runPreviewTiming(tree);
  progress(`preview: ${preview.sites} sites in ${preview.ms.toFixed(0)} ms`);

  const backends = figures(results);
  let lsp: BenchReport['lsp'] = null;
  let lspError: string | null = null;
  // One session, on the first backend that loaded (native when it does): its edit series are samples enough.
  if (results.length > 0) {
    try {
      lsp = lspFigures(await runLsp(tree, results[0].backend), backends);
      progress(`language server: indexed in ${(lsp.indexMs / 1000).toFixed(2)} s, same-file edit p95 ${lsp.sameFile?.p95Ms?.toFixed(0) ?? 'n/a'} ms`);
    } catch (err) {
      lspError = (err as Error).message.split('\n')[0];
      progress(`language server: ${lspError}`);
    }
  }

  const report: BenchReport = { tree, ...size, runs, target: TARGET, backends, unavailable, preview, lsp, lspError };
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderTable(report)}\n`);
  return 0;
}

async function generated(): Promise<string> {
  const dir = path.join(REPO_ROOT, '.bench', 'tree');
  const start = Date.now();
  if ((await runGenerate(dir)).generated) progress(`generated the synthetic tree in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  return dir;
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`bench: ${(err as Error).message}\n`);
    process.exitCode = 2;
  },
);
