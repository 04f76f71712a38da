/**
 * Every output format of `altcall-lint`, from the real binary, on the small
 * tree test/fixtures/cli/basic whose C marks the expected findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/out/engine/rules/registry';
import { lint, basicDir, markedFindings, rangeOf, copyOf, tempDir, sarifValidator } from './lintSupport';

const severityOf = (id: string) => RULES.find((r) => r.id === id)!.defaultSeverity;
const marked = markedFindings(basicDir);
const countOf = (severity: string) => marked.filter((m) => severityOf(m.split(' ')[1]) === severity).length;
const rel = (f: string) => path.relative(basicDir, path.resolve(f));

interface JsonFinding {
  file: string; line: number; column: number; endLine: number; endColumn: number; rule: string; severity: string; message: string;
  related: Array<{ file: string; line: number; column: number; message: string }>;
  fixes: Array<{ title: string; preferred: boolean; edits: Array<{ file: string; line: number; column: number; endLine: number; endColumn: number; newText: string }> }>;
}

function jsonRun(...extra: string[]): { findings: JsonFinding[]; problems: unknown[]; summary: Record<string, number> } {
  const r = lint([basicDir, '--format', 'json', ...extra]);
  assert.equal(r.status, 1, r.stderr);
  return JSON.parse(r.stdout);
}

test('text: GCC-style lines for the marked findings, source excerpts, notes and a summary', () => {
  const r = lint([basicDir]);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const header = /^(.+):(\d+):(\d+): (error|warning|info|hint): (.+) \[([a-z-]+)\]$/;
  const found = lines.map((l) => header.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  assert.deepEqual(found.map((m) => `${rel(m[1])}:${m[2]} ${m[6]}`).sort(), marked);
  for (const m of found) assert.equal(m[4], severityOf(m[6]));

  // The excerpt under the unpatchable site underlines `fn`, counted in UTF-16 units after an emoji.
  const site = rangeOf(basicDir, 'callback.c', 'site-target-not-patchable', 'fn', '(fn, arg');
  const at = lines.findIndex((l) => l.includes(`callback.c:${site.line}:${site.column}: error:`));
  assert.ok(at >= 0, r.stdout);
  assert.match(lines[at + 1], new RegExp(`^ +${site.line} \\| `));
  const caret = lines[at + 2];
  assert.equal(caret.indexOf('^') - (caret.indexOf('|') + 2), site.column - 1);
  assert.equal(caret.trimEnd().endsWith('^~'), true, caret);

  // Related locations are notes: the write-after-patch lists the site that keeps the old target.
  const write = rangeOf(basicDir, 'power.c', 'write-after-patch', 'power_ops.idle = idle_poll');
  const w = lines.findIndex((l) => l.includes(`power.c:${write.line}:${write.column}: warning:`));
  const siteLine = fs.readFileSync(path.join(basicDir, 'power.c'), 'utf8').split('\n').findIndex((l) => l.includes('alternative_vcall(power_ops.idle)')) + 1;
  assert.ok(lines.slice(w + 3, w + 6).some((l) => new RegExp(`power\\.c:${siteLine}:\\d+: note: `).test(l)), lines.slice(w, w + 6).join('\n'));

  assert.equal(lines.at(-1), `${countOf('error')} error, ${countOf('warning')} warnings, ${countOf('info')} info in 3 files (2 fixable with --fix)`);
});

test('json: findings with ranges, related locations and fixes, and the summary', () => {
  const j = jsonRun();
  assert.deepEqual(j.findings.map((f) => `${rel(f.file)}:${f.line} ${f.rule}`).sort(), marked);
  const byRule = (rule: string) => j.findings.find((f) => f.rule === rule)!;
  const expectRange = (rule: string, file: string, text: string, context?: string) => {
    const f = byRule(rule);
    const { line, column, endLine, endColumn } = f;
    assert.deepEqual({ line, column, endLine, endColumn }, rangeOf(basicDir, file, rule, text, context), rule);
  };
  // Ranges as ALTCALL.md section 3 defines them.
  expectRange('ops-missing-initdata', 'timer.c', 'timer_ops', 'timer_ops;');
  expectRange('impl-table-not-initconstrel', 'timer.c', 'hpet_ops');
  expectRange('site-target-not-patchable', 'callback.c', 'fn', '(fn');
  expectRange('write-after-patch', 'power.c', 'power_ops.idle = idle_poll');
  expectRange('ops-kept-at-runtime', 'power.c', 'power_ops', 'power_ops;');

  const kept = byRule('ops-kept-at-runtime');
  const useLine = fs.readFileSync(path.join(basicDir, 'power.c'), 'utf8').split('\n').findIndex((l) => l.includes('return power_ops.level')) + 1;
  assert.ok(kept.related.some((r) => r.line === useLine && rel(r.file) === 'power.c' && r.message.length > 0), JSON.stringify(kept.related));

  const fix = byRule('ops-missing-initdata').fixes.find((x) => x.preferred)!;
  const annotation = rangeOf(basicDir, 'timer.c', 'ops-missing-initdata', '__ro_after_init');
  assert.deepEqual(fix.edits.map((e) => ({ line: e.line, column: e.column, endLine: e.endLine, endColumn: e.endColumn, newText: e.newText })), [{ ...annotation, newText: '__alt_call_maybe_initdata' }]);

  assert.deepEqual(j.summary, { files: 3, errors: countOf('error'), warnings: countOf('warning'), infos: countOf('info'), hints: 0, fixable: 2, problems: 0, notRead: 0 });
  assert.deepEqual(j.problems, []);
});

test('sarif: valid SARIF 2.1.0 with rule metadata, levels, related locations and fixes', () => {
  const r = lint([basicDir, '--format', 'sarif'], path.dirname(basicDir));
  assert.equal(r.status, 1, r.stderr);
  const log = JSON.parse(r.stdout);
  const validate = sarifValidator();
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));

  const run = log.runs[0];
  const driver = run.tool.driver;
  assert.equal(driver.name, 'altcall-lint');
  assert.deepEqual(driver.rules.map((x: { id: string }) => x.id), RULES.map((x) => x.id));
  const level = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'server', 'package.json'), 'utf8'));
  for (const [i, rule] of RULES.entries()) {
    assert.equal(driver.rules[i].shortDescription.text, rule.description);
    assert.equal(driver.rules[i].defaultConfiguration.level, level[rule.defaultSeverity]);
    assert.equal(driver.rules[i].helpUri, pkg.homepage ? `${pkg.homepage}#${rule.id}` : undefined);
  }
  const results = run.results as Array<{ ruleId: string; ruleIndex: number; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }>; relatedLocations?: unknown[]; fixes?: Array<{ artifactChanges: Array<{ replacements: Array<{ insertedContent: { text: string } }> }> }> }>;
  assert.deepEqual(results.map((x) => `${x.locations[0].physicalLocation.artifactLocation.uri.replace(/^basic\//, '')}:${x.locations[0].physicalLocation.region.startLine} ${x.ruleId}`).sort(), marked);
  for (const x of results) {
    assert.equal(driver.rules[x.ruleIndex].id, x.ruleId);
    assert.equal(x.level, level[severityOf(x.ruleId)]);
    assert.equal(x.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
  }
  assert.ok(results.find((x) => x.ruleId === 'write-after-patch')!.relatedLocations!.length >= 2);
  const fixed = results.find((x) => x.ruleId === 'ops-missing-initdata')!;
  assert.equal(fixed.fixes![0].artifactChanges[0].replacements[0].insertedContent.text, '__alt_call_maybe_initdata');
  assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, `file://${path.dirname(basicDir).split(path.sep).map(encodeURIComponent).join('/')}/`);
});

test('github: one workflow command per finding, escaped as GitHub requires', () => {
  // A folder name with a comma and a colon, and a file with a percent sign, to exercise the escaping.
  const dir = path.join(tempDir(), 'odd,na:me');
  fs.cpSync(basicDir, dir, { recursive: true });
  fs.renameSync(path.join(dir, 'power.c'), path.join(dir, 'power 100%.c'));
  const r = lint(['odd,na:me', '--format', 'github'], path.dirname(dir));
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  const command = /^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([a-z-]+)::(.*)$/;
  const parsed = lines.map((l) => command.exec(l));
  assert.ok(parsed.every((m) => m !== null), r.stdout);
  const unescape = (s: string) => s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  assert.deepEqual(parsed.map((m) => `${unescape(m![2]).replace('odd,na:me/', '').replace('power 100%.c', 'power.c')}:${m![3]} ${m![7]}`).sort(), marked);
  const kind = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' } as const;
  for (const m of parsed) assert.equal(m![1], kind[severityOf(m![7])]);
  const write = parsed.find((m) => m![7] === 'write-after-patch')!;
  assert.equal(write[2], 'odd%2Cna%3Ame/power 100%25.c');
  // Related locations ride in the message as note lines, with escaped newlines.
  assert.match(write[8], /%0Aodd,na:me\/power 100%25\.c:\d+:\d+: note: /);
  assert.doesNotMatch(write[8], /[\r\n]/);
  const range = rangeOf(basicDir, 'power.c', 'write-after-patch', 'power_ops.idle = idle_poll');
  assert.deepEqual(write.slice(3, 7).map(Number), [range.line, range.column, range.endLine, range.endColumn]);
});

test('gitlab: Code Quality issues with mapped severities and fingerprints that survive moved code', () => {
  const dir = copyOf(basicDir);
  const run = () => {
    const r = lint(['basic', '--format', 'gitlab'], path.dirname(dir));
    assert.equal(r.status, 1, r.stderr);
    return JSON.parse(r.stdout) as Array<{ description: string; check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }>;
  };
  const first = run();
  assert.deepEqual(first.map((i) => `${i.location.path.replace(/^basic\//, '')}:${i.location.lines.begin} ${i.check_name}`).sort(), marked);
  const mapped = { error: 'critical', warning: 'major', info: 'info', hint: 'info' } as const;
  for (const i of first) {
    assert.equal(i.severity, mapped[severityOf(i.check_name)]);
    assert.ok(i.description.length > 0);
  }
  assert.equal(new Set(first.map((i) => i.fingerprint)).size, first.length);
  assert.deepEqual(run(), first);

  // Two new lines at the top of a file move its findings but keep their fingerprints.
  const power = path.join(dir, 'power.c');
  fs.writeFileSync(power, '/* moved */\n\n' + fs.readFileSync(power, 'utf8'));
  const moved = run();
  assert.deepEqual(moved.map((i) => i.fingerprint).sort(), first.map((i) => i.fingerprint).sort());
  const before = first.find((i) => i.check_name === 'write-after-patch')!;
  const after = moved.find((i) => i.fingerprint === before.fingerprint)!;
  assert.equal(after.location.lines.begin, before.location.lines.begin + 2);
});
