/**
 * Driving VS Code (code-server) the way a user does, through the keyboard
 * and what the page shows: Quick Open, Go to Line, the Problems panel,
 * hovers, the quick fix menu, code lenses, editor text and the status bar.
 * Every wait has a deadline, and the DOM is read, never VS Code's internals.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

const WAIT_MS = 15_000;

/** The few browser globals the page-side code uses. */
interface PageGlobals {
  document: { querySelector(selector: string): { textContent: string | null } | null; body: unknown };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
  [key: string]: unknown;
}

export interface Problem { file: string; line: number; column: number; code: string; severity: string; message: string; }

export class Workbench {
  private constructor(private readonly browser: Browser, readonly page: Page) {}

  static async open(url: string, folder: string): Promise<Workbench> {
    const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
    const browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    // Tall enough for the Problems panel to render a file's rows without scrolling.
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    return new Workbench(browser, page);
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  /** Runs a command from the Command Palette by its exact label. */
  async command(label: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const box = this.page.locator('.quick-input-widget .quick-input-box input');
    await box.waitFor({ state: 'visible', timeout: WAIT_MS });
    await box.fill(`>${label}`);
    const row = this.page.locator(`.quick-input-list .monaco-list-row[aria-label^="${label}"]`).first();
    try {
      await row.waitFor({ timeout: WAIT_MS });
    } catch (err) {
      const shown = await this.page.locator('.quick-input-list .monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      throw new Error(`no command "${label}" in the palette (shown: ${shown.join(' | ')})`, { cause: err });
    }
    await this.page.keyboard.press('Enter');
  }

  /** Opens a workspace file with Quick Open (Ctrl+P) and waits for its tab to be the active one. */
  async openFile(relative: string): Promise<void> {
    const name = path.posix.basename(relative);
    await this.page.keyboard.press('Control+P');
    const box = this.page.locator('.quick-input-widget .quick-input-box input');
    await box.waitFor({ state: 'visible', timeout: WAIT_MS });
    await box.fill(relative);
    const dir = path.posix.dirname(relative);
    await this.page.locator(`.quick-input-list .monaco-list-row[aria-label^="${name} ${dir},"]`).first().waitFor({ timeout: WAIT_MS });
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.editor-group-container.active .tab.active[aria-label^="${name}"]`).waitFor({ timeout: WAIT_MS });
  }

  async hidePanel(): Promise<void> {
    // The command exists only while the panel is shown.
    if (await this.page.locator('.part.panel').isVisible()) await this.command('View: Hide Panel');
    await this.page.locator('.part.panel').waitFor({ state: 'hidden', timeout: WAIT_MS });
  }

  async hideSideBar(): Promise<void> {
    if (await this.page.locator('.part.sidebar').isVisible()) await this.command('View: Toggle Primary Side Bar Visibility');
    await this.page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: WAIT_MS });
  }

  /** Ctrl+G to a 1-based line and column. */
  async goTo(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const box = this.page.locator('.quick-input-widget .quick-input-box input');
    await box.waitFor({ state: 'visible', timeout: WAIT_MS });
    // Go to Line is Quick Open with its ':' prefix.
    await box.fill(`:${line}:${column}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: `line ${line} and character ${column}` }).waitFor({ timeout: WAIT_MS });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).waitFor({ timeout: WAIT_MS });
  }

  /** The visible lines of the active editor, or of the editor whose tab label starts with `tab`. */
  async editorText(tab?: string): Promise<string> {
    const group = tab === undefined
      ? this.page.locator('.editor-group-container.active')
      : this.page.locator('.editor-group-container', { has: this.page.locator(`.tab.active[aria-label^="${tab}"]`) });
    return (await visibleEditor(group).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
  }

  /** The rows of the Problems panel filtered to one file (its path relative to the workspace). */
  async problemsOf(relative: string): Promise<Problem[]> {
    const filter = await this.problemsFilter();
    await filter.fill(relative);
    // The filter applies asynchronously: wait until every file row shown is this file.
    const name = path.posix.basename(relative);
    const dir = path.posix.dirname(relative);
    return eventually(async () => {
      const rows = await this.page.locator('.markers-panel .monaco-list-row').evaluateAll((els) => els.map((e) => ({
        label: e.getAttribute('aria-label') ?? '',
        code: e.querySelector('.marker-code')?.textContent ?? null,
        at: e.querySelector('.marker-line')?.textContent ?? '',
        icon: e.querySelector('.marker-icon')?.className ?? '',
        message: e.querySelector('.marker-message')?.textContent ?? '',
      })));
      const fileRows = rows.filter((r) => / problems? in file /.test(r.label));
      if (fileRows.some((r) => !r.label.endsWith(` in file ${name} of folder ${dir}`))) return undefined;
      return rows.filter((r) => r.icon.includes('marker-icon')).map((r) => {
        const m = /\[Ln (\d+), Col (\d+)\]/.exec(r.at);
        return { file: relative, line: Number(m?.[1]), column: Number(m?.[2]), code: r.code ?? '', severity: r.icon.replace('marker-icon', '').trim(), message: r.message };
      });
    }, `the Problems panel filtered to ${relative}`);
  }

  async clearProblemsFilter(): Promise<void> {
    await (await this.problemsFilter()).fill('');
  }

  private async problemsFilter(): Promise<Locator> {
    const filter = this.page.locator('.markers-panel-container input[placeholder^="Filter"], .panel input[placeholder^="Filter (e.g. text"]').first();
    if (!(await filter.isVisible())) await this.command('View: Focus Problems (Errors, Warnings, Infos)');
    await filter.waitFor({ state: 'visible', timeout: WAIT_MS });
    return filter;
  }

  /** Shows the hover at the cursor (Ctrl+K Ctrl+I) and returns its text once the server's part arrived. */
  async hover(expect: RegExp): Promise<string> {
    const hover = this.page.locator('.monaco-hover-content').first();
    // A chord typed while the editor is still taking focus can be lost: ask again until the hover shows.
    await eventually(async () => {
      await this.page.keyboard.press('Control+K');
      await this.page.keyboard.press('Control+I');
      await hover.waitFor({ state: 'visible', timeout: 3_000 });
      return true;
    }, 'the hover to show');
    return eventually(async () => {
      const text = await hover.innerText();
      return expect.test(text) ? text : undefined;
    }, `a hover matching ${expect}`);
  }

  /** Opens the quick fix menu (Ctrl+.) and returns its action titles. */
  async quickFixes(): Promise<string[]> {
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    await eventually(async () => {
      await this.page.keyboard.press('Control+.');
      await rows.first().waitFor({ state: 'visible', timeout: 3_000 });
      return true;
    }, 'the quick fix menu');
    return rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  }

  /** Applies the open quick fix menu's action with this title, by keyboard as the menu expects. */
  async applyQuickFix(title: string): Promise<void> {
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    const count = await rows.count();
    for (let i = 0; i < count; i++) {
      const focused = await this.page.locator('.action-widget .monaco-list-row.action.focused').getAttribute('aria-label');
      if (focused === title) {
        await this.page.keyboard.press('Enter');
        await this.page.locator('.action-widget').waitFor({ state: 'hidden', timeout: WAIT_MS });
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`no quick fix "${title}" in the menu`);
  }

  /** Clicks the code lens titled `title` above a line (1-based) of the active editor. */
  async clickCodeLensAbove(line: number, title: string): Promise<void> {
    const editor = visibleEditor(this.page.locator('.editor-group-container.active'));
    const number = editor.locator('.margin .line-numbers', { hasText: new RegExp(`^\\s*${line}\\s*$`) });
    const links = editor.locator('.codelens-decoration a', { hasText: title });
    const target = await eventually(async () => {
      const lineBox = await number.boundingBox();
      if (!lineBox) return undefined;
      let best: { link: Locator; y: number } | undefined;
      for (let i = 0; i < await links.count(); i++) {
        const box = await links.nth(i).boundingBox();
        // The line's lens is the lowest one above it, within a few lines (lenses far off are laid out but hidden).
        const above = box ? lineBox.y - box.y : -1;
        if (box && box.height > 0 && above > 0 && above < 3 * lineBox.height && (!best || box.y > best.y)) best = { link: links.nth(i), y: box.y };
      }
      return best?.link;
    }, `a "${title}" code lens above line ${line}`);
    await target.click();
  }

  /** The scopes VS Code's token inspector shows for the token at the cursor. */
  async tokenScopes(): Promise<string[]> {
    await this.command('Developer: Inspect Editor Tokens and Scopes');
    const widget = this.page.locator('.token-inspect-widget');
    await widget.waitFor({ state: 'visible', timeout: WAIT_MS });
    const scopes = await eventually(async () => {
      const text = await widget.innerText();
      const m = /textmate scopes\s+([\s\S]*?)\n(?:foreground|background|\{)/.exec(text);
      return m ? m[1].split(/\s+/).filter(Boolean) : undefined;
    }, 'the token inspector');
    await this.page.keyboard.press('Escape');
    return scopes;
  }

  /** The text of the status bar item with this id suffix. */
  async statusItem(idSuffix: string): Promise<{ text: string; label: string }> {
    const item = this.page.locator(`.statusbar-item[id$="${idSuffix}"]`);
    await item.waitFor({ timeout: WAIT_MS });
    return { text: (await item.innerText()).trim(), label: (await item.getAttribute('aria-label')) ?? '' };
  }

  /** Starts recording every text the status bar item with this id suffix shows, transient ones included. */
  async recordStatus(idSuffix: string): Promise<() => Promise<string[]>> {
    const key = `altcall-status-${Date.now()}`;
    await this.page.evaluate(({ idSuffix, key }) => {
      // Runs in the page: its globals, typed here as far as they are used (the tests compile without the DOM library).
      const page = globalThis as unknown as PageGlobals;
      const seen: string[] = [];
      page[key] = seen;
      const read = () => {
        const text = page.document.querySelector(`.statusbar-item[id$="${idSuffix}"]`)?.textContent?.trim() ?? '';
        if (seen[seen.length - 1] !== text) seen.push(text);
      };
      read();
      new page.MutationObserver(read).observe(page.document.querySelector('.statusbar') ?? page.document.body, { subtree: true, childList: true, characterData: true });
    }, { idSuffix, key });
    return () => this.page.evaluate((key) => (globalThis as unknown as PageGlobals)[key] as string[], key);
  }

  async screenshot(file: string, clip?: { x: number; y: number; width: number; height: number }): Promise<void> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file, clip });
  }
}

/** The editor of a group that is shown: a group keeps the DOM of its other editors, hidden. */
function visibleEditor(group: Locator): Locator {
  return group.locator('.monaco-editor').filter({ visible: true }).first();
}

/** Polls until `read` gives a value (not undefined), or fails after `timeoutMs` with what it waited for. */
export async function eventually<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = WAIT_MS): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
