/**
 * `npm run bench`: how the whole `altcall-lint index` compares with the bare
 * tree-sitter parse of the same files, on both parser backends.
 *
 *   node server/out/bench/bench.js [tree] [--runs 3] [--parser native|wasm] [--json]
 *
 * Without a tree, a Xen-sized synthetic one is generated into .bench/tree
 * (once; again only when the generator changes). Runs alternate between the
 * measurements so that drift in machine load spreads over all of them.
 * Progress goes to stderr; the table, or with --json the figures, to stdout.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BackendName, CParser, createParser } from '../engine/parse/backend';
import { loadSources, rawParseMs, runIndex } from './measure';
import { BackendRuns, BenchReport, figures, renderTable, TARGET } from './report';
import { ensureTree } from './treeCache';

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

  const tree = positionals[0] ?? generated();
  const sources = loadSources(tree);
  progress(`${sources.texts.length} files, ${(sources.bytes / 1e6).toFixed(2)} MB in ${tree}`);

  const parsers: CParser[] = [];
  const unavailable: BenchReport['unavailable'] = [];
  for (const backend of wanted) {
    try {
      parsers.push(await createParser(backend));
    } catch (err) {
      unavailable.push({ backend, error: (err as Error).message.split('\n')[0] });
    }
  }
  const results: BackendRuns[] = parsers.map((p) => ({ backend: p.backend, rawParseMs: [], indexMs: [], peakRssBytes: [] }));
  for (let run = 1; run <= runs; run++) {
    for (const [i, parser] of parsers.entries()) {
      const ms = rawParseMs(parser, sources.texts);
      results[i].rawParseMs.push(ms);
      progress(`run ${run}/${runs}: raw ${parser.backend} parse ${(ms / 1000).toFixed(2)} s`);
    }
    for (const r of results) {
      const { ms, peakRssBytes } = await runIndex(tree, r.backend);
      r.indexMs.push(ms);
      r.peakRssBytes.push(peakRssBytes);
      progress(`run ${run}/${runs}: index --parser ${r.backend} ${(ms / 1000).toFixed(2)} s, ${(peakRssBytes / 1e6).toFixed(0)} MB`);
    }
  }

  const report: BenchReport = { tree, files: sources.texts.length, bytes: sources.bytes, runs, target: TARGET, backends: figures(results), unavailable };
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderTable(report)}\n`);
  return 0;
}

function generated(): string {
  const start = Date.now();
  const { dir, generated } = ensureTree(path.join(REPO_ROOT, '.bench', 'tree'));
  if (generated) progress(`generated the synthetic tree in ${((Date.now() - start) / 1000).toFixed(1)} s`);
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
