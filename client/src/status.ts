/**
 * The status bar item: what the server is doing (starting, indexing with
 * its progress, ready) and how many findings it reports. Clicking it opens
 * the Problems panel.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { countFindings, describeCount, plural } from './findings';
import type { IndexState } from './indexState';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('altcall.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly client: LanguageClient, private readonly state: IndexState) {
    this.item.name = 'Alt-call';
    this.item.command = 'workbench.actions.view.problems';
    this.subscriptions.push(state.onDidChange(() => this.render()), vscode.languages.onDidChangeDiagnostics(() => this.render()));
    this.render();
    this.item.show();
  }

  private render(): void {
    const count = countFindings(this.client.diagnostics);
    const phase = this.state.phase;
    const progress = this.state.progress;
    let text: string;
    let detail: string;
    if (phase === 'stopped') {
      text = '$(circle-slash) Alt-call';
      detail = 'The language server is not running (see the Output panel, "Xen alternative_call").';
    } else if (phase === 'starting') {
      text = '$(loading~spin) Alt-call';
      detail = 'The language server is starting.';
    } else if (phase === 'indexing') {
      text = `$(sync~spin) Alt-call: indexing${progress?.percentage !== undefined ? ` ${progress.percentage}%` : ''}`;
      detail = `Indexing: ${progress?.message ?? 'reading files'}. Findings so far: ${describeCount(count)}.`;
    } else {
      text = count.total === 0 ? '$(check) Alt-call' : `$(warning) Alt-call: ${plural(count.total, 'finding')}`;
      detail = `Index ready: ${describeCount(count)}.`;
    }
    this.item.text = text;
    this.item.tooltip = `${detail}\nClick to open the Problems panel.`;
    this.item.accessibilityInformation = { label: `Alt-call: ${detail}` };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
