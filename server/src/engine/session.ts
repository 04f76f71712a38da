/**
 * A long-lived analysis of a workspace, for the language server: files are
 * added, changed and removed one at a time; only the changed file is
 * re-parsed (incrementally when it is open), and the index re-links lazily.
 * When an edit changes which macros are attribute-like, every file is
 * re-read, since each file's parse depends on that set.
 */
import { createParser, BackendChoice, CParser, Logger } from './parse/backend';
import { learnAttributeNames, AttributeNames } from './parse/attributes';
import { macroDefsKey, type MacroDef } from './preproc/directives';
import { BuildConfig, configFromDefines } from './preproc/conditions';
import { extractWithTree, ParsedDoc, ExtractOptions } from './facts/extract';
import { profile as makeProfile, Profile } from './config/profiles';
import { WorkspaceIndex, IndexResult } from './index/workspace';
import { isOtherArchPath } from './index/includes';
import { quickDefines } from './engine';
import { extractInWorkers } from './worker/pool';
import { workerSetup } from './worker/protocol';
import type { FileFacts } from './facts/types';

export interface SessionOptions {
  profile?: Profile;
  config?: BuildConfig;
  backend?: BackendChoice;
  arch?: string;
  includeRoots?: string[];
  log?: Logger;
  /** A file whose parse takes longer is left out (default 10 s; an editor may want less). */
  parseDeadlineMs?: number;
  /** Open documents whose trees are kept for incremental parsing (least recently used are freed). */
  maxTrees?: number;
}

export class AnalysisSession {
  private readonly index: WorkspaceIndex;
  private readonly defines = new Map<string, MacroDef[]>();
  private readonly trees = new Map<string, ParsedDoc>();
  private attributes: AttributeNames;
  private attributeKey = '';
  private readonly extract: Omit<ExtractOptions, 'attributes'>;

  private constructor(private readonly parser: CParser, private readonly options: SessionOptions) {
    const prof = options.profile ?? makeProfile();
    this.index = new WorkspaceIndex({ profile: prof, arch: options.arch, includeRoots: options.includeRoots });
    this.extract = { config: options.config ?? configFromDefines({}), names: prof.names, parseDeadlineMs: options.parseDeadlineMs };
    this.attributes = learnAttributeNames(prof.names.attributes, []);
  }

  static async create(options: SessionOptions = {}): Promise<AnalysisSession> {
    return new AnalysisSession(await createParser(options.backend ?? 'auto', options.log), options);
  }

  get backend(): string {
    return this.parser.backend;
  }

  get profile(): Profile {
    return this.index.profile;
  }

  /**
   * Adds many files at once (initial indexing): attribute names are learned
   * from all of them before any is parsed. `progress` is called after each
   * file; returning false stops (the files read so far stay indexed).
   */
  addAll(files: Iterable<{ path: string; text: string }>, progress?: (done: number) => boolean): void {
    const all = [...files];
    this.learnFrom(all);
    let done = 0;
    // Another architecture's file is left out but still reported: callers count progress in the files they offered.
    for (const f of all) {
      if (!isOtherArchPath(f.path, this.index.arch)) this.parse(f.path, f.text, false);
      if (progress && !progress(++done)) return;
    }
  }

  /**
   * Like `addAll`, on `workers` threads: the parse trees live and die there,
   * and this thread stays free for requests. `progress` is called as each
   * file's facts arrive; returning false stops handing out more. Files enter
   * the index in the order given, whichever thread read them. Resolves to
   * the files whose analysis failed.
   */
  async addAllInWorkers(files: Iterable<{ path: string; text: string }>, workers: number, progress?: (done: number) => boolean): Promise<Array<{ path: string; message: string }>> {
    const list = [...files].filter((f) => !isOtherArchPath(f.path, this.index.arch));
    this.learnFrom(list);
    const setup = workerSetup(this.parser.backend, this.attributes, this.extract.config, this.extract.names, this.extract.parseDeadlineMs);
    const arrived = new Map<string, FileFacts>();
    let stop = false;
    const { failures } = await extractInWorkers(list, setup, workers, {
      onFacts: (path, facts) => {
        arrived.set(path, facts);
        if (progress && !progress(arrived.size)) stop = true;
      },
      stopped: () => stop,
    });
    for (const f of list) {
      const facts = arrived.get(f.path);
      if (facts) this.index.set(f.path, f.text, facts);
    }
    return failures;
  }

  /** Macro definitions of these files, and the attribute names learned from them with everyone else's. */
  private learnFrom(files: ReadonlyArray<{ path: string; text: string }>): void {
    for (const f of files) if (!isOtherArchPath(f.path, this.index.arch)) this.defines.set(f.path, quickDefines(f.text));
    this.relearn();
  }

  /** A file's new text: re-parsed (incrementally if `open`), and everything else re-parsed only if attribute macros changed. */
  update(path: string, text: string, open = false): void {
    if (isOtherArchPath(path, this.index.arch)) return;
    const defines = quickDefines(text);
    const before = this.defines.get(path);
    this.defines.set(path, defines);
    // Most edits leave the file's #defines as they were: then the attribute names cannot change.
    if (!before || macroDefsKey(before) !== macroDefsKey(defines)) {
      if (this.relearn()) this.reparseAll(path);
    }
    this.parse(path, text, open);
  }

  remove(path: string): void {
    this.close(path);
    this.defines.delete(path);
    this.index.remove(path);
    if (this.relearn()) this.reparseAll();
  }

  /** Frees the kept tree of a document that is no longer open. */
  close(path: string): void {
    const doc = this.trees.get(path);
    if (doc) this.parser.free(doc.tree);
    this.trees.delete(path);
  }

  result(): IndexResult {
    return this.index.link();
  }

  text(path: string): string | undefined {
    return this.index.text(path);
  }

  has(path: string): boolean {
    return this.index.files.has(path);
  }

  /** Every file again (but `except`): their parse depends on the attribute names, which changed. */
  private reparseAll(except?: string): void {
    for (const [p] of this.index.files) if (p !== except) this.parse(p, this.index.text(p) ?? '', this.trees.has(p));
  }

  private parse(path: string, text: string, keepTree: boolean): void {
    const previous = this.trees.get(path);
    this.trees.delete(path);
    const { facts, doc } = extractWithTree(path, text, this.parser, { ...this.extract, attributes: this.attributes }, previous);
    if (keepTree) {
      this.trees.set(path, doc);
      this.evict();
    } else {
      this.parser.free(doc.tree);
    }
    this.index.set(path, text, facts);
  }

  private evict(): void {
    const max = this.options.maxTrees ?? 32;
    for (const [p, doc] of this.trees) {
      if (this.trees.size <= max) break;
      this.parser.free(doc.tree);
      this.trees.delete(p);
    }
  }

  /** Re-learns attribute-like names from all defines; true when the set changed. */
  private relearn(): boolean {
    const names = learnAttributeNames(this.index.profile.names.attributes, [...this.defines.values()].flat());
    const key = [names.plain, names.withArgs, names.loops].map((set) => [...set].sort().join(' ')).join('|');
    const changed = key !== this.attributeKey;
    this.attributes = names;
    this.attributeKey = key;
    return changed;
  }
}
