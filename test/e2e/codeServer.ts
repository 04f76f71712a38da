/**
 * A throwaway code-server (VS Code in the browser) with the packaged
 * extension installed: its own user data, extensions folder and empty
 * config file under a temporary folder, started in its own process group so
 * that stopping it also stops its file watcher and extension host.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../helpers/paths';

/** Settings that keep first-run UI, telemetry and network lookups out of the way, and make hovers quick. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  // The workspace opens untrusted (Restricted Mode) without asking: the extension declares it works there.
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
  'git.enabled': false,
  'files.hotExit': 'off',
  'editor.hover.delay': 100,
  'editor.minimap.enabled': false,
  'editor.codeLens': true,
  'editor.fontSize': 13,
  'window.zoomLevel': 0,
};

export interface CodeServerDirs { root: string; userData: string; extensions: string; config: string; workspace: string; }

/** Installs what is missing (scripts/e2e/setup.sh) and returns code-server's entry script. */
export function setUpCodeServer(): string {
  const dir = execFileSync(path.join(repoRoot, 'scripts', 'e2e', 'setup.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60_000 }).trim();
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) throw new Error(`setup.sh reported ${dir}, which has no code-server`);
  return entry;
}

/** Fresh folders, with a copy of `fixture` as the workspace. */
export function makeDirs(fixture: string): CodeServerDirs {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'altcall-e2e-'));
  const dirs: CodeServerDirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    config: path.join(root, 'config.yaml'),
    workspace: path.join(root, 'workspace'),
  };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.mkdirSync(dirs.extensions);
  // Without --config, code-server writes ~/.config/code-server/config.yaml.
  fs.writeFileSync(dirs.config, '');
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  fs.cpSync(fixture, dirs.workspace, { recursive: true });
  return dirs;
}

function commonArgs(dirs: CodeServerDirs): string[] {
  return ['--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

export function installExtension(entry: string, dirs: CodeServerDirs, vsix: string): void {
  execFileSync(process.execPath, [entry, ...commonArgs(dirs), '--force', '--install-extension', vsix], { stdio: 'pipe', timeout: 120_000 });
}

export interface RunningCodeServer {
  url: string;
  /** Everything code-server printed, for failure reports. */
  output(): string;
  stop(): Promise<void>;
}

export async function startCodeServer(entry: string, dirs: CodeServerDirs): Promise<RunningCodeServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [
    entry, ...commonArgs(dirs), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-getting-started-override', '--ignore-last-opened', dirs.workspace,
  ], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const killGroup = () => stopGroup(child, 'SIGKILL');
  // If the test process dies first, the group must not outlive it.
  process.once('exit', killGroup);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => (await fetch(`${url}/healthz`)).ok, 60_000, () => `code-server did not answer on ${url}/healthz:\n${output}`, () => child.exitCode !== null);
  } catch (err) {
    stopGroup(child, 'SIGKILL');
    throw err;
  }
  return {
    url,
    output: () => output,
    stop: async () => {
      process.removeListener('exit', killGroup);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      stopGroup(child, 'SIGTERM');
      const timer = setTimeout(() => stopGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      // The watcher and extension host share the group; anything left goes now.
      stopGroup(child, 'SIGKILL');
    },
  };
}

function stopGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is already gone.
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it holds; `gaveUp` stops early (a dead process). */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number, message: () => string, gaveUp: () => boolean): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end && !gaveUp()) {
    try {
      if (await check()) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(message());
}
