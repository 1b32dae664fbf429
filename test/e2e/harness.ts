/**
 * End-to-end harness: the engine and `sgnn serve` in this process (the same code as the CLI's
 * `sgnn serve`), Debian's Chromium driven by playwright-core, a temp folder for project files,
 * and a screenshot helper that writes test/e2e/artifacts/<NN>-<name>.png (or <prefix>-<NN>-<name>.png
 * for a story with its own prefix, so that stories in separate files do not overwrite each other's).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createEngine } from '../../src-main/host/engine.ts';
import type { Engine } from '../../src-main/host/engine.ts';
import { serve } from '../../src-main/host/server/serve.ts';
import type { RunningServer } from '../../src-main/host/server/serve.ts';

export const CHROMIUM = process.env.SGNN_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface Session {
  engine: Engine;
  server: RunningServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  dir: string;
  /** Page errors and console errors seen so far. */
  errors: string[];
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

let shotCounter = 0;

/** Start the engine, the server and a browser page at the app's URL (theme forced when given). */
export async function startSession(options: { theme?: 'light' | 'dark'; width?: number; height?: number; prefix?: string } = {}): Promise<Session> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const prefix = options.prefix ? `${options.prefix}-` : '';
  // Screenshots of an earlier run of this story (numbered differently) would mix with this run's;
  // other stories' files (<prefix>-…) stay.
  const ours = (f: string): boolean => (prefix ? f.startsWith(prefix) : /^\d+-.*\.png$|\.html$/.test(f));
  if (shotCounter === 0) for (const f of readdirSync(ARTIFACTS)) if (ours(f)) rmSync(join(ARTIFACTS, f));
  const dir = mkdtempSync(join(tmpdir(), 'sgnn-e2e-'));
  const engine = createEngine({ workers: 1 });
  const server = await serve({ engine });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: options.width ?? 1440, height: options.height ?? 900 }, deviceScaleFactor: 1, colorScheme: options.theme ?? 'light' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(server.url);
  return {
    engine, server, browser, context, page, dir, errors,
    async shot(name) {
      shotCounter++;
      const file = join(ARTIFACTS, `${prefix}${String(shotCounter).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
