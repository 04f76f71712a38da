/**
 * The extension: starts the language server for C files and adds what the
 * protocol has no place for: the patch preview documents, the status bar
 * item, and the re-index and lint commands.
 */
import * as vscode from 'vscode';
import { LanguageClient, State, type LanguageClientOptions } from 'vscode-languageclient/node';
import { Commands } from './commands';
import { IndexState } from './indexState';
import { PREVIEW_SCHEME, PreviewDocuments, type PreviewTarget } from './preview';
import { serverOptions } from './serverOptions';
import { StatusBar } from './status';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // The server analyses the file: folders of the workspace, one progress each.
  const state = new IndexState(() => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').length);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'c' },
      // Unsaved edits to the config file apply at once, as they do to C files.
      { scheme: 'file', pattern: '**/altcall.json' },
    ],
    middleware: {
      handleWorkDoneProgress: (token, params, next) => {
        state.workDone(token, params);
        next(token, params);
      },
    },
  };
  const lc = new LanguageClient('altcall', 'Xen alternative_call', serverOptions(context), clientOptions);
  client = lc;
  lc.onDidChangeState((e) => state.serverState(e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped'));
  const previews = new PreviewDocuments(lc, state);
  context.subscriptions.push(
    state,
    previews,
    new StatusBar(lc, state),
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    vscode.commands.registerCommand(Commands.showPreview, (target?: PreviewTarget) => showPreview(previews, target)),
    // A new server reads the settings, the config file and every file again.
    vscode.commands.registerCommand(Commands.reindex, () => lc.restart()),
    vscode.commands.registerCommand(Commands.lintWorkspace, () => lintWorkspace(lc, state)),
  );
  await lc.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** From the code lens with its site; from the palette or the editor title, for the cursor in the active C editor. */
async function showPreview(previews: PreviewDocuments, target: PreviewTarget | undefined): Promise<void> {
  if (!target) {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'c') {
      void vscode.window.showInformationMessage('Alt-call: put the cursor on an alternative_call site in a C file to preview its patching.');
      return;
    }
    const { line, character } = editor.selection.active;
    target = { uri: editor.document.uri.toString(), position: { line, character } };
  }
  await previews.show(target);
}

/**
 * The server lints every file of the workspace, open or not, once it has
 * indexed it: this waits for indexing to end, then shows the findings.
 */
async function lintWorkspace(lc: LanguageClient, state: IndexState): Promise<void> {
  if (state.phase === 'stopped') await lc.start();
  if (state.phase !== 'ready') {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Alt-call: linting the workspace', cancellable: true },
      (_progress, token) => state.whenReady(token),
    );
  }
  await vscode.commands.executeCommand('workbench.actions.view.problems');
}
