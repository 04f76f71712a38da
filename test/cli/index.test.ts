/** `altcall-lint index` as users run it: the real binary in a child process. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixturesDir, serverOut } from '../helpers/paths';
import { readMarkers } from '../helpers/markers';

const cli = path.join(serverOut, 'cli', 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('index --format json on the example tree lists every marked site', () => {
  const root = path.join(fixturesDir, 'xen');
  const r = run('index', root, '--kconfig', path.join(root, '.config'), '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.version, 1);
  assert.equal(j.sites.length, readMarkers(root).filter((m) => m.kind === 'site').length);
  assert.ok(j.sites.every((s: { line: number; column: number }) => s.line >= 1 && s.column >= 1));
});

test('bad files are reported by name and the rest is still indexed (exit 0)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'altcall-cli-'));
  fs.writeFileSync(path.join(dir, 'bin.c'), Buffer.from('int x;\0\0'));
  fs.writeFileSync(path.join(dir, 'utf.c'), Buffer.from([0x69, 0x6e, 0x74, 0x20, 0xff, 0x3b]));
  fs.writeFileSync(path.join(dir, 'ok.c'), 'struct o { void (*f)(void); };\nstruct o ops;\nvoid g(void) { alternative_vcall(ops.f); }\n#if 1\n');
  const r = run('index', dir, path.join(dir, 'missing.c'), '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /bin\.c: binary file/);
  assert.match(r.stderr, /utf\.c: not valid UTF-8/);
  assert.match(r.stderr, /missing\.c: cannot read/);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.sites.map((s: { ops: string; member: string }) => `${s.ops}.${s.member}`), ['ops.f']);
  const ok = j.files.find((f: { file: string }) => f.file.endsWith('ok.c'));
  assert.ok(ok.problems.some((p: string) => /#endif missing/.test(p)));
  assert.equal(j.files.filter((f: { status: string }) => f.status === 'skipped').length, 3);
});

test('usage errors exit 2 with a message', () => {
  const r = run('index', '--format', 'xml', fixturesDir);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--format must be one of json, text/);
  assert.equal(run('frobnicate').status, 2);
  assert.equal(run('index', '--profile', 'xen-9.99', fixturesDir).status, 2);
});
