/**
 * What the console's e2e test files share: signing in through the form, reading what a person
 * reads, choosing options that arrive late, the board's columns, and the axe check.
 */
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { axeViolations } from './a11y.js';
import type { E2eBrowser } from './browser.js';
import { credentials, type E2eStack } from './stack.js';
import { toLocalInput } from '../../console/src/format.js';

export const poll = <T>(fn: () => Promise<T> | T, timeout = 15_000) => expect.poll(fn, { timeout, interval: 100 });
/** What a person reads (innerText: cells apart, hidden text left out), whitespace collapsed. */
export const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();

/** Signs in through the form; returns the access token the page received (to look for it later). */
export async function signIn(
  browser: E2eBrowser,
  stack: E2eStack,
  username: string,
): Promise<{ page: Page; token: string }> {
  const page = await browser.newPage();
  const { password } = credentials(username);
  await page.goto(stack.consoleUrl);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Username', { exact: true }).fill(username);
  await form.getByLabel('Password', { exact: true }).fill(password);
  const tokenResponse = page.waitForResponse(
    (r) => r.url().endsWith('/oauth2/token') && r.request().method() === 'POST',
  );
  await form.getByRole('button', { name: 'Sign in' }).click();
  const token = ((await (await tokenResponse).json()) as { access_token: string }).access_token;
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { page, token };
}

export const heading = (page: Page) => page.getByRole('heading', { level: 1 });
/** How many elements of `role` currently say `words` (live regions may be several). */
export const saying = (page: Page | Locator, role: 'alert' | 'status' | 'log', words: string) =>
  page.getByRole(role).filter({ hasText: words }).count();
const rowCells = (row: Locator) => row.locator(':scope > td, :scope > th');
export const BOARD_COLUMNS = [
  'Reference',
  'Status',
  'Urgency',
  'Legal status',
  'Nearest clock',
  'Time open',
  'AMHP',
  'Last event',
];
const COL = Object.fromEntries(BOARD_COLUMNS.map((c, i) => [c, i])) as Record<(typeof BOARD_COLUMNS)[number], number>;
export const cell = (row: Locator, column: (typeof BOARD_COLUMNS)[number]) => rowCells(row).nth(COL[column]!);

/**
 * Selects the option whose value is `value`, else the first whose label matches `label` (waiting for the options to
 * arrive).
 */
export async function choose(select: Locator, value: string, label: RegExp): Promise<void> {
  let options: { value: string; label: string }[] = [];
  const pick = () => options.find((o) => o.value === value) ?? options.find((o) => label.test(o.label));
  for (const deadline = Date.now() + 15_000; ; ) {
    options = await select
      .locator('option')
      .evaluateAll((os) =>
        os.map((o) => ({ value: (o as unknown as { value: string }).value, label: (o.textContent ?? '').trim() })),
      );
    if (pick() || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const option = pick();
  if (!option) throw new Error(`no option ${value} or ${label} in ${JSON.stringify(options)}`);
  await select.selectOption(option.value);
}

/** A `datetime-local` value (London time) `minutes` from now, as the console itself writes one. */
export const londonInput = (minutes: number): string => toLocalInput(Date.now() + minutes * 60_000);

/**
 * The board's table. The name is matched exactly: the hand-over view's table is "Open referrals at …", and while a
 * navigation is rendering a substring match finds that one.
 */
export const boardTable = (page: Page) => page.getByRole('table', { name: 'Open referrals', exact: true });

/** The board's row of a referral, once it is there. */
export async function boardRow(page: Page, id: string): Promise<Locator> {
  const row = boardTable(page).locator(`tr[data-referral-id="${id}"]`);
  await row.waitFor();
  return row;
}

/** Opens a referral's panel from its board row; returns the panel. */
export async function openReferral(page: Page, id: string, reference: string): Promise<Locator> {
  const row = await boardRow(page, id);
  await cell(row, 'Reference').getByRole('button', { name: reference }).click();
  const panel = page.getByRole('region', { name: `Referral ${reference}` });
  await panel.getByRole('list', { name: 'Timeline' }).waitFor();
  return panel;
}

/** The form of one event in a panel (unfolded first when folded). */
export async function eventForm(panel: Locator, name: string): Promise<Locator> {
  const form = panel.getByRole('form', { name, exact: true });
  const summary = panel.locator('summary', { hasText: new RegExp(`^${name}$`) });
  // The forms arrive with the panel: wait for this one before deciding whether to unfold it.
  await summary.waitFor();
  if (!(await form.isVisible())) await summary.click();
  await form.waitFor();
  return form;
}

/** Submits a decision form and confirms it. */
export async function decide(form: Locator, button: string): Promise<void> {
  await form.getByRole('button', { name: button, exact: true }).click();
  await form.getByRole('group', { name: `Confirm ${button}` }).waitFor();
  await form.getByRole('button', { name: `Confirm ${button.toLowerCase()}` }).click();
}

export const expectAxeClean = async (page: Page, where: string) => expect(await axeViolations(page), where).toEqual([]);

/** Every JSON/HTML body the page received from the API (for the visibility tests). */
export function recordResponses(page: Page): string[] {
  const bodies: string[] = [];
  page.on('response', (r) => {
    if (!/\/v1\//.test(r.url())) return;
    void r.text().then(
      (t) => bodies.push(t),
      () => undefined,
    );
  });
  return bodies;
}
