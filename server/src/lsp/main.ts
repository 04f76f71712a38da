#!/usr/bin/env node
/**
 * altcall-language-server: `--stdio` or `--node-ipc` (also `--socket=N`,
 * `--pipe=NAME`, which vscode-languageserver understands too).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { PACKAGE } from '../engine/packageInfo';
import { AltcallServer } from './server';

const TRANSPORTS = /^--(stdio|node-ipc|socket|pipe|clientProcessId)(=|$)/;
const USAGE = 'usage: altcall-language-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n';

function main(argv: string[]): number | null {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (argv.includes('--version')) {
    process.stdout.write(`${PACKAGE.version}\n`);
    return 0;
  }
  if (!argv.some((a) => TRANSPORTS.test(a) && !a.startsWith('--clientProcessId'))) {
    // Nothing may reach stdout before the transport is known: it may be the JSON-RPC pipe.
    process.stderr.write(`altcall-language-server: no transport given\n${USAGE}`);
    return 2;
  }
  const server = new AltcallServer(createConnection(ProposedFeatures.all));
  // Handlers are guarded one by one; this is the net under the net, so that a
  // slip in asynchronous code costs a log line rather than the editor's server.
  process.on('unhandledRejection', (err) => server.log.error('unexpected failure', err));
  process.on('uncaughtException', (err) => server.log.error('unexpected failure', err));
  server.listen();
  return null;
}

const code = main(process.argv.slice(2));
if (code !== null) process.exitCode = code;
