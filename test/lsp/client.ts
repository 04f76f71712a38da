/**
 * A small LSP client for the protocol tests: spawns the built server over
 * stdio and speaks framed JSON-RPC with vscode-jsonrpc, recording what the
 * server sends and answering what it asks (configuration, progress tokens,
 * registrations).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { fixturesDir, serverOut } from '../helpers/paths';

export const serverMain = path.join(serverOut, 'lsp', 'main.js');

export interface Diagnostic {
  range: Range;
  severity: number;
  code: string;
  codeDescription?: { href: string };
  source: string;
  message: string;
  relatedInformation?: Array<{ location: { uri: string; range: Range }; message: string }>;
}
export interface Position { line: number; character: number; }
export interface Range { start: Position; end: Position; }
export interface Location { uri: string; range: Range; }
export interface ProgressEvent { token: string | number; value: { kind: 'begin' | 'report' | 'end'; message?: string; percentage?: number; title?: string; cancellable?: boolean } }

export const uri = (file: string) => pathToFileURL(file).href;

/** A temporary folder, removed when the test process ends. */
export function tempDir(name = 'altcall-lsp'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A temporary copy of the example tree (edits must not touch the repository). */
export function copyExampleTree(): string {
  const dir = tempDir();
  fs.cpSync(path.join(fixturesDir, 'xen'), dir, { recursive: true });
  return dir;
}

export interface StartOptions {
  root: string;
  /** The `altcall` section answered to workspace/configuration. */
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  /** Client capabilities to leave out, to test fallbacks. */
  progress?: boolean;
  /** The server's entry point (default: the built one; the bundle tests give the bundled one). */
  server?: string;
}

type Waiter = { check: () => boolean; resolve: () => void };

export class TestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** Every publishDiagnostics, in order. */
  readonly published: Array<{ uri: string; diagnostics: Diagnostic[] }> = [];
  readonly logs: Array<{ type: number; message: string }> = [];
  readonly progress: ProgressEvent[] = [];
  readonly registrations: Array<{ method: string; registerOptions?: unknown }> = [];
  readonly configurationRequests: unknown[] = [];
  lensRefreshes = 0;
  stderr = '';
  settings: Record<string, unknown>;
  private readonly waiters = new Set<Waiter>();
  private readonly versions = new Map<string, number>();
  private exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess, readonly conn: MessageConnection, readonly root: string, settings: Record<string, unknown>) {
    this.settings = settings;
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.stderr!.on('data', (d) => (this.stderr += d));
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.published.push(p);
      this.wake();
    });
    conn.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      this.logs.push(p);
      this.wake();
    });
    conn.onNotification('$/progress', (p: ProgressEvent) => {
      this.progress.push(p);
      this.wake();
    });
    conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => {
      this.configurationRequests.push(p);
      return p.items.map((i) => (i.section === 'altcall' ? this.settings : null));
    });
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('client/registerCapability', (p: { registrations: Array<{ method: string; registerOptions?: unknown }> }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    conn.onRequest('client/unregisterCapability', () => null);
    conn.onRequest('workspace/codeLens/refresh', () => {
      this.lensRefreshes++;
      return null;
    });
    conn.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      this.logs.push(p);
      this.wake();
    });
    conn.listen();
  }

  static async start(opts: StartOptions): Promise<TestClient> {
    const child = spawn(process.execPath, [opts.server ?? serverMain, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new TestClient(child, conn, opts.root, opts.settings ?? {});
    client.initializeResult = await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri(opts.root),
      workspaceFolders: [{ uri: uri(opts.root), name: path.basename(opts.root) }],
      initializationOptions: { diagnosticsDelay: 20, ...opts.initializationOptions },
      capabilities: {
        window: { workDoneProgress: opts.progress ?? true },
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          codeLens: { refreshSupport: true },
        },
        textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true } },
      },
    });
    await conn.sendNotification('initialized', {});
    return client;
  }

  initializeResult: unknown;

  /** Resolves once `check` holds, re-checked after every message from the server. */
  waitFor(what: string, check: () => boolean, timeoutMs = 10000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { check, resolve: () => { clearTimeout(timer); resolve(); } };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr}; last logs: ${JSON.stringify(this.logs.slice(-5))}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private received = 0;

  private wake(): void {
    this.received++;
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  /** Indexing has ended (the progress bar closed) and the diagnostics that follow have arrived. */
  async indexed(count = 1): Promise<void> {
    await this.waitFor('indexing to end', () => this.progress.filter((p) => p.value.kind === 'end').length >= count);
    await this.waitFor('diagnostics after indexing', () => this.published.length > 0);
    await this.quiet();
  }

  /** Resolves once the server has sent nothing for `ms` (a batch of diagnostics comes in one burst). */
  async quiet(ms = 150): Promise<void> {
    for (;;) {
      const seen = this.received;
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (seen === this.received) return;
    }
  }

  /** Diagnostics of a file, once they satisfy `check`. */
  async diagnosticsOf(file: string, what: string, check: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    await this.waitFor(`${what} in ${path.relative(this.root, file)}`, () => check(this.diagnostics.get(uri(file)) ?? []));
    return this.diagnostics.get(uri(file)) ?? [];
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async open(file: string, text = fs.readFileSync(file, 'utf8')): Promise<string> {
    this.versions.set(uri(file), 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'c', version: 1, text } });
    return text;
  }

  /** Incremental change: `range` replaced by `text`. */
  async edit(file: string, range: Range, text: string): Promise<void> {
    const version = (this.versions.get(uri(file)) ?? 1) + 1;
    this.versions.set(uri(file), version);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(file), version }, contentChanges: [{ range, text }] });
  }

  async close(file: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uri(file) } });
  }

  async setSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  /** Sends shutdown and exit; resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    await this.conn.sendRequest('shutdown');
    await this.conn.sendNotification('exit');
    const code = await this.exited;
    this.conn.dispose();
    return code;
  }

  /** Ends the server whatever state it is in (tests call it when they end, passed or failed). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    this.conn.dispose();
  }
}

/** The position of the first occurrence of `needle` in `text` (after `after`, if given), plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, after = 0): Position {
  const at = text.indexOf(needle, after);
  if (at < 0) throw new Error(`'${needle}' not found`);
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** Applies LSP text edits to a text (tests check what a code action would do). */
export function applyTextEdits(text: string, edits: Array<{ range: Range; newText: string }>): string {
  const offset = (p: Position) => {
    const lines = text.split('\n');
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
