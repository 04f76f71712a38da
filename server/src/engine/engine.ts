/**
 * The engine's front door: files in, a linked workspace index out. Shared as
 * is by the CLI, the language server and the tests.
 */
import { walkSources, WalkOptions } from './files/walk';
import { readSource, isProblem, FileProblem } from './files/read';
import { createParser, BackendChoice, CParser, Logger } from './parse/backend';
import { learnAttributeNames, AttributeNames } from './parse/attributes';
import { scanDirectives, MacroDef } from './preproc/directives';
import { lex } from './preproc/lexer';
import type { BuildConfig } from './preproc/conditions';
import { configFromDefines } from './preproc/conditions';
import { extractFacts } from './facts/extract';
import type { FileFacts } from './facts/types';
import { profile as makeProfile, Profile } from './config/profiles';
import { WorkspaceIndex } from './index/workspace';
import { isOtherArchPath } from './index/includes';
import { extractInWorkers } from './worker/pool';
import { workerSetup } from './worker/protocol';
import * as os from 'node:os';

export interface EngineOptions {
  profile?: Profile;
  config?: BuildConfig;
  backend?: BackendChoice;
  arch?: string;
  includeRoots?: string[];
  walk?: WalkOptions;
  maxBytes?: number;
  log?: Logger;
  /** A file whose parse takes longer is reported and left out (default 10 s). */
  parseDeadlineMs?: number;
  /** Threads for parsing (below 2: in-process); default: one per core, in-process for a small tree. */
  workers?: number;
}

export interface IndexRun {
  index: WorkspaceIndex;
  parser: CParser;
  attributes: AttributeNames;
  files: string[];
  problems: FileProblem[];
}

const DEFINE_LINE = /^[ \t]*#[ \t]*define\b/gm;

/** Macro definitions only, found without lexing the whole file: enough to learn attribute names. */
export function quickDefines(text: string): MacroDef[] {
  const out: MacroDef[] = [];
  for (const m of text.matchAll(DEFINE_LINE)) {
    let end = text.indexOf('\n', m.index!);
    while (end > 0 && text.charCodeAt(end - 1 - (text.charCodeAt(end - 1) === 13 ? 1 : 0)) === 92) end = text.indexOf('\n', end + 1);
    if (end < 0) end = text.length;
    for (const d of scanDirectives(text, lex(text, m.index!, end))) if (d.macro) out.push(d.macro);
  }
  return out;
}

export async function indexPaths(paths: string[], opts: EngineOptions = {}): Promise<IndexRun> {
  const walked = walkSources(paths, opts.walk);
  const problems: FileProblem[] = [...walked.problems];
  const texts = new Map<string, string>();
  for (const file of walked.files) {
    const r = readSource(file, { maxBytes: opts.maxBytes });
    if (isProblem(r)) problems.push(r);
    else texts.set(file, r.text);
  }
  const prof = opts.profile ?? makeProfile();
  const index = new WorkspaceIndex({ profile: prof, arch: opts.arch, includeRoots: opts.includeRoots });
  // Other architectures take no part in the x86 patching model: not worth a parse, nor a say in attribute names.
  const jobs = [...texts].filter(([file]) => !isOtherArchPath(file, index.arch)).map(([path, text]) => ({ path, text }));
  const defs: MacroDef[] = [];
  for (const { text } of jobs) defs.push(...quickDefines(text));
  const attributes = learnAttributeNames(prof.names.attributes, defs);
  const parser = await createParser(opts.backend ?? 'auto', opts.log);
  const config = opts.config ?? configFromDefines({});
  const workers = opts.workers ?? defaultWorkers(jobs.length);
  let facts: Map<string, FileFacts>;
  if (workers >= 2) {
    const setup = workerSetup(parser.backend, attributes, config, prof.names, opts.parseDeadlineMs);
    const pooled = await extractInWorkers(jobs, setup, workers);
    for (const f of pooled.failures) problems.push(analysisProblem(f.path, f.message));
    facts = pooled.facts;
  } else {
    facts = new Map();
    for (const { path, text } of jobs) {
      const f = safeExtract(path, text, parser, { attributes, config, names: prof.names, parseDeadlineMs: opts.parseDeadlineMs }, problems);
      if (f) facts.set(path, f);
    }
  }
  // Files enter the index in walk order whichever worker read them, so results do not depend on timing.
  for (const { path, text } of jobs) {
    const f = facts.get(path);
    if (f) index.set(path, text, f);
  }
  return { index, parser, attributes, files: [...texts.keys()], problems };
}

/** Below this many files per thread, starting workers costs more than it saves. */
const MIN_FILES_PER_WORKER = 64;

/** Threads for extracting `files` files: one per core, none (below 2) for a small tree. */
export function defaultWorkers(files: number): number {
  return Math.min(os.availableParallelism(), Math.floor(files / MIN_FILES_PER_WORKER));
}

/** One file's analysis failing must not stop the others: it becomes a problem naming the file. */
export function safeExtract(file: string, text: string, parser: CParser, opts: Parameters<typeof extractFacts>[3], problems: FileProblem[]): FileFacts | null {
  try {
    return extractFacts(file, text, parser, opts);
  } catch (err) {
    problems.push(analysisProblem(file, (err as Error).message));
    return null;
  }
}

/** A file read fine but its analysis failed (or outlasted the parse deadline): left out, saying why. */
function analysisProblem(path: string, message: string): FileProblem {
  return { path, kind: 'analysis', message: `analysis failed: ${message}` };
}
