/**
 * The server's life over real framed JSON-RPC: start-up, indexing with
 * progress, the example tree's diagnostics against its markers, transports,
 * bad input, cancelled indexing, shutdown and exit.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, ResponseError } from 'vscode-jsonrpc/node';
import { readMarkers } from '../helpers/markers';
import { serverOut } from '../helpers/paths';
import { copyExampleTree, serverMain, tempDir, TestClient, uri, type Diagnostic } from './client';

describe('the example tree', () => {
  let root: string;
  let client: TestClient;

  before(async () => {
    root = copyExampleTree();
    client = await TestClient.start({ root, settings: { build: { kconfig: '.config' } } });
    await client.indexed();
  });
  after(() => client.kill());

  test('initialize announces incremental sync and the features', () => {
    const caps = (client.initializeResult as { capabilities: Record<string, unknown> }).capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.equal(caps.hoverProvider, true);
    assert.equal(caps.implementationProvider, true);
    assert.equal(caps.referencesProvider, true);
    assert.deepEqual((caps.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', 'source.fixAll.altcall']);
    assert.ok(caps.codeLensProvider);
  });

  test('settings are asked for the folder, and files are watched', () => {
    assert.ok(client.configurationRequests.length >= 1);
    const watch = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.ok(watch, 'file watchers registered');
    const globs = (watch.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers.map((w) => w.globPattern);
    assert.ok(globs.includes('**/*.{c,h}') && globs.includes('**/altcall.json') && globs.includes('**/.gitignore'));
  });

  test('indexing is a cancellable progress bar that counts files', () => {
    const kinds = client.progress.map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    assert.equal(client.progress[0].value.cancellable, true);
    const reports = client.progress.filter((p) => p.value.kind === 'report');
    const last = reports[reports.length - 1].value;
    const files = fs.readdirSync(root, { recursive: true }).filter((f) => /\.[ch]$/.test(String(f)) && !String(f).includes(`arch${path.sep}arm`));
    assert.equal(last.message, `parsing ${files.length}/${files.length} files`);
    assert.equal(last.percentage, 100);
  });

  test('the diagnostics are the findings the markers expect, in every file, open or not', () => {
    const expected = readMarkers(root).filter((m) => m.kind === 'finding').map((m) => `${path.relative(root, m.file)}:${m.line}:${m.text}`).sort();
    const got: string[] = [];
    for (const [u, list] of client.diagnostics) for (const d of list) got.push(`${path.relative(root, new URL(u).pathname)}:${d.range.start.line + 1}:${d.code}`);
    assert.deepEqual(got.sort(), expected);
  });

  test('a diagnostic carries its rule, a link to its documentation, its source and related places', () => {
    const all = [...client.diagnostics.values()].flat();
    const homepage = (JSON.parse(fs.readFileSync(path.join(serverOut, '..', 'package.json'), 'utf8')) as { homepage: string }).homepage;
    for (const d of all) {
      assert.equal(d.source, 'altcall');
      assert.equal(d.codeDescription?.href, `${homepage}#${d.code}`);
    }
    const severities = (rule: string) => new Set(all.filter((d) => d.code === rule).map((d) => d.severity));
    assert.deepEqual(severities('site-target-not-patchable'), new Set([1]));
    assert.deepEqual(severities('ops-missing-initdata'), new Set([2]));
    assert.deepEqual(severities('ops-kept-at-runtime'), new Set([3]));
    const time = client.diagnostics.get(uri(path.join(root, 'xen/arch/x86/time.c')))!;
    const write = time.find((d) => d.code === 'write-after-patch')!;
    // The site that keeps calling the old target, in the same file.
    assert.ok(write.relatedInformation?.some((r) => r.location.uri === uri(path.join(root, 'xen/arch/x86/time.c')) && r.location.range.start.line === 16), JSON.stringify(write.relatedInformation));
  });

  test('malformed requests get JSON-RPC errors and the server goes on', async () => {
    const file = uri(path.join(root, 'xen/arch/x86/time.c'));
    await assert.rejects(client.request('textDocument/hover', { textDocument: { uri: file }, position: { line: -1, character: 0 } }), (e: ResponseError<unknown>) => e.code === -32602);
    await assert.rejects(client.request('altcall/preview', { uri: file, position: { line: 16 }, profile: 'xen-9' }), (e: ResponseError<unknown>) => e.code === -32602 && /position/.test(e.message));
    await assert.rejects(client.request('altcall/preview', { uri: file, position: { line: 16, character: 11 }, profile: 'xen-9' }), (e: ResponseError<unknown>) => e.code === -32602 && /profile/.test(e.message));
    await assert.rejects(client.request('altcall/frobnicate', {}), (e: ResponseError<unknown>) => e.code === -32601);
    await assert.rejects(client.request('textDocument/hover', null), (e: ResponseError<unknown>) => e.code === -32602 || e.code === -32603);
    const lenses = await client.request<unknown[]>('textDocument/codeLens', { textDocument: { uri: file } });
    assert.ok(lenses.length > 0);
  });

  test('nothing but JSON-RPC reached stdout, and nothing went to stderr', () => {
    // The reader would have failed on any stray output; the server logs through window/logMessage.
    assert.equal(client.stderr, '');
    assert.ok(client.logs.some((l) => /indexed \d+ files/.test(l.message)));
  });
});

test('shutdown then exit ends the process with code 0', async (t) => {
  const root = tempDir();
  fs.writeFileSync(path.join(root, 'a.c'), 'struct o { void (*f)(void); };\nstruct o ops;\nvoid g(void) { alternative_vcall(ops.f); }\n');
  const client = await TestClient.start({ root });
  t.after(() => client.kill());
  await client.indexed();
  assert.equal(await client.stop(), 0);
});

test('--node-ipc: the same protocol over the IPC channel', async (t) => {
  const root = tempDir();
  fs.writeFileSync(path.join(root, 'a.c'), 'struct o { void (*f)(void); };\nstruct o ops;\nvoid g(void) { alternative_vcall(ops.f); }\n');
  const child = fork(serverMain, ['--node-ipc'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  t.after(() => child.kill());
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  const conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const diagnostics = new Promise<{ uri: string; diagnostics: Diagnostic[] }>((resolve) => {
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      if (p.diagnostics.length) resolve(p);
    });
  });
  conn.listen();
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: uri(root), capabilities: {}, workspaceFolders: [{ uri: uri(root), name: 'r' }] });
  await conn.sendNotification('initialized', {});
  const p = await diagnostics;
  assert.equal(p.uri, uri(path.join(root, 'a.c')));
  assert.deepEqual(p.diagnostics.map((d) => d.code), ['ops-missing-initdata']);
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  assert.equal(await exited, 0);
  assert.equal(stdout, '');
  conn.dispose();
});

test('without a transport the server explains on stderr, writes nothing to stdout, exits 2', () => {
  const r = spawnSync(process.execPath, [serverMain], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /--stdio/);
});

test('indexing can be cancelled from the progress bar; the files read so far stay indexed', async (t) => {
  const root = tempDir();
  const body = Array.from({ length: 60 }, (_, i) => `static int cf_check f${i}(int x) { int y = x * ${i}; if ( y > 3 ) y -= 2; return y; }`).join('\n');
  for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(root, `f${String(i).padStart(3, '0')}.c`), `${body}\n`);
  const client = await TestClient.start({ root });
  t.after(() => client.kill());
  await client.waitFor('the progress bar', () => client.progress.some((p) => p.value.kind === 'begin'));
  const token = client.progress[0].token;
  await client.conn.sendNotification('window/workDoneProgress/cancel', { token });
  await client.waitFor('the end of indexing', () => client.progress.some((p) => p.value.kind === 'end'));
  await client.waitFor('the cancellation log', () => client.logs.some((l) => /indexing cancelled after \d+ of 400 files/.test(l.message)));
  const line = client.logs.find((l) => /indexing cancelled/.test(l.message))!.message;
  assert.ok(Number(/after (\d+) of/.exec(line)![1]) < 400, line);
  // The server still answers.
  assert.ok(Array.isArray(await client.request('textDocument/codeLens', { textDocument: { uri: uri(path.join(root, 'f000.c')) } })));
  assert.equal(await client.stop(), 0);
});

test('workspace folders come and go; a file outside every folder is analysed on its own', async (t) => {
  const make = (name: string, text: string) => {
    const dir = tempDir(`altcall-lsp-${name}`);
    fs.writeFileSync(path.join(dir, `${name}.c`), text);
    return dir;
  };
  const first = make('first', 'struct o { void (*f)(void); };\nstruct o ops;\nvoid g(void) { alternative_vcall(ops.f); }\n');
  const second = make('second', 'struct p { int (*h)(void); };\nstruct p pops;\nint k(void) { return alternative_call(pops.h); }\n');
  const client = await TestClient.start({ root: first });
  t.after(() => client.kill());
  await client.indexed();
  const secondFile = uri(path.join(second, 'second.c'));
  await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: uri(second), name: 'second' }], removed: [] } });
  await client.waitFor('the new folder\'s diagnostics', () => (client.diagnostics.get(secondFile) ?? []).some((d) => d.code === 'ops-missing-initdata'));
  await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: uri(second), name: 'second' }] } });
  await client.waitFor('its diagnostics cleared', () => client.diagnostics.get(secondFile)?.length === 0);

  const loose = path.join(make('loose', ''), 'loose.c');
  await client.open(loose, 'void run(void (*fn)(void)) { alternative_vcall(fn); }\n');
  const got = await client.diagnosticsOf(loose, 'the loose file\'s finding', (d) => d.length > 0);
  assert.deepEqual(got.map((d) => d.code), ['site-target-not-patchable']);
  assert.equal(await client.stop(), 0);
});

test('altcall.trace.server "verbose" turns on debug logging', async (t) => {
  const root = tempDir();
  fs.writeFileSync(path.join(root, 'a.c'), 'int x;\n');
  const client = await TestClient.start({ root, settings: { trace: { server: 'verbose' } } });
  t.after(() => client.kill());
  await client.waitFor('a debug message', () => client.logs.some((l) => l.type === 4 && /indexing with/.test(l.message)));
  await client.setSettings({});
  await client.quiet();
  const count = client.logs.filter((l) => l.type === 4).length;
  await client.setSettings({ profile: 'xen-4.16' });
  await client.waitFor('the re-index', () => client.progress.filter((p) => p.value.kind === 'end').length >= 2);
  await client.quiet();
  assert.equal(client.logs.filter((l) => l.type === 4).length, count, 'no debug message once trace is off');
  assert.equal(await client.stop(), 0);
});

test('the file cap: the first files in path order are analysed, and the user is told', async (t) => {
  const root = tempDir();
  for (const name of ['a.c', 'b.c', 'c.c']) fs.writeFileSync(path.join(root, name), `struct o_${name[0]} { void (*f)(void); };\nstruct o_${name[0]} ops_${name[0]};\nvoid g_${name[0]}(void) { alternative_vcall(ops_${name[0]}.f); }\n`);
  const client = await TestClient.start({ root, settings: { maxFiles: 2 } });
  t.after(() => client.kill());
  await client.indexed();
  assert.ok(client.logs.some((l) => l.type === 2 && /more than 2 C files; only the first 2 are analysed \(setting altcall\.maxFiles\)/.test(l.message)));
  assert.deepEqual([...client.diagnostics.entries()].filter(([, d]) => d.length).map(([u]) => path.basename(u)).sort(), ['a.c', 'b.c']);
  assert.equal(await client.stop(), 0);
});
