/**
 * The packaged extension in a real VS Code (code-server, driven from
 * headless Chromium), in an untrusted workspace (Restricted Mode): what a
 * user sees on the example tree, checked against the tree's own
 * expectation markers. Run by `npm run test:e2e`, which
 * packages the .vsix first; scripts/e2e/setup.sh installs code-server and
 * Chromium when missing. Screenshots go to test-out/screenshots/, or with
 * SCREENSHOTS=docs/screenshots to the ones the README shows; on a failure, the page is saved under test-out/e2e/failures/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir, repoRoot } from '../helpers/paths';
import { readMarkers, type Marker } from '../helpers/markers';
import { installExtension, makeDirs, setUpCodeServer, startCodeServer, type CodeServerDirs, type RunningCodeServer } from './codeServer';
import { eventually, Workbench } from './workbench';

const STATUS_ID = 'altcall.status';
// The README's pictures are refreshed on request (SCREENSHOTS=docs/screenshots); a plain run leaves the tree clean.
const SCREENSHOTS = path.resolve(repoRoot, process.env.SCREENSHOTS ?? path.join('test-out', 'screenshots'));
const FAILURES = path.join(repoRoot, 'test-out', 'e2e', 'failures');
const STEP_TIMEOUT = 90_000;

let dirs: CodeServerDirs;
let server: RunningCodeServer | undefined;
let bench: Workbench | undefined;
let markers: Marker[];

function vsixPath(): string {
  const { name, version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = path.join(repoRoot, `${name}-${version}.vsix`);
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: npm run test:e2e packages it (npm run package)`);
  return vsix;
}

const rel = (file: string) => path.relative(dirs.workspace, file).split(path.sep).join('/');
const findings = () => markers.filter((m) => m.kind === 'finding');

/** A line of a workspace file, and the 1-based column of `word` in it. */
function locate(relative: string, line: number, word: string): number {
  const text = fs.readFileSync(path.join(dirs.workspace, relative), 'utf8').split('\n')[line - 1];
  const at = text.indexOf(word);
  assert.ok(at >= 0, `${relative}:${line} has ${word}`);
  return at + 1;
}

/** The first line of a workspace file holding `word` before any comment. */
function lineWith(relative: string, word: string): number {
  const lines = fs.readFileSync(path.join(dirs.workspace, relative), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(word) && !l.slice(0, l.indexOf(word)).includes('/*'));
  assert.ok(i >= 0, `${relative} has ${word}`);
  return i + 1;
}

/** A step that, when it fails, leaves a screenshot and the end of code-server's log behind. */
function step(name: string, body: (wb: Workbench) => Promise<void>): void {
  test(name, { timeout: STEP_TIMEOUT }, async () => {
    assert.ok(bench, 'VS Code is open');
    try {
      await body(bench);
    } catch (err) {
      const file = path.join(FAILURES, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
      await bench.screenshot(file).catch(() => {});
      const log = server?.output().split('\n').slice(-30).join('\n') ?? '';
      throw new Error(`${(err as Error).message}\n(screenshot: ${file})\ncode-server's last lines:\n${log}`, { cause: err });
    }
  });
}

before(async () => {
  const entry = setUpCodeServer();
  const vsix = vsixPath();
  dirs = makeDirs(path.join(fixturesDir, 'xen'));
  markers = readMarkers(dirs.workspace);
  installExtension(entry, dirs, vsix);
  server = await startCodeServer(entry, dirs);
  bench = await Workbench.open(server.url, dirs.workspace);
}, { timeout: 15 * 60_000 });

after(async () => {
  await bench?.close().catch(() => {});
  await server?.stop();
  if (dirs) fs.rmSync(dirs.root, { recursive: true, force: true });
});

step('in an untrusted workspace, the status bar shows the index state and the finding count once indexing ends', async (wb) => {
  // The whole run is in Restricted Mode: every later step also shows the extension works there.
  assert.match((await wb.statusItem('status.workspaceTrust')).text, /Restricted Mode/);
  const expected = findings().length;
  assert.ok(expected > 0, 'the example tree has expected findings');
  const status = await eventually(async () => {
    const s = await wb.statusItem(STATUS_ID);
    return s.text.includes(`Alt-call: ${expected} findings`) ? s : undefined;
  }, `the status bar to show ${expected} findings`, 60_000);
  assert.match(status.label, new RegExp(`Index ready: ${expected} findings in \\d+ files`));
  await wb.page.locator(`.statusbar-item[id$="${STATUS_ID}"]`).hover();
  await wb.page.locator('.monaco-hover-content', { hasText: 'Index ready' }).waitFor({ timeout: 10_000 });
  const viewport = wb.page.viewportSize()!;
  await wb.screenshot(path.join(SCREENSHOTS, 'status-bar.png'), { x: 0, y: viewport.height - 160, width: 700, height: 160 });
  await wb.page.mouse.move(viewport.width / 2, viewport.height / 2);
});

step('the Problems panel lists every expected finding with its rule code, file by file', async (wb) => {
  const byFile = new Map<string, Marker[]>();
  for (const m of findings()) byFile.set(rel(m.file), [...(byFile.get(rel(m.file)) ?? []), m]);
  for (const [file, expected] of byFile) {
    const want = expected.map((m) => `${m.line} ${m.text}`).sort();
    const shown = await eventually(async () => {
      const rows = (await wb.problemsOf(file)).map((p) => `${p.line} ${p.code}`).sort();
      return rows.length === want.length ? rows : undefined;
    }, `${want.length} problems for ${file}`);
    assert.deepEqual(shown, want, file);
  }
  const severities = (await wb.problemsOf('xen/common/callback.c')).map((p) => `${p.code} ${p.severity}`);
  assert.ok(severities.includes('site-target-not-patchable error'), severities.join(', '));
  assert.ok(severities.includes('bad-suppression warning'), severities.join(', '));
  await wb.problemsOf('xen/arch/x86/cpu/perfctr.c');
  await wb.openFile('xen/arch/x86/cpu/perfctr.c');
  await wb.goTo(findings().find((m) => rel(m.file) === 'xen/arch/x86/cpu/perfctr.c')!.line, 12);
  await wb.screenshot(path.join(SCREENSHOTS, 'problems.png'));
  await wb.clearProblemsFilter();
  await wb.hidePanel();
});

step('hovering a site shows its ops object, the impl tables that feed it and their targets', async (wb) => {
  const file = 'xen/arch/x86/cpu/idle.c';
  const site = markers.find((m) => m.kind === 'site' && rel(m.file) === file && m.text === 'idle_ops.residency' && /alternative_call1/.test(fs.readFileSync(m.file, 'utf8').split('\n')[m.line - 1]));
  assert.ok(site, 'the fixture has the alternative_call1 site of idle_ops.residency');
  const tables = markers.filter((m) => m.kind === 'impl' && / -> idle_ops$/.test(m.text)).map((m) => m.text.split(' ')[0]);
  assert.ok(tables.length >= 2, 'idle_ops has impl tables');
  await wb.openFile(file);
  await wb.goTo(site.line, locate(file, site.line, 'residency'));
  const text = await wb.hover(/impl table/);
  assert.match(text, /idle_ops/);
  for (const t of tables) assert.ok(text.includes(t), `the hover names ${t}:\n${text}`);
  assert.match(text, /alternative_call1/);
  await wb.screenshot(path.join(SCREENSHOTS, 'hover.png'));
  await wb.page.keyboard.press('Escape');
});

step('the injection grammar scopes annotations and site macros in the editor', async (wb) => {
  const file = 'xen/arch/x86/cpu/idle.c';
  await wb.openFile(file);
  const annotation = lineWith(file, '__initconst_cf_clobber');
  await wb.goTo(annotation, locate(file, annotation, '__initconst_cf_clobber') + 2);
  assert.ok((await wb.tokenScopes()).includes('storage.modifier.altcall.annotation.c'));
  const site = lineWith(file, 'alternative_call1');
  await wb.goTo(site, locate(file, site, 'alternative_call1') + 2);
  assert.ok((await wb.tokenScopes()).includes('support.function.altcall.site.c'));
  const deprecated = 'xen/drivers/pwrgov/acpi.c';
  await wb.openFile(deprecated);
  const line = lineWith(deprecated, '__alt_call_maybe_initconst');
  await wb.goTo(line, locate(deprecated, line, '__alt_call_maybe_initconst') + 2);
  assert.ok((await wb.tokenScopes()).includes('invalid.deprecated.altcall.annotation.c'));
});

step('the code lens opens the patch preview beside the source, and the preview follows edits', async (wb) => {
  const file = 'xen/arch/x86/cpu/idle.c';
  // Room for the source and its preview side by side.
  await wb.hideSideBar();
  await wb.openFile(file);
  const line = lineWith(file, 'alternative_call1(idle_ops.residency');
  await wb.goTo(line, locate(file, line, 'residency'));
  await wb.clickCodeLensAbove(line, 'patch preview');
  const tab = `idle.c:${line} patch preview`;
  const tables = markers.filter((m) => m.kind === 'impl' && / -> idle_ops$/.test(m.text)).map((m) => m.text.split(' ')[0]);
  const first = await eventually(async () => {
    const text = await wb.editorText(tab);
    return text.includes(`idle.c:${line}`) ? text : undefined;
  }, `the preview of idle.c:${line}`);
  assert.match(first, /alternative_call1\(idle_ops\.residency/);
  for (const t of tables) assert.ok(first.includes(t), `the preview has a line for ${t}:\n${first}`);
  assert.equal(await wb.page.locator('.editor-group-container').count(), 2, 'the preview is beside the source');
  await wb.screenshot(path.join(SCREENSHOTS, 'preview.png'));

  // A line added above the site: the preview follows it to its new line.
  await wb.goTo(1, 1);
  await wb.page.keyboard.press('Enter');
  await eventually(async () => ((await wb.editorText(tab)).includes(`idle.c:${line + 1}`) ? true : undefined), `the preview to move to idle.c:${line + 1}`);
  await wb.page.keyboard.press('Control+Z');
  await eventually(async () => ((await wb.editorText(tab)).includes(`idle.c:${line} `) ? true : undefined), `the preview to move back to idle.c:${line}`);
  await wb.command('View: Close All Editors');
});

step('a quick fix applies and its finding disappears, from the Problems panel and the count', async (wb) => {
  const missing = findings().find((m) => m.text === 'ops-missing-initdata' && rel(m.file) === 'xen/arch/x86/irqchip/probe.c');
  assert.ok(missing, 'the fixture has an ops object missing its annotation in probe.c');
  const file = rel(missing.file);
  const before = findings().length;
  await wb.openFile(file);
  await wb.goTo(missing.line, locate(file, missing.line, 'irqchip;'));
  await wb.hidePanel();
  const fixes = await wb.quickFixes();
  const fix = fixes.find((f) => f.includes('__alt_call_maybe_initdata'));
  assert.ok(fix, `a quick fix adds the annotation: ${fixes.join(' | ')}`);
  await wb.screenshot(path.join(SCREENSHOTS, 'quick-fix.png'));
  await wb.applyQuickFix(fix);
  await eventually(async () => ((await wb.editorText()).includes('__alt_call_maybe_initdata irqchip;') ? true : undefined), 'the annotation in the editor');
  await eventually(async () => {
    const codes = (await wb.problemsOf(file)).map((p) => p.code);
    return codes.includes('ops-missing-initdata') ? undefined : codes;
  }, `ops-missing-initdata to leave ${file}`);
  await eventually(async () => ((await wb.statusItem(STATUS_ID)).text.includes(`Alt-call: ${before - 1} findings`) ? true : undefined), `the status bar to count ${before - 1}`);
  await wb.clearProblemsFilter();
});

step('Re-index Workspace restarts the analysis and ends with the same findings', async (wb) => {
  const before = (await wb.statusItem(STATUS_ID)).text;
  const history = await wb.recordStatus(STATUS_ID);
  await wb.command('Alt-call: Re-index Workspace');
  await eventually(async () => ((await history()).some((t) => t === 'Alt-call' || t.includes('indexing')) ? true : undefined), 'the status bar to show the restart');
  // The unsaved quick fix stays applied: the new server gets the open buffer.
  await eventually(async () => {
    const s = await wb.statusItem(STATUS_ID);
    return s.text === before && /Index ready/.test(s.label) ? true : undefined;
  }, `the status bar to come back to "${before}"`, 60_000);
});

step('Lint Workspace shows the Problems panel with every finding', async (wb) => {
  await wb.hidePanel();
  await wb.page.locator('.markers-panel').waitFor({ state: 'hidden', timeout: 10_000 });
  await wb.command('Alt-call: Lint Workspace');
  await wb.page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 30_000 });
  const expected = findings().length - 1;
  await eventually(async () => (Number(await wb.page.locator('.panel .composite-bar .badge .badge-content').first().innerText()) === expected ? true : undefined), `the Problems badge to count ${expected}`);
});
