/**
 * How the language server is started: the bundle shipped in the extension
 * (`server/dist/server.js`, built by esbuild.js), over stdio. Under a
 * debugged extension host it listens for a debugger on DEBUG_PORT, which
 * the "Attach to Server" launch configuration uses.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { TransportKind, type ServerOptions } from 'vscode-languageclient/node';

export const DEBUG_PORT = 6009;

export function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  // vscode-languageclient appends --stdio, which the server needs to pick its transport.
  const module = context.asAbsolutePath(path.join('server', 'dist', 'server.js'));
  return {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', `--inspect=${DEBUG_PORT}`] } },
  };
}
