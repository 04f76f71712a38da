/**
 * Lint mode, `altcall-lint [options] [paths...]`: index the tree, run the
 * rules, optionally fix, print in the chosen format, and turn the counts
 * into the exit status (0 clean, 1 findings, 2 usage, config or I/O error).
 */
import * as fs from 'node:fs';
import { indexPaths, EngineOptions, IndexRun } from '../engine/engine';
import { RULES } from '../engine/rules/registry';
import { ruleContext, runRules } from '../engine/rules/run';
import { planFixes } from '../engine/rules/edits';
import { PACKAGE } from '../engine/packageInfo';
import type { Finding, Severity } from '../engine/rules/types';
import { ConfigError } from '../engine/config/configFile';
import { configForPaths, engineOptions, UsageError } from './options';
import { LINT_USAGE, parseLintArgs, LintArgs } from './lintOptions';
import { lintSources } from './lintSources';
import { writeFixes } from './lintFix';
import { Progress } from './lintProgress';
import { FORMATS } from './format';
import { Positions, summarize, FixOutcome, LintReport } from './format/report';


type Write = (s: string) => void;

export async function runLint(argv: string[], out: Write, err: Write, stderr: { isTTY?: boolean; write(s: string): unknown } = process.stderr): Promise<number> {
  try {
    const args = parseLintArgs(argv);
    if (args.values.help) {
      out(LINT_USAGE);
      return 0;
    }
    if (args.values.version) {
      out(PACKAGE.version);
      return 0;
    }
    return await lint(args, out, err, stderr);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`altcall-lint: ${e.message}\n(altcall-lint --help lists the options)`);
      return 2;
    }
    if (e instanceof ConfigError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
}

async function lint(args: LintArgs, out: Write, err: Write, stderr: { isTTY?: boolean; write(s: string): unknown }): Promise<number> {
  for (const p of args.paths) {
    // A mistyped path is a mistake in the command, not a problem of the tree.
    if (!exists(p)) throw new UsageError(`${p}: no such file or directory`);
  }
  const config = configForPaths(args.paths, args.config);
  // The engine only logs which parser backend it chose: results do not depend on it, so CI logs need not say.
  const engine = engineOptions(args.values, () => {}, config);
  const severity = { ...config?.rules, ...args.rules };
  const sources = lintSources(args.paths, args.values.exclude ?? [], config);
  const progress = new Progress(stderr, sources.files.length);
  const shown = (findings: Finding[]) => (args.quiet ? findings.filter((f) => f.severity === 'error') : findings);

  progress.phase(`altcall-lint: reading and checking ${sources.files.length} files…`);
  const recheck = () => check(sources.files, engine, severity);
  let run = await recheck();
  let fix: FixOutcome | undefined;
  if (args.fix) ({ run, fix } = await fixAll(run, shown, recheck, progress));
  progress.done();

  const problems = [...sources.problems, ...run.problems];
  const positions = new Positions((file) => run.index.text(file));
  const reported = shown(run.findings).map((f) => positions.finding(f));
  const report: LintReport = {
    tool: { name: 'altcall-lint', version: PACKAGE.version, homepage: PACKAGE.homepage },
    rules: RULES.map((r) => ({ id: r.id, description: r.description, defaultSeverity: r.defaultSeverity })),
    findings: reported,
    problems,
    fix,
    summary: summarize(reported, run.files.length, problems.length, sources.notRead),
    source: (file) => run.index.text(file),
  };
  for (const p of problems) err(`${p.path}: ${p.message}`);
  for (const w of run.index.link().warnings) err(`altcall-lint: warning: ${w}`);
  if (sources.notRead > 0) err(`altcall-lint: ${plural(sources.notRead, 'file')} not read: over the file cap (maxFiles ${config?.maxFiles}) of ${config?.file}`);
  if (fix) reportFix(fix, err);
  const text = FORMATS[args.format](report);
  if (text) out(text);

  if (fix?.untouched.some((u) => u.kind === 'io')) return 2;
  if (report.summary.errors > 0) return 1;
  // Under --quiet, warnings are neither shown nor counted, unless --max-warnings asks for a count.
  const warnings = run.findings.filter((f) => f.severity === 'warning').length;
  if ((!args.quiet || args.maxWarnings !== undefined) && warnings > (args.maxWarnings ?? 0)) return 1;
  return 0;
}

/** Writes the preferred fixes of the findings shown, then checks the tree again. */
async function fixAll(first: Checked, shown: (f: Finding[]) => Finding[], recheck: () => Promise<Checked>, progress: Progress): Promise<{ run: Checked; fix: FixOutcome }> {
  progress.phase('altcall-lint: writing fixes…');
  const plan = planFixes(shown(first.findings));
  const written = writeFixes(plan, (file) => first.index.text(file));
  progress.phase('altcall-lint: checking again…');
  const run = await recheck();
  const positions = new Positions((file) => first.index.text(file));
  return {
    run,
    fix: {
      fixed: written.written.reduce((n, file) => n + (plan.fixed.get(file)?.length ?? 0), 0),
      files: written.written,
      skipped: plan.skipped.map((f) => ({ ...positions.span(f.file, f.span), rule: f.rule, reason: 'overlaps an earlier fix; run --fix again' })),
      untouched: written.untouched,
    },
  };
}

interface Checked extends IndexRun { findings: Finding[]; }

async function check(files: string[], engine: EngineOptions, severity: Record<string, Severity | 'off'>): Promise<Checked> {
  const run = await indexPaths(files, engine);
  return { ...run, findings: runRules(ruleContext(run.index), { severity }) };
}

function reportFix(fix: FixOutcome, err: Write): void {
  err(`altcall-lint: fixed ${plural(fix.fixed, 'finding')} in ${plural(fix.files.length, 'file')}`);
  for (const s of fix.skipped) err(`${s.file}:${s.line}:${s.column}: note: fix for [${s.rule}] not applied: ${s.reason}`);
  for (const u of fix.untouched) err(`${u.file}: ${u.reason}`);
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
