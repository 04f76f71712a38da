/**
 * `altcall-lint preview`: the emulated boot patching of the sites at a
 * source position, or of every site of a tree.
 *
 * The tree indexed is the paths given after the position; by default the
 * git top-level holding the file (for `--all`: holding the current
 * directory), else the current directory when the file is under it, else
 * the file's own directory.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Profile } from '../engine/config/profiles';
import { ibtFor } from '../engine/config/ibt';
import { configFromDefines, type BuildConfig } from '../engine/preproc/conditions';
import { indexPaths } from '../engine/engine';
import { Previewer, PreviewReport, previewToJson, renderPreviewReport } from '../preview';
import { choice, COMMON_OPTIONS, configForPaths, engineOptions, UsageError } from './options';

export const PREVIEW_USAGE = `altcall-lint preview FILE:LINE[:COL] [paths...] [--profile P] [--ibt on|off|both] [--format text|json]
altcall-lint preview --all [paths...] [--profile P] [--ibt on|off|both] [--format text|json]`;

const PREVIEW_OPTIONS = {
  ...COMMON_OPTIONS,
  ibt: { type: 'string' },
  all: { type: 'boolean' },
} as const;

interface Position { file: string; line: number; column?: number }

function parsePosition(arg: string): Position {
  const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(arg);
  if (!m || Number(m[2]) < 1 || (m[3] !== undefined && Number(m[3]) < 1)) {
    throw new UsageError(`preview: expected FILE:LINE[:COL] with 1-based numbers (got '${arg}')\n${PREVIEW_USAGE}`);
  }
  return { file: path.resolve(m[1]!), line: Number(m[2]), ...(m[3] !== undefined ? { column: Number(m[3]) } : {}) };
}

/** IBT settings to preview (by default as the editor's); asking for IBT from a profile without it is a usage error. */
function ibtSettings(value: string | undefined, profile: Profile, config: BuildConfig): boolean[] {
  const wanted = choice(value, ['on', 'off', 'both'] as const, '--ibt', ibtFor(profile, config, null) ? 'on' : 'off');
  if (wanted !== 'off' && !profile.ibtAvailable) {
    throw new UsageError(`--ibt ${wanted}: ${profile.name} has no CET-IBT support (Xen 4.17 added it)`);
  }
  return wanted === 'both' ? [true, false] : [wanted === 'on'];
}

function gitTopLevel(dir: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? path.resolve(r.stdout.trim()) : undefined;
}

const isUnder = (file: string, dir: string) => {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

function defaultTree(near: string): string {
  const cwd = process.cwd();
  return gitTopLevel(near) ?? (isUnder(near, cwd) ? cwd : near);
}

/** Relative to the current directory when under it, else absolute. */
function displayPath(file: string): string {
  const abs = path.resolve(file);
  return isUnder(abs, process.cwd()) ? path.relative(process.cwd(), abs) : abs;
}

export async function runPreview(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: PREVIEW_OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`preview: ${(e as Error).message}\n${PREVIEW_USAGE}`);
  }
  const { values, positionals } = parsed;
  const format = choice(values.format, ['text', 'json'] as const, '--format', 'text');

  let position: Position | undefined;
  let paths = positionals;
  if (!values.all) {
    if (positionals.length === 0) throw new UsageError(`preview: give FILE:LINE[:COL] or --all\n${PREVIEW_USAGE}`);
    position = parsePosition(positionals[0]!);
    paths = positionals.slice(1);
    if (!fs.existsSync(position.file)) {
      err(`altcall-lint: preview: no such file: ${displayPath(position.file)}`);
      return 2;
    }
  }
  if (paths.length === 0) paths = [defaultTree(position ? path.dirname(position.file) : process.cwd())];
  const opts = engineOptions(values, (m) => err(m), configForPaths(paths, values.config));
  const profile = opts.profile!;
  const ibt = ibtSettings(values.ibt, profile, opts.config ?? configFromDefines({}));

  const run = await indexPaths(paths, opts);
  for (const p of run.problems) err(`${displayPath(p.path)}: ${p.message}`);
  const previewer = new Previewer(run.index.link(), { profile, ibt, text: (f) => run.index.text(f), displayPath });

  let report: PreviewReport;
  if (position) {
    const file = position.file;
    const same = (a: string, b: string) => path.resolve(a) === path.resolve(b);
    if (!run.files.some((f) => same(f, file))) {
      err(`altcall-lint: preview: ${displayPath(file)} is not in the indexed tree (${paths.map(displayPath).join(', ')})`);
      return 2;
    }
    const sites = previewer.sitesAt(file, position, same);
    if (sites.length === 0) {
      const where = `${displayPath(file)}:${position.line}${position.column !== undefined ? `:${position.column}` : ''}`;
      const onLine = position.column === undefined ? [] : previewer.sitesAt(file, { line: position.line }, same);
      const hint = onLine.length > 0 ? ` (sites on line ${position.line} start at column ${onLine.map((s) => s.span.col + 1).join(', ')})` : '';
      err(`altcall-lint: preview: no alternative-call site at ${where}${hint}`);
      return 2;
    }
    report = previewer.preview(sites);
  } else {
    report = previewer.all();
  }
  out(format === 'json' ? JSON.stringify(previewToJson(report), null, 2) : renderPreviewReport(report));
  return 0;
}
