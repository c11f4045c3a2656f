/**
 * Screenshots of the console for the README: each e2e test that reaches a view worth showing
 * takes one. They go to test-results/screenshots/ on every run, and with DOCS_SCREENSHOTS=1
 * (`DOCS_SCREENSHOTS=1 npx vitest run test/e2e/`) also to docs/images/console-<name>.png, the
 * README's pictures, so refreshing them is one command and an ordinary run leaves the tree clean.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../support/api.js';
import type { E2eBrowser } from './browser.js';

export const DOCS_IMAGES = join(ROOT, 'docs', 'images');

export async function docScreenshot(browser: E2eBrowser, page: Page, name: string): Promise<void> {
  const path = await browser.screenshot(page, name);
  if (process.env.DOCS_SCREENSHOTS !== '1') return;
  mkdirSync(DOCS_IMAGES, { recursive: true });
  copyFileSync(path, join(DOCS_IMAGES, `console-${name}.png`));
}
