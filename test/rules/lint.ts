/**
 * Shared by the rule tests: lint a fixture tree, render findings as
 * comparable strings, compare with the tree's `expect:` markers, and apply
 * a fix to a copy of the tree to lint it again.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { indexPaths } from '../../server/out/engine/engine';
import { profile as makeProfile, ProfileName } from '../../server/out/engine/config/profiles';
import type { BuildConfig } from '../../server/out/engine/preproc/conditions';
import { ruleContext, runRules, RuleSettings } from '../../server/out/engine/rules/run';
import { applyEdits } from '../../server/out/engine/rules/edits';
import type { Finding, Fix } from '../../server/out/engine/rules/types';
import type { Span } from '../../server/out/engine/facts/types';
import { readMarkers } from '../helpers/markers';
import { fixturesDir } from '../helpers/paths';

export const rulesFixtures = path.join(fixturesDir, 'rules');

export interface Linted { root: string; findings: Finding[]; text(file: string): string; }

export async function lint(root: string, profile: ProfileName = 'xen-4.21', opts: { config?: BuildConfig; settings?: RuleSettings } = {}): Promise<Linted> {
  const run = await indexPaths([root], { profile: makeProfile(profile), config: opts.config, backend: 'native' });
  const findings = runRules(ruleContext(run.index), opts.settings);
  return { root, findings, text: (file) => run.index.text(file) ?? fs.readFileSync(file, 'utf8') };
}

/** `file:line` (1-based, relative to the tree) and rule: what an `expect:` marker says. */
export function markerKeys(root: string): string[] {
  return readMarkers(root).filter((m) => m.kind === 'finding').map((m) => `${path.relative(root, m.file)}:${m.line} ${m.text}`).sort();
}

export function findingKeys(l: Linted): string[] {
  return l.findings.map((f) => `${path.relative(l.root, f.file)}:${f.span.line + 1} ${f.rule}`).sort();
}

/** `line:col-line:col`, 1-based, of a span in its file's text. */
export function range(text: string, span: Span): string {
  const before = text.slice(0, span.end);
  const endLine = before.split('\n').length;
  const endCol = span.end - before.lastIndexOf('\n');
  return `${span.line + 1}:${span.col + 1}-${endLine}:${endCol}`;
}

/** A finding as the tests spell it out: `file range rule: message`. */
export function show(l: Linted, f: Finding): string {
  return `${path.relative(l.root, f.file)} ${range(l.text(f.file), f.span)} ${f.rule}: ${f.message}`;
}

export function ofRule(l: Linted, rule: string): string[] {
  return l.findings.filter((f) => f.rule === rule).map((f) => show(l, f));
}

/** The finding of `rule` starting on `line` (1-based) of `file`. */
export function findingAt(l: Linted, rule: string, file: string, line: number): Finding {
  const f = l.findings.find((x) => x.rule === rule && path.relative(l.root, x.file) === file && x.span.line + 1 === line);
  if (!f) throw new Error(`no ${rule} finding at ${file}:${line}; have:\n${l.findings.map((x) => show(l, x)).join('\n')}`);
  return f;
}

export interface Fixed {
  /** The fixed files' new texts, by path relative to the tree. */
  texts: Map<string, string>;
  /** The copy of the tree with the fix applied, linted again. */
  after: Linted;
}

/** Applies `fix` to a copy of the tree and lints the copy with the same profile. */
export async function applyFix(l: Linted, fix: Fix, profile: ProfileName = 'xen-4.21', opts: { config?: BuildConfig } = {}): Promise<Fixed> {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'altcall-fix-'));
  fs.cpSync(l.root, copy, { recursive: true });
  const texts = new Map<string, string>();
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    const rel = path.relative(l.root, file);
    const text = applyEdits(l.text(file), edits);
    texts.set(rel, text);
    fs.writeFileSync(path.join(copy, rel), text);
  }
  try {
    return { texts, after: await lint(copy, profile, opts) };
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/** Line `n` (1-based) of a text. */
export function line(text: string, n: number): string {
  return text.split('\n')[n - 1];
}

/** Whether a finding of `f`'s rule still starts on its line after a fix. */
export function stillThere(before: Linted, f: Finding, after: Linted): boolean {
  const rel = path.relative(before.root, f.file);
  return after.findings.some((x) => x.rule === f.rule && path.relative(after.root, x.file) === rel && x.span.line === f.span.line);
}
