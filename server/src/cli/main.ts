#!/usr/bin/env node
/** altcall-lint: the engine on the command line. Exit 0 ok, 1 findings, 2 usage/config/fatal. */
import { runIndex } from './indexCommand';
import { runLint } from './lint';
import { runPreview } from './previewCommand';
import { UsageError } from './options';
import { ConfigError } from '../engine/config/configFile';

const USAGE = `usage: altcall-lint index [paths...] [--format json|text] [--profile xen-4.16..xen-4.21]
                    [--kconfig .config] [-D CONFIG_X=y]... [--parser auto|native|wasm]
                    [--arch x86] [-I include-dir]... [--exclude pattern]...`;

async function main(argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');
  const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : s + '\n');
  const [command, ...rest] = argv;
  try {
    if (command === 'index') return await runIndex(rest, out, err);
    if (command === 'preview') return await runPreview(rest, out, err);
    // No subcommand (nothing, options, or paths): lint mode, which also answers --help and --version.
    return await runLint(argv, out, err);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`altcall-lint: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof ConfigError) {
      err(e.message);
      return 2;
    }
    err(`altcall-lint: fatal: ${(e as Error).stack ?? e}`);
    return 2;
  }
}

// `altcall-lint | head` closes the pipe early: the rest of the output is unwanted, not an error,
// and the exit status still tells what was found.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
