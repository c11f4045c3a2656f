/**
 * Debian's Chromium driven by playwright-core for the console's end-to-end tests. No browser is
 * downloaded: `npm test` installs the `chromium` package when it is missing
 * (scripts/ensure-chromium.sh). Each launch gets a fresh, throw-away profile: `chromium.launch`
 * makes its own temporary user data dir and removes it on close (it refuses `--user-data-dir`).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../support/api.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** Where the run's screenshots go (git-ignored with the rest of test-results/). */
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');

export interface E2eBrowser {
  readonly browser: Browser;
  /** A new context (its own storage, like a new private window) and a page in it. */
  newPage(options?: { baseURL?: string }): Promise<Page>;
  /** A full-page PNG at test-results/screenshots/<name>.png; returns the path. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<E2eBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM_PATH}: run \`bash scripts/ensure-chromium.sh\` (npm test does), or ` +
        `set CHROMIUM_PATH`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
    timeout: 30_000,
  });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext({
        viewport: { width: 1360, height: 900 },
        locale: 'en-GB',
        timezoneId: 'Europe/London',
        acceptDownloads: true,
        serviceWorkers: 'block',
        ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      });
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      return context.newPage();
    },
    async screenshot(page, name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
    },
  };
}
