/**
 * The bench's side of a language server session: spawns the built server
 * over stdio, speaks framed JSON-RPC with vscode-jsonrpc, answers what the
 * server asks (settings, progress tokens, registrations) and notes when
 * indexing ends and when each file's diagnostics arrive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

const SERVER = path.join(__dirname, '..', 'lsp', 'main.js');

export interface Position { line: number; character: number; }
export interface Range { start: Position; end: Position; }

export const fileUri = (file: string): string => pathToFileURL(file).href;

type Waiter = { check: () => boolean; resolve: () => void };

export class LspSession {
  /** Every publishDiagnostics, when it arrived (performance.now()). */
  readonly published: Array<{ uri: string; at: number }> = [];
  /** When the first work-done progress ended (indexing). */
  progressEndAt: number | null = null;
  private stderr = '';
  private readonly logs: string[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly versions = new Map<string, number>();
  private lastMessageAt = performance.now();
  private readonly exited: Promise<void>;
  private disposed = false;

  private constructor(private readonly child: ChildProcess, private readonly conn: MessageConnection, settings: Record<string, unknown>) {
    this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.stderr = (this.stderr + s).slice(-4000)));
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string }) => this.heard(() => this.published.push({ uri: p.uri, at: performance.now() })));
    conn.onNotification('$/progress', (p: { value: { kind: string } }) => this.heard(() => {
      if (p.value.kind === 'end' && this.progressEndAt === null) this.progressEndAt = performance.now();
    }));
    conn.onNotification('window/logMessage', (p: { message: string }) => this.heard(() => {
      this.logs.push(p.message);
      if (this.logs.length > 5) this.logs.shift();
    }));
    conn.onNotification('window/showMessage', () => this.heard(() => {}));
    conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => p.items.map((i) => (i.section === 'altcall' ? settings : null)));
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('client/unregisterCapability', () => null);
    conn.listen();
  }

  /** Spawns the server and completes `initialize` (not yet `initialized`, which starts indexing). */
  static async start(root: string, settings: Record<string, unknown>): Promise<LspSession> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const session = new LspSession(child, conn, settings);
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: fileUri(root),
      workspaceFolders: [{ uri: fileUri(root), name: path.basename(root) }],
      // The debounce would only add its own delay to every edit's figure.
      initializationOptions: { diagnosticsDelay: 0 },
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true } },
      },
    });
    return session;
  }

  get pid(): number {
    return this.child.pid!;
  }

  initialized(): Promise<void> {
    return this.conn.sendNotification('initialized', {});
  }

  /** Resolves once `check` holds, re-checked after every message from the server. */
  waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { check, resolve: () => { clearTimeout(timer); resolve(); } };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; server stderr: ${this.stderr.trim()}; last logs: ${this.logs.join(' | ')}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Resolves once the server has sent nothing for `ms`. */
  async quiet(ms: number): Promise<void> {
    for (;;) {
      const wait = this.lastMessageAt + ms - performance.now();
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async open(file: string): Promise<string> {
    const text = fs.readFileSync(file, 'utf8');
    this.versions.set(fileUri(file), 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri(file), languageId: 'c', version: 1, text } });
    return text;
  }

  /** Incremental change: `range` replaced by `text`. */
  change(file: string, range: Range, text: string): Promise<void> {
    const uri = fileUri(file);
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  close(file: string): Promise<void> {
    this.versions.delete(fileUri(file));
    return this.conn.sendNotification('textDocument/didClose', { textDocument: { uri: fileUri(file) } });
  }

  /** The server's resident set now and its high-water mark, in bytes (Linux only: null elsewhere). */
  memory(): { rssBytes: number; peakRssBytes: number } | null {
    let status: string;
    try {
      status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    } catch {
      return null;
    }
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s*(\\d+)\\s*kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
  }

  async stop(): Promise<void> {
    await this.conn.sendRequest('shutdown');
    await this.conn.sendNotification('exit');
    await this.exited;
    this.kill();
  }

  /** Ends the server whatever state it is in (after stop(), nothing is left to do). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    if (!this.disposed) this.conn.dispose();
    this.disposed = true;
  }

  private heard(record: () => void): void {
    this.lastMessageAt = performance.now();
    record();
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }
}
