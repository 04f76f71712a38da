/**
 * Patch previews as read-only virtual documents (`altcall-preview:`), one
 * per site, opened beside the source. Each remembers its site's position,
 * moved along as lines are inserted or removed above it, and is asked again
 * from the server when a C file changes or indexing ends.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LSPErrorCodes, RequestType, ResponseError, type LanguageClient } from 'vscode-languageclient/node';
import type { PreviewParams, PreviewResult } from '../../server/src/lsp/protocol';
import { PREVIEW_METHOD } from '../../server/src/lsp/names';
import type { IndexState } from './indexState';

export const PREVIEW_SCHEME = 'altcall-preview';

const PreviewRequest = new RequestType<PreviewParams, PreviewResult, void>(PREVIEW_METHOD);

/** How long edits must pause before open previews are asked again. */
const REFRESH_DELAY_MS = 300;

/** A site, as the code lens sends it (protocol shapes) or as taken from an editor. */
export interface PreviewTarget { uri: string; position: { line: number; character: number }; }

export class PreviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Where each open preview's site is now, by preview URI. */
  private readonly sites = new Map<string, { source: vscode.Uri; position: vscode.Position }>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly client: LanguageClient, state: IndexState) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.languageId !== 'c' || e.contentChanges.length === 0) return;
        this.follow(e.document.uri, e.contentChanges);
        this.scheduleRefresh();
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === PREVIEW_SCHEME) this.sites.delete(doc.uri.toString());
      }),
      state.onDidChange(() => {
        if (state.phase === 'ready') this.scheduleRefresh();
      }),
    );
  }

  /** Opens (or brings back) the preview of the site at `target`, beside the active editor. */
  async show(target: PreviewTarget): Promise<void> {
    const source = vscode.Uri.parse(target.uri);
    const position = new vscode.Position(target.position.line, target.position.character);
    const uri = previewUri(source, position);
    if (!this.sites.has(uri.toString())) this.sites.set(uri.toString(), { source, position });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    let site = this.sites.get(uri.toString());
    if (!site) {
      // A preview VS Code restored from an earlier session: its address says where the site is.
      site = siteOf(uri);
      if (!site) return `Not a patch preview address: ${uri.toString()}\n`;
      this.sites.set(uri.toString(), site);
    }
    if (!this.client.isRunning()) return 'The Alt-call language server is not running.\n';
    const c2p = this.client.code2ProtocolConverter;
    try {
      const result = await this.client.sendRequest(PreviewRequest, { uri: c2p.asUri(site.source), position: c2p.asPosition(site.position) }, token);
      return result.text;
    } catch (err) {
      if (err instanceof ResponseError && err.code === LSPErrorCodes.ServerCancelled) return 'The folder is still being indexed; the preview appears when indexing ends.\n';
      return `The preview failed: ${err instanceof Error ? err.message : String(err)}\n`;
    }
  }

  /** Moves the remembered positions of `source`'s previews past edits above them. */
  private follow(source: vscode.Uri, changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    for (const site of this.sites.values()) {
      if (site.source.toString() !== source.toString()) continue;
      for (const change of changes) site.position = shifted(site.position, change);
    }
  }

  private scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === PREVIEW_SCHEME) this.changed.fire(doc.uri);
    }, REFRESH_DELAY_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/**
 * One address per site; the tab shows the last path segment. The query
 * holds the site, so that a preview VS Code restores still works.
 */
function previewUri(source: vscode.Uri, position: vscode.Position): vscode.Uri {
  const label = `${path.posix.basename(source.path)}:${position.line + 1} patch preview`;
  const query = new URLSearchParams({ source: source.toString(), line: String(position.line), character: String(position.character) });
  return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${label}`, query: query.toString() });
}

function siteOf(uri: vscode.Uri): { source: vscode.Uri; position: vscode.Position } | undefined {
  const q = new URLSearchParams(uri.query);
  const source = q.get('source');
  const line = Number(q.get('line'));
  const character = Number(q.get('character'));
  if (!source || !Number.isInteger(line) || !Number.isInteger(character) || line < 0 || character < 0) return undefined;
  return { source: vscode.Uri.parse(source), position: new vscode.Position(line, character) };
}

/** Where `p` is after `change`: moved by the lines an edit above it adds or removes, or along its line. */
function shifted(p: vscode.Position, change: vscode.TextDocumentContentChangeEvent): vscode.Position {
  const { start, end } = change.range;
  if (end.isAfter(p)) {
    // An edit that overlaps or follows the site leaves it where it is (an overlapping one may remove it).
    return p;
  }
  const lines = change.text.split('\n');
  const addedLines = lines.length - 1;
  const removedLines = end.line - start.line;
  if (end.line < p.line) return p.translate(addedLines - removedLines);
  // The edit ends on the site's line, before it: the column moves too.
  const lastLength = lines[lines.length - 1].length;
  const character = (addedLines === 0 ? start.character + lastLength : lastLength) + (p.character - end.character);
  return new vscode.Position(start.line + addedLines, character);
}
