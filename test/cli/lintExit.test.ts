/** `altcall-lint` exit statuses, usage errors, bad files and the progress line, from the real binary. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/out/engine/rules/registry';
import { lint, basicDir, cliFixtures, cliMain, copyOf, markedFindings, tempDir } from './lintSupport';

const clean = path.join(cliFixtures, 'clean');
const marked = markedFindings(basicDir).map((m) => m.split(' ')[1]);
const withSeverity = (s: string) => [...new Set(marked.filter((id) => RULES.find((r) => r.id === id)!.defaultSeverity === s))];
const off = (ids: string[]) => ids.flatMap((id) => ['--rule', `${id}=off`]);
const summary = (stdout: string) => JSON.parse(stdout).summary as { errors: number; warnings: number; infos: number };

test('exit 0 on a clean tree, 1 with findings', () => {
  const ok = lint([clean]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.equal(ok.stdout, 'no findings in 1 file\n');
  assert.equal(ok.stderr, '');
  assert.equal(lint([basicDir]).status, 1);
});

test('no paths lints the working directory', () => {
  const r = lint([], clean);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'no findings in 1 file\n');
});

test('warnings fail unless --max-warnings allows them; info never fails', () => {
  const errorsOff = off(withSeverity('error'));
  const warnings = withSeverity('warning').length ? marked.filter((id) => withSeverity('warning').includes(id)).length : 0;
  assert.ok(warnings >= 2, 'the fixture has warnings');
  assert.equal(lint([basicDir, ...errorsOff]).status, 1);
  assert.equal(lint([basicDir, ...errorsOff, '--max-warnings', String(warnings)]).status, 0);
  assert.equal(lint([basicDir, ...errorsOff, '--max-warnings', String(warnings - 1)]).status, 1);
  // Only info findings left: they are reported and the status is 0.
  const r = lint([basicDir, ...errorsOff, ...off(withSeverity('warning')), '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(summary(r.stdout).infos, withSeverity('info').length);
  // Raising a rule to error makes it fail even under --max-warnings.
  const info = withSeverity('info')[0];
  assert.equal(lint([basicDir, ...errorsOff, ...off(withSeverity('warning')), '--rule', `${info}=error`, '--max-warnings', '100']).status, 1);
});

test('--quiet reports errors only, and then warnings do not fail', () => {
  const errors = marked.filter((id) => withSeverity('error').includes(id)).length;
  const r = lint([basicDir, '--quiet', '--format', 'json']);
  assert.equal(r.status, 1);
  assert.deepEqual(JSON.parse(r.stdout).findings.map((f: { severity: string }) => f.severity), Array(errors).fill('error'));
  assert.equal(lint([basicDir, '--quiet', ...off(withSeverity('error'))]).status, 0);
  assert.equal(lint([basicDir, '--quiet', ...off(withSeverity('error')), '--max-warnings', '0']).status, 1);
});

test('--rule changes a severity for every format', () => {
  const rule = withSeverity('warning')[0];
  const r = lint([basicDir, '--rule', `${rule}=hint`, '--format', 'json']);
  const findings = JSON.parse(r.stdout).findings as Array<{ rule: string; severity: string }>;
  assert.ok(findings.filter((f) => f.rule === rule).length > 0);
  assert.ok(findings.filter((f) => f.rule === rule).every((f) => f.severity === 'hint'));
});

test('usage errors exit 2 and say what is wrong', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--format', 'xml', basicDir], /--format must be one of text, json, sarif, github, gitlab \(got 'xml'\)/],
    [['--rule', 'write-after-pach=off', basicDir], /unknown rule 'write-after-pach'; did you mean 'write-after-patch'\?/],
    [['--rule', 'write-after-patch=loud', basicDir], /severity must be one of error, warning, info, hint, off \(got 'loud'\)/],
    [['--rule', 'write-after-patch', basicDir], /--rule expects ID=/],
    [['--max-warnings', 'many', basicDir], /--max-warnings expects a whole number/],
    [['--frobnicate', basicDir], /Unknown option '--frobnicate'/],
    [['--profile', 'xen-9.99', basicDir], /--profile must be one of xen-4\.16/],
    [[path.join(basicDir, 'missing.c')], /missing\.c: no such file or directory/],
  ];
  for (const [args, message] of cases) {
    const r = lint(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});

test('--version and --help exit 0', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(cliMain), '..', '..', 'package.json'), 'utf8'));
  const v = lint(['--version']);
  assert.equal(v.status, 0);
  assert.equal(v.stdout.trim(), pkg.version);
  const h = lint(['--help']);
  assert.equal(h.status, 0);
  for (const flag of ['--format', '--profile', '--rule', '--config', '--max-warnings', '--quiet', '--fix', '--version']) assert.ok(h.stdout.includes(flag), flag);
});

test('bad files are reported by name and the rest is still linted', () => {
  const dir = copyOf(basicDir);
  fs.writeFileSync(path.join(dir, 'object.c'), Buffer.from('int x;\0\0\0'));
  fs.writeFileSync(path.join(dir, 'latin1.c'), Buffer.from('/* caf\xe9 */\nint y;\n', 'latin1'));
  fs.writeFileSync(path.join(dir, 'huge.c'), `/* ${'x'.repeat(2000)} */\n`);
  fs.writeFileSync(path.join(dir, 'altcall.json'), JSON.stringify({ maxFileSize: 1000 }));
  fs.symlinkSync(path.join(dir, 'nowhere.c'), path.join(dir, 'dangling.c'));
  const r = lint([dir, path.join(dir, 'dangling.c'), '--format', 'json']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /object\.c: binary file/);
  assert.match(r.stderr, /latin1\.c: not valid UTF-8 .*line 1/);
  assert.match(r.stderr, /huge\.c: file is .* over the 1000 bytes limit/);
  assert.match(r.stderr, /dangling\.c: cannot read: broken symbolic link/);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.problems.map((p: { file: string }) => path.basename(p.file)).sort(), ['dangling.c', 'huge.c', 'latin1.c', 'object.c']);
  assert.equal(j.summary.problems, 4);
  // The three good files are still linted in full.
  assert.deepEqual(j.findings.map((f: { file: string; line: number; rule: string }) => `${path.relative(dir, f.file)}:${f.line} ${f.rule}`).sort(), markedFindings(basicDir));
  const text = lint([dir]);
  assert.match(text.stdout.trimEnd().split('\n').at(-1)!, /; 3 files could not be linted$/);
});

test('the file cap leaves the rest unread and says so', () => {
  const dir = copyOf(basicDir);
  fs.writeFileSync(path.join(dir, 'altcall.json'), JSON.stringify({ maxFiles: 2 }));
  const r = lint([dir, '--format', 'json']);
  const j = JSON.parse(r.stdout);
  assert.equal(j.summary.files, 2);
  assert.equal(j.summary.notRead, 1);
  assert.match(r.stderr, /1 file not read: over the file cap \(maxFiles 2\)/);
  // Files are taken in path order: callback.c and power.c, not timer.c.
  assert.deepEqual([...new Set(j.findings.map((f: { file: string }) => path.basename(f.file)))].sort(), ['callback.c', 'power.c']);
});

test('a progress line on stderr for a big tree in a terminal only', () => {
  const dir = tempDir();
  for (let i = 0; i < 201; i++) fs.writeFileSync(path.join(dir, `f${String(i).padStart(3, '0')}.c`), `int f${i}(void) { return ${i}; }\n`);
  const piped = lint([dir]);
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal(piped.stderr, '');
  // script(1) runs the linter with a terminal as stdin, stdout and stderr.
  const cmd = [process.execPath, cliMain, dir].map((a) => `'${a}'`).join(' ');
  const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8' });
  assert.equal(tty.status, 0, tty.stdout + tty.stderr);
  assert.match(tty.stdout, /altcall-lint: reading and checking 201 files/);
  assert.match(tty.stdout, /\r\x1b\[K(no findings in 201 files)/);
  // 200 files is not a big tree.
  fs.rmSync(path.join(dir, 'f200.c'));
  const small = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8' });
  assert.doesNotMatch(small.stdout, /reading and checking/);
});

test('a reader that closes the pipe early (| head) gets no stack trace, and the status still counts', async () => {
  // Far more output than a pipe buffers, so that writes are still pending when the reader goes.
  const dir = tempDir();
  for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(dir, `f${i}.c`), `int run${i}(int (*fn)(void))\n{\n    return alternative_call(fn);\n}\n`);
  // Info findings only, so the status is 0 unless something fails.
  const child = spawn(process.execPath, [cliMain, dir, '--format', 'sarif', '--rule', 'site-target-not-patchable=info'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.stdout.once('data', () => child.stdout.destroy());
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(status, 0, stderr);
  assert.equal(stderr, '');
});
