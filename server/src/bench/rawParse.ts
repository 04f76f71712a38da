/**
 * `node rawParse.js <tree> <native|wasm>`: the bare tree-sitter baseline, run
 * by the bench as a child. Reads every C file first, then times parsing each
 * one and freeing its tree; prints {files, bytes, ms} as JSON.
 */
import { BackendName, createParser } from '../engine/parse/backend';
import { loadSources, rawParseMs } from './measure';

async function main([root, backend]: string[]): Promise<void> {
  const { texts, bytes } = loadSources(root);
  const parser = await createParser(backend as BackendName);
  const ms = rawParseMs(parser, texts);
  process.stdout.write(JSON.stringify({ files: texts.length, bytes, ms }));
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
});
