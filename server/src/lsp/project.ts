/**
 * One workspace folder (or the loose files outside every folder): its
 * options, its analysis session, background indexing, and what is derived
 * from the linked index (findings, previews), cached per linked result.
 */
import * as path from 'node:path';
import { AnalysisSession } from '../engine/session';
import { walkSources } from '../engine/files/walk';
import { isOtherArchPath } from '../engine/index/includes';
import type { IndexResult } from '../engine/index/workspace';
import type { Finding, RuleContext } from '../engine/rules/types';
import { runRules } from '../engine/rules/run';
import { RULES } from '../engine/rules/registry';
import { isProfileName, profile as makeProfile } from '../engine/config/profiles';
import { Previewer } from '../preview';
import { displayFrom } from './hover';
import type { ProjectOptions } from './options';
import { ibtFor } from '../engine/config/ibt';
import { indexFiles } from './indexer';
import { PositionCache } from './positions';
import type { Logger } from './logger';

export type ProjectState = 'starting' | 'indexing' | 'ready';

export interface ProgressHandle {
  report(message: string, percentage: number): void;
  /** True once the user asked to stop. */
  readonly cancelled: boolean;
  done(): void;
}

export interface ProjectHost {
  readonly log: Logger;
  /** The buffer of an open document, undefined when the file is not open. */
  openText(file: string): string | undefined;
  /** Paths of the open documents that belong to `project` (the deepest folder holding them). */
  openFiles(project: Project): Iterable<string>;
  progress(title: string): Promise<ProgressHandle>;
  /** Indexing ended (finished, cancelled or failed): findings can be shown. */
  indexed(project: Project): void;
  /** The file cap was reached: say so to the user. */
  capped(project: Project, cap: number): void;
}

/** Longer than any real file takes (Xen's largest: ~50 ms), short enough not to stall the editor. */
const EDITOR_PARSE_DEADLINE_MS = 2000;

export class Project {
  state: ProjectState = 'starting';
  private session: AnalysisSession | null = null;
  /** Files updated as open documents: the session keeps their trees. */
  private readonly kept = new Set<string>();
  private generation = 0;
  private cachedFindings: { result: IndexResult; key: string; findings: Finding[]; byFile: Map<string, Finding[]> } | null = null;
  /** Offsets to positions in the indexed texts. */
  readonly positions = new PositionCache((f) => this.text(f));
  private readonly previewers = new Map<string, { result: IndexResult; previewer: Previewer }>();

  constructor(readonly root: string | null, public options: ProjectOptions, private readonly host: ProjectHost) {}

  get name(): string {
    return this.root ?? '(files outside the workspace folders)';
  }

  /** True when `file` belongs to this folder (the loose project takes what no folder does). */
  contains(file: string): boolean {
    if (this.root === null) return true;
    const rel = path.relative(this.root, file);
    return rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
  }

  /** Is the file one this project reads (walked extensions, not another architecture's)? */
  accepts(file: string): boolean {
    return /\.[ch]$/.test(file) && !isOtherArchPath(path.relative(this.root ?? path.parse(file).root, file), this.options.arch);
  }

  /**
   * (Re)builds the session with `options` and indexes the folder. A later
   * call supersedes a running one, which stops at its next slice.
   */
  async start(options: ProjectOptions): Promise<void> {
    const generation = ++this.generation;
    const stale = () => generation !== this.generation;
    this.options = options;
    this.state = 'starting';
    this.dispose();
    const log = this.host.log;
    let session: AnalysisSession;
    try {
      session = await AnalysisSession.create({
        profile: options.profile, config: options.config, backend: options.backend, arch: options.arch,
        includeRoots: options.includeRoots, log: (m) => log.info(m),
        // Keystrokes must not wait on one pathological file: it is left out, and logged.
        parseDeadlineMs: EDITOR_PARSE_DEADLINE_MS,
      });
    } catch (err) {
      log.error(`${this.name}: cannot start the analysis`, err);
      if (!stale()) this.state = 'ready';
      return;
    }
    if (stale()) return;
    this.session = session;
    this.cachedFindings = null;
    this.previewers.clear();
    this.updateOpenFiles();
    if (this.root === null) {
      this.state = 'ready';
      this.host.indexed(this);
      return;
    }
    this.state = 'indexing';
    const started = performance.now();
    const walked = walkSources([this.root], { exclude: options.exclude, maxFiles: options.maxFiles });
    const files = walked.files.filter((f) => this.accepts(f));
    if (walked.truncated) this.host.capped(this, options.maxFiles);
    const progress = await this.host.progress('Indexing C files');
    try {
      const outcome = await indexFiles(session, {
        files,
        maxFileSize: options.maxFileSize,
        isOpen: (f) => this.host.openText(f) !== undefined,
        cancelled: () => stale() || progress.cancelled,
        progress: (phase, done, total) => progress.report(`${phase} ${done}/${total} files`, percentage(phase, done, total)),
      }, log);
      if (stale()) return;
      for (const p of [...walked.problems, ...outcome.problems]) log.info(`${p.path}: ${p.message}`);
      // Open buffers were parsed before the attribute-like macros of the whole folder were known.
      this.updateOpenFiles();
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      if (outcome.cancelled) log.warn(`${this.name}: indexing cancelled after ${outcome.indexed} of ${files.length} files; findings cover those files only`);
      else log.info(`${this.name}: indexed ${outcome.indexed} files in ${seconds} s (${session.backend} parser, profile ${options.profile.name})`);
    } catch (err) {
      log.error(`${this.name}: indexing failed`, err);
    } finally {
      progress.done();
    }
    if (stale()) return;
    this.state = 'ready';
    this.host.indexed(this);
  }

  private updateOpenFiles(): void {
    for (const file of this.host.openFiles(this)) {
      const text = this.host.openText(file);
      if (text !== undefined) this.update(file, text, true);
    }
  }

  /** A file's new text; a failing analysis leaves the file as it was indexed before. */
  update(file: string, text: string, open: boolean): void {
    if (!this.session || !this.accepts(file)) return;
    if (open) this.kept.add(file);
    try {
      this.session.update(file, text, open);
    } catch (err) {
      this.host.log.error(`${file}: analysis failed, the file keeps its previous results`, err);
    }
  }

  /** The document is closed: its tree is freed and the file is what the disk says (gone if it is not there). */
  closed(file: string, diskText: string | null): void {
    if (!this.session) return;
    if (diskText === null) return this.remove(file);
    if (this.session.text(file) !== diskText) this.update(file, diskText, false);
    this.session.close(file);
    this.kept.delete(file);
  }

  remove(file: string): void {
    if (!this.session?.has(file)) return;
    this.kept.delete(file);
    try {
      this.session.remove(file);
    } catch (err) {
      this.host.log.error(`${file}: removing it from the index failed`, err);
    }
  }

  /** Files of the index under `dir` (a deleted folder). */
  filesUnder(dir: string): string[] {
    const result = this.result();
    if (!result) return [];
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    return [...result.files.keys()].filter((f) => f.startsWith(prefix));
  }

  text(file: string): string | undefined {
    return this.session?.text(file);
  }

  result(): IndexResult | null {
    if (!this.session) return null;
    try {
      return this.session.result();
    } catch (err) {
      this.host.log.error(`${this.name}: linking the index failed`, err);
      return null;
    }
  }

  private ruleContext(): RuleContext | null {
    const index = this.result();
    const session = this.session;
    if (!index || !session) return null;
    return { index, profile: session.profile, text: (f) => session.text(f) };
  }

  /** Findings of the whole folder with the configured severities (cached until the index or the severities change). */
  findings(): Finding[] {
    const ctx = this.ruleContext();
    if (!ctx) return [];
    const key = JSON.stringify(this.options.severity);
    const hit = this.cachedFindings;
    if (hit && hit.result === ctx.index && hit.key === key) return hit.findings;
    const findings = this.runRules(ctx);
    const byFile = new Map<string, Finding[]>();
    for (const f of findings) {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    }
    this.cachedFindings = { result: ctx.index, key, findings, byFile };
    return findings;
  }

  findingsOf(file: string): readonly Finding[] {
    this.findings();
    return this.cachedFindings?.byFile.get(file) ?? [];
  }

  /** One failing rule costs its own findings, not everyone's. */
  private runRules(ctx: RuleContext): Finding[] {
    const severity = this.options.severity;
    try {
      return runRules(ctx, { severity });
    } catch (err) {
      this.host.log.error(`${this.name}: a rule failed; running the rules one by one`, err);
    }
    const out: Finding[] = [];
    for (const rule of RULES) {
      if (severity[rule.id] === 'off') continue;
      const only = Object.fromEntries(RULES.map((r) => [r.id, r === rule ? severity[r.id] : 'off'])) as typeof severity;
      for (const [id, s] of Object.entries(only)) if (s === undefined) delete only[id];
      try {
        out.push(...runRules(ctx, { severity: only }));
      } catch (err) {
        this.host.log.error(`rule ${rule.id} failed and reports nothing`, err);
      }
    }
    return out;
  }

  /** A previewer over the current index for a profile (by name; the folder's by default) and an IBT setting. */
  previewer(profileName?: string, ibt?: boolean): Previewer | null {
    const result = this.result();
    const session = this.session;
    if (!result || !session) return null;
    const base = this.options.profile;
    // Another release's patching scheme and IBT support, over the names this folder is analysed with.
    const other = profileName && isProfileName(profileName) && profileName !== base.name ? makeProfile(profileName) : null;
    const profile = other ? { ...base, name: other.name, scheme: other.scheme, ibtAvailable: other.ibtAvailable } : base;
    const on = ibt ?? ibtFor(profile, this.options.config, this.options.ibtSetting);
    const key = `${profile.name}:${on}`;
    const hit = this.previewers.get(key);
    if (hit && hit.result === result) return hit.previewer;
    const previewer = new Previewer(result, { profile, ibt: [on], text: (f) => session.text(f), displayPath: displayFrom(this.root) });
    this.previewers.set(key, { result, previewer });
    return previewer;
  }

  /** Frees the trees the session keeps for open documents. */
  private dispose(): void {
    for (const file of this.kept) this.session?.close(file);
    this.kept.clear();
    this.session = null;
  }

  /** Stops indexing for good (the folder left the workspace, or the server shuts down). */
  stop(): void {
    this.generation++;
    this.dispose();
  }
}


/** Reading takes the first tenth of the bar, parsing the rest (it takes far longer). */
function percentage(phase: 'reading' | 'parsing', done: number, total: number): number {
  const part = done / Math.max(1, total);
  return Math.round(100 * (phase === 'reading' ? 0.1 * part : 0.1 + 0.9 * part));
}
