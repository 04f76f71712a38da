/**
 * The language server: the protocol's events routed to the projects (one
 * per workspace folder), and the projects' results turned into protocol
 * answers. Every handler is guarded: an exception becomes a JSON-RPC error
 * (requests) or a log line (notifications), never a dead server.
 */
import * as path from 'node:path';
import {
  CancellationToken, CodeActionKind, CodeLensRefreshRequest, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification,
  ErrorCodes, FileChangeType, LSPErrorCodes, MessageType, ResponseError, ShowMessageNotification, TextDocuments, TextDocumentSyncKind,
  type CodeAction, type CodeActionParams, type CodeLens, type Connection, type Disposable, type FileEvent, type Hover, type InitializeParams,
  type InitializeResult, type Location, type Position, type TextDocumentPositionParams,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAME } from '../engine/config/configFile';
import { isProblem, readSource } from '../engine/files/read';
import type { Located } from '../engine/index/types';
import { codeActions } from './codeActions';
import { siteLenses } from './codeLens';
import { DiagnosticsPublisher, SOURCE, toDiagnostic } from './diagnostics';
import { displayFrom, hoverMarkdown } from './hover';
import { isWalked } from './ignored';
import { breathe } from './indexer';
import { describeError, Logger } from './logger';
import { lookup } from './lookup';
import { implementations, pointerOf, references } from './navigation';
import { projectOptions, readDiskText } from './options';
import { PACKAGE } from '../engine/packageInfo';
import { pathToUri, uriToPath, type TextPositions } from './positions';
import { badPreviewParams, previewAtPosition } from './previewRequest';
import { Project, type ProgressHandle, type ProjectHost } from './project';
import { FIX_ALL_KIND, PreviewRequest, type InitializationOptions, type PreviewParams, type PreviewResult } from './protocol';
import { defaultSettings, readSettings, type Settings } from './settings';

const DEFAULT_DIAGNOSTICS_DELAY = 200;
/** Progress reports closer together than this are dropped (the last one always goes). */
const PROGRESS_INTERVAL_MS = 100;

interface ClientSupport {
  configuration: boolean;
  dynamicConfiguration: boolean;
  dynamicWatchers: boolean;
  workDoneProgress: boolean;
  codeLensRefresh: boolean;
  workspaceFolders: boolean;
}

export class AltcallServer implements ProjectHost {
  readonly log: Logger;
  private readonly documents = new TextDocuments(TextDocument);
  private readonly publisher: DiagnosticsPublisher;
  /** Workspace folders by root; the loose project (files outside them) is made when first needed. */
  private readonly folders = new Map<string, Project>();
  private loose: Project | null = null;
  private readonly settings = new Map<Project, Settings>();
  /** Settings pushed with didChangeConfiguration, for clients without `workspace/configuration`. */
  private pushedSettings: unknown = undefined;
  private support: ClientSupport = { configuration: false, dynamicConfiguration: false, dynamicWatchers: false, workDoneProgress: false, codeLensRefresh: false, workspaceFolders: false };
  private delay = DEFAULT_DIAGNOSTICS_DELAY;
  /** Open documents edited since the index last saw them. */
  private readonly dirty = new Set<string>();
  /** Projects whose options must be re-read (config file edited, settings changed). */
  private readonly reconfigure = new Set<Project>();
  private timer: NodeJS.Timeout | null = null;
  private watchers: Disposable | null = null;
  private watchedNames = '';
  private shuttingDown = false;

  constructor(private readonly connection: Connection) {
    this.log = new Logger(connection.console);
    this.publisher = new DiagnosticsPublisher((uri, diagnostics, version) => void connection.sendDiagnostics({ uri, diagnostics, version }));
    this.wire();
  }

  listen(): void {
    this.documents.listen(this.connection);
    this.connection.listen();
  }

  // ---- ProjectHost

  openText(file: string): string | undefined {
    return this.documents.get(pathToUri(file))?.getText();
  }

  *openFiles(project: Project): Iterable<string> {
    for (const doc of this.documents.all()) {
      const file = uriToPath(doc.uri);
      if (file && this.projectFor(file) === project && !project.options.inputs.includes(file)) yield file;
    }
  }

  async progress(title: string): Promise<ProgressHandle> {
    const silent: ProgressHandle = { report: () => {}, cancelled: false, done: () => {} };
    if (!this.support.workDoneProgress) return silent;
    let reporter;
    try {
      reporter = await this.connection.window.createWorkDoneProgress();
    } catch (err) {
      this.log.warn(`no progress bar: ${describeError(err)}`);
      return silent;
    }
    reporter.begin(title, 0, undefined, true);
    let last = -Infinity;
    return {
      report: (message, percentage) => {
        const now = performance.now();
        if (now - last < PROGRESS_INTERVAL_MS && percentage < 100) return;
        last = now;
        reporter.report(percentage, message);
      },
      get cancelled() {
        return reporter.token.isCancellationRequested;
      },
      done: () => reporter.done(),
    };
  }

  indexed(project: Project): void {
    if (project.root !== null) this.registerWatchers();
    this.refreshLenses();
    this.schedule(0);
  }

  capped(project: Project, cap: number): void {
    const message = `${project.name}: more than ${cap} C files; only the first ${cap} are analysed (setting altcall.maxFiles).`;
    this.log.warn(message);
    // A notification: the request form would wait for the user to close the message.
    this.background('showMessage', this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }));
  }

  // ---- wiring

  private wire(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => this.notification('initialized', () => this.initialized()));
    c.onShutdown(() => this.shutdown());
    c.onDidChangeConfiguration((p) => this.notification('didChangeConfiguration', () => {
      this.pushedSettings = (p.settings as { altcall?: unknown } | null)?.altcall;
      for (const project of this.projects()) this.reconfigure.add(project);
      this.schedule(0);
    }));
    c.onDidChangeWatchedFiles((p) => this.notification('didChangeWatchedFiles', () => this.watchedFilesChanged(p.changes)));
    // An open is also a content change (TextDocuments fires both): that is where the buffer reaches the index.
    this.documents.onDidChangeContent((e) => this.notification('didChange', () => this.changed(e.document)));
    this.documents.onDidClose((e) => this.notification('didClose', () => this.closed(e.document)));
    c.onHover(this.request('hover', (p: TextDocumentPositionParams) => this.hover(p)));
    c.onCodeAction(this.request('codeAction', (p, token) => this.codeActions(p, token)));
    c.onCodeLens(this.request('codeLens', (p) => this.codeLens(p.textDocument.uri)));
    c.onImplementation(this.request('implementation', (p: TextDocumentPositionParams) => this.navigate(p, 'implementation')));
    c.onReferences(this.request('references', (p) => this.navigate(p, 'references', p.context?.includeDeclaration ?? false)));
    c.onRequest(PreviewRequest, this.request('altcall/preview', (p: PreviewParams) => this.preview(p)));
  }

  private initialize(params: InitializeParams): InitializeResult {
    const caps = params.capabilities;
    this.support = {
      configuration: caps.workspace?.configuration === true,
      dynamicConfiguration: caps.workspace?.didChangeConfiguration?.dynamicRegistration === true,
      dynamicWatchers: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      workDoneProgress: caps.window?.workDoneProgress === true,
      codeLensRefresh: caps.workspace?.codeLens?.refreshSupport === true,
      workspaceFolders: caps.workspace?.workspaceFolders === true,
    };
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof init.diagnosticsDelay === 'number' && init.diagnosticsDelay >= 0) this.delay = init.diagnosticsDelay;
    const roots = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    for (const uri of roots) {
      const root = uriToPath(uri);
      if (root) this.folders.set(root, this.newProject(root));
      else this.log.warn(`workspace folder ${uri} is not a file: URI; it is not analysed`);
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        codeLensProvider: { resolveProvider: false },
        implementationProvider: true,
        referencesProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'altcall-language-server', version: PACKAGE.version },
    };
  }

  private async initialized(): Promise<void> {
    if (this.support.dynamicConfiguration) this.background('register didChangeConfiguration', this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'altcall' }));
    if (this.support.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) => this.notification('didChangeWorkspaceFolders', () => {
        for (const f of e.removed) this.removeFolder(f.uri);
        for (const f of e.added) this.addFolder(f.uri);
      }));
    }
    this.registerWatchers();
    // Not awaited: requests are served while folders index.
    for (const project of this.folders.values()) this.background('configure', this.configure(project, true));
  }

  private addFolder(uri: string): void {
    const root = uriToPath(uri);
    if (!root || this.folders.has(root)) return;
    const project = this.newProject(root);
    this.folders.set(root, project);
    this.background('configure', this.configure(project, true));
  }

  private removeFolder(uri: string): void {
    const root = uriToPath(uri);
    const project = root ? this.folders.get(root) : undefined;
    if (!project || !root) return;
    project.stop();
    this.folders.delete(root);
    this.settings.delete(project);
    // Its files' diagnostics go: nobody analyses them any more.
    this.publisher.publish(new Map(), (u) => {
      const file = uriToPath(u);
      return file !== null && project.contains(file);
    }, () => undefined);
  }

  /** A project with placeholder options until `configure` has read its settings. */
  private newProject(root: string | null): Project {
    return new Project(root, projectOptions(root, defaultSettings(), () => null).options, this);
  }

  private shutdown(): void {
    this.shuttingDown = true;
    if (this.timer) clearTimeout(this.timer);
    for (const project of this.projects()) project.stop();
  }

  private projects(): Project[] {
    return [...this.folders.values(), ...(this.loose ? [this.loose] : [])];
  }

  /** The deepest folder holding the file, else the loose project. */
  private projectFor(file: string): Project {
    let best: Project | null = null;
    for (const p of this.folders.values()) if (p.contains(file) && (!best || p.root!.length > best.root!.length)) best = p;
    if (best) return best;
    if (!this.loose) {
      this.loose = this.newProject(null);
      this.background('configure', this.configure(this.loose, true));
    }
    return this.loose;
  }

  // ---- settings and options

  private async readSettingsFor(project: Project): Promise<Settings> {
    let raw: unknown = this.pushedSettings;
    if (this.support.configuration) {
      try {
        raw = await this.connection.workspace.getConfiguration({ scopeUri: project.root ? pathToUri(project.root) : undefined, section: 'altcall' });
      } catch (err) {
        this.log.warn(`cannot read the altcall settings: ${describeError(err)}`);
      }
    }
    const { settings, problems } = readSettings(raw);
    for (const p of problems) this.log.warn(`${p} (default used)`);
    return settings;
  }

  /**
   * Re-reads a project's settings and config file; re-indexes when what the
   * index depends on changed (or `restart`), else only re-shows results.
   */
  private async configure(project: Project, restart = false): Promise<void> {
    const settings = await this.readSettingsFor(project);
    if (this.shuttingDown) return;
    this.settings.set(project, settings);
    this.log.level = settings.trace.server === 'verbose' ? 'debug' : 'info';
    const read = projectOptions(project.root, settings, (f) => this.openText(f) ?? readDiskText(f));
    for (const p of read.problems) this.log.warn(p);
    if (project.root !== null) {
      const configUri = pathToUri(path.join(project.root, CONFIG_FILE_NAME));
      this.publisher.put(configUri, read.configProblems.map((p) => ({
        range: { start: { line: p.line - 1, character: p.column - 1 }, end: { line: p.line - 1, character: p.column - 1 } },
        severity: 1, source: SOURCE, message: p.key ? `${p.key}: ${p.message}` : p.message,
      })));
    }
    const reindex = restart || read.options.analysisKey !== project.options.analysisKey;
    if (reindex) {
      this.log.debug(() => `${project.name}: indexing with ${read.options.analysisKey}`);
      // Not awaited: indexing reports its own end (ProjectHost.indexed).
      this.background('indexing', project.start(read.options));
    } else {
      project.options = read.options;
      this.refreshLenses();
      this.schedule(0);
    }
  }

  /** Watchers for C files, config files, .gitignore files and the Kconfig files in use. */
  private registerWatchers(): void {
    if (!this.support.dynamicWatchers) return;
    const names = new Set([CONFIG_FILE_NAME, '.gitignore', '.config']);
    for (const p of this.projects()) for (const input of p.options.inputs) names.add(path.basename(input));
    const key = [...names].sort().join('\n');
    if (key === this.watchedNames) return;
    this.watchedNames = key;
    const old = this.watchers;
    this.watchers = null;
    old?.dispose();
    this.connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.{c,h}' }, ...[...names].map((n) => ({ globPattern: `**/${n}` }))],
    }).then((d) => {
      this.watchers = d;
    }, (err) => this.log.warn(`cannot watch files: ${describeError(err)}`));
  }

  // ---- documents

  private changed(doc: TextDocument): void {
    const file = uriToPath(doc.uri);
    if (!file) return;
    const project = this.projectFor(file);
    if (project.options.inputs.includes(file)) this.reconfigure.add(project);
    else this.dirty.add(doc.uri);
    this.schedule();
  }

  private closed(doc: TextDocument): void {
    const file = uriToPath(doc.uri);
    if (!file) return;
    this.dirty.delete(doc.uri);
    const project = this.projectFor(file);
    if (project.options.inputs.includes(file)) {
      this.reconfigure.add(project);
    } else {
      const r = readSource(file, { maxBytes: project.options.maxFileSize });
      const inFolder = project.root !== null && isWalked(project.root, file, project.options.exclude);
      project.closed(file, isProblem(r) || !inFolder ? null : r.text);
    }
    this.schedule();
  }

  /** Brings the index up to date with the open buffers: every request starts with this. */
  private flush(): void {
    for (const uri of this.dirty) {
      const doc = this.documents.get(uri);
      const file = uriToPath(uri);
      if (doc && file) this.projectFor(file).update(file, doc.getText(), true);
    }
    this.dirty.clear();
  }

  private watchedFilesChanged(changes: FileEvent[]): void {
    for (const change of changes) {
      const file = uriToPath(change.uri);
      if (!file) continue;
      const project = this.projectFor(file);
      if (project.root === null) continue;
      const base = path.basename(file);
      if (base === '.gitignore') {
        // What the walk lists changed: walk again.
        this.background('configure', this.configure(project, true));
        continue;
      }
      if (base === CONFIG_FILE_NAME || project.options.inputs.includes(file)) {
        if (this.openText(file) === undefined) this.reconfigure.add(project);
        continue;
      }
      // An open document's buffer wins over the disk until it is closed.
      if (this.openText(file) !== undefined) continue;
      if (change.type === FileChangeType.Deleted) {
        for (const f of [file, ...project.filesUnder(file)]) project.remove(f);
        continue;
      }
      if (!project.accepts(file) || !isWalked(project.root, file, project.options.exclude)) continue;
      const r = readSource(file, { maxBytes: project.options.maxFileSize });
      if (isProblem(r)) {
        this.log.info(`${r.path}: ${r.message}`);
        project.remove(file);
      } else if (project.text(file) !== r.text) {
        project.update(file, r.text, false);
      }
    }
    this.schedule();
  }

  // ---- diagnostics

  /** Diagnostics once edits have paused for the delay (0: as soon as queued messages are handled). */
  private schedule(delay = this.delay): void {
    if (this.shuttingDown) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.notification('diagnostics', () => this.publishAll());
    }, delay);
  }

  private async publishAll(): Promise<void> {
    const pending = [...this.reconfigure];
    this.reconfigure.clear();
    for (const project of pending) await this.configure(project);
    this.flush();
    for (const project of this.projects()) {
      if (project.state !== 'ready') continue;
      const byUri = new Map<string, ReturnType<typeof toDiagnostic>[]>();
      for (const f of project.findings()) {
        const d = toDiagnostic(f, project.positions);
        if (!d) continue;
        const uri = pathToUri(f.file);
        const list = byUri.get(uri);
        if (list) list.push(d);
        else byUri.set(uri, [d]);
      }
      const owned = (uri: string) => {
        const file = uriToPath(uri);
        return file !== null && project.accepts(file) && this.projectFor(file) === project;
      };
      this.publisher.publish(byUri as Map<string, NonNullable<ReturnType<typeof toDiagnostic>>[]>, owned, (uri) => this.documents.get(uri)?.version);
    }
  }

  private refreshLenses(): void {
    if (this.support.codeLensRefresh) this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => {});
  }

  // ---- requests

  /** The project, file and indexed text for a document position, after applying pending edits. */
  private at(uri: string): { project: Project; file: string; positions: TextPositions } | null {
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'textDocument.uri must be a string');
    const file = uriToPath(uri);
    if (!file) return null;
    this.flush();
    const project = this.projectFor(file);
    const positions = project.positions.of(file);
    return positions ? { project, file, positions } : null;
  }

  private hover(p: TextDocumentPositionParams): Hover | null {
    const where = this.at(p.textDocument?.uri);
    if (!where) return null;
    const { project, file, positions } = where;
    const result = project.result();
    if (!result) return null;
    const found = lookup(result, file, positions.text, positions.offset(checkPosition(p.position)));
    if (!found) return null;
    const markdown = hoverMarkdown(found, {
      result, profile: project.options.profile, findings: () => project.findings(), previewer: () => project.previewer(), display: displayFrom(project.root),
    });
    if (!markdown) return null;
    return { contents: { kind: 'markdown', value: markdown }, range: positions.range(found.word.start, found.word.end) };
  }

  private async codeActions(p: CodeActionParams, token: CancellationToken): Promise<CodeAction[]> {
    const uri = p.textDocument?.uri;
    const version = this.documents.get(uri)?.version;
    // Edits and cancellations sent after this request are read before it is answered (two turns: one for the queue's own).
    await breathe();
    await breathe();
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
    if (this.documents.get(uri)?.version !== version) throw new ResponseError(LSPErrorCodes.ContentModified, 'the document changed since the request');
    const where = this.at(uri);
    if (!where) return [];
    const { project, file, positions } = where;
    return codeActions({
      findings: project.findingsOf(file),
      start: positions.offset(checkPosition(p.range?.start)),
      end: positions.offset(checkPosition(p.range?.end)),
      only: p.context?.only,
      diagnostics: Array.isArray(p.context?.diagnostics) ? p.context.diagnostics : [],
      positions: project.positions,
      toDiagnostic: (f) => toDiagnostic(f, project.positions),
    });
  }

  private codeLens(uri: string): CodeLens[] {
    const where = this.at(uri);
    if (!where) return [];
    const result = where.project.result();
    return result ? siteLenses(result, where.file, uri, where.positions) : [];
  }

  private navigate(p: TextDocumentPositionParams, what: 'implementation' | 'references', includeDeclaration = false): Location[] {
    const where = this.at(p.textDocument?.uri);
    if (!where) return [];
    const { project, file, positions } = where;
    const result = project.result();
    if (!result) return [];
    const pointer = pointerOf(lookup(result, file, positions.text, positions.offset(checkPosition(p.position))), result);
    if (!pointer) return [];
    const toLocation = (at: Located): Location | null => {
      const range = project.positions.range(at.file, at.span.start, at.span.end);
      return range ? { uri: pathToUri(at.file), range } : null;
    };
    return what === 'implementation' ? implementations(pointer, result, toLocation) : references(pointer, includeDeclaration, toLocation);
  }

  private preview(p: PreviewParams): PreviewResult {
    const bad = badPreviewParams(p);
    if (bad) throw new ResponseError(ErrorCodes.InvalidParams, `altcall/preview: ${bad}`);
    const file = uriToPath(p.uri);
    if (!file) throw new ResponseError(ErrorCodes.InvalidParams, `altcall/preview: not a file: URI: ${p.uri}`);
    this.flush();
    const project = this.projectFor(file);
    const previewer = project.previewer(p.profile ?? undefined, p.ibt ?? undefined);
    if (!previewer) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'altcall/preview: the folder is not indexed yet');
    return previewAtPosition(previewer, file, p);
  }

  // ---- guards

  private request<P, R>(name: string, handler: (params: P, token: CancellationToken) => R | Promise<R>): (params: P, token: CancellationToken) => Promise<R> {
    return async (params, token) => {
      try {
        return await handler(params, token);
      } catch (err) {
        if (err instanceof ResponseError) throw err;
        this.log.error(`${name} failed`, err);
        throw new ResponseError(ErrorCodes.InternalError, `${name} failed: ${describeError(err)}`);
      }
    };
  }

  /** Work nobody awaits: a failure is logged, never an unhandled rejection (which would end the process). */
  private background(name: string, work: Promise<unknown>): void {
    work.catch((err) => this.log.error(`${name} failed`, err));
  }

  private notification(name: string, handler: () => void | Promise<void>): void {
    try {
      const r = handler();
      if (r) r.catch((err) => this.log.error(`${name} failed`, err));
    } catch (err) {
      this.log.error(`${name} failed`, err);
    }
  }
}

function checkPosition(p: Position | undefined): Position {
  if (!p || !Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) {
    throw new ResponseError(ErrorCodes.InvalidParams, 'position must be { line, character } with non-negative integers');
  }
  return p;
}

