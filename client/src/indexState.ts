/**
 * What the language server is doing, as the client can see it: whether it
 * runs, and the work-done progress it reports. The server reports progress
 * only while it indexes a folder, once per folder when it starts and again
 * when settings make it re-index; so a started server is ready once it has
 * finished one progress per workspace folder and has none running.
 */
import * as vscode from 'vscode';
import type { ProgressToken, WorkDoneProgressBegin, WorkDoneProgressEnd, WorkDoneProgressReport } from 'vscode-languageclient/node';

export type ServerPhase = 'stopped' | 'starting' | 'indexing' | 'ready';

interface Indexing { message?: string; percentage?: number; }

export class IndexState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly indexing = new Map<ProgressToken, Indexing>();
  private running: boolean | 'starting' = false;
  /** Progresses ended since the server started. */
  private finished = 0;

  /** @param folders how many folders the server indexes when it starts */
  constructor(private readonly folders: () => number) {}

  get phase(): ServerPhase {
    if (this.running === false) return 'stopped';
    if (this.running === 'starting') return 'starting';
    if (this.indexing.size > 0) return 'indexing';
    return this.finished < this.folders() ? 'starting' : 'ready';
  }

  /** The least advanced folder's progress: "parsing 120/400 files", with its percentage. */
  get progress(): Indexing | undefined {
    let least: Indexing | undefined;
    for (const p of this.indexing.values()) if (!least || (p.percentage ?? 0) < (least.percentage ?? 0)) least = p;
    return least;
  }

  serverState(state: 'stopped' | 'starting' | 'running'): void {
    this.running = state === 'running' ? true : state === 'starting' ? 'starting' : false;
    // A restarted server starts its progress afresh; the old tokens never end.
    if (state !== 'running') {
      this.indexing.clear();
      this.finished = 0;
    }
    this.changed.fire();
  }

  workDone(token: ProgressToken, params: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd): void {
    if (params.kind === 'begin') this.indexing.set(token, { message: params.message, percentage: params.percentage });
    else if (params.kind === 'report') {
      const p = this.indexing.get(token);
      if (!p) return;
      if (params.message !== undefined) p.message = params.message;
      if (params.percentage !== undefined) p.percentage = params.percentage;
    } else if (this.indexing.delete(token)) this.finished++;
    this.changed.fire();
  }

  /** Resolves once the server runs and has indexed every folder, or when `token` is cancelled. */
  whenReady(token: vscode.CancellationToken): Promise<void> {
    return new Promise((resolve) => {
      if (this.phase === 'ready' || token.isCancellationRequested) return resolve();
      const subscriptions: vscode.Disposable[] = [];
      const done = () => {
        for (const s of subscriptions) s.dispose();
        resolve();
      };
      subscriptions.push(this.onDidChange(() => this.phase === 'ready' && done()), token.onCancellationRequested(done));
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
