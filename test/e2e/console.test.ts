/**
 * The operator console end to end (issues #10, #16): Debian's Chromium, driven by
 * playwright-core, against the local stack serving the console at `/console/`, on tables of this
 * file's own. Sign-in per role (each role's views, the token in memory only); the duty lead's
 * board with a live s.136 countdown; a stale bed unit greyed and a unit updated; axe-core on
 * these views. The decisions are driven in the journey files (journey-*.test.ts), the Demand
 * view in console-demand.test.ts. Screenshots: test/e2e/screenshots.ts.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PEOPLE } from '../support/api.js';
import { axeViolations } from './a11y.js';
import { launchBrowser, type E2eBrowser } from './browser.js';
import {
  BOARD_COLUMNS,
  boardTable,
  cell,
  choose,
  heading,
  poll,
  saying,
  signIn as signInWith,
  text,
} from './console-helpers.js';
import { docScreenshot } from './screenshots.js';
import { credentials, startE2eStack, useOwnTables, type E2eStack } from './stack.js';
import { FRESH_UNIT, REFERRER_PERSON, STALE_UNIT, seedBeds, seedLiveReferral, type LiveSeed } from './seed.js';

const names = useOwnTables('e2e');

let stack: E2eStack;
let browser: E2eBrowser;
let live: LiveSeed;

beforeAll(async () => {
  // Chromium starts while the stack is seeded.
  const launching = launchBrowser();
  try {
    stack = await startE2eStack(inject('dynamoEndpoint'), names);
    live = await seedLiveReferral(stack.api);
    await seedBeds(stack.api);
  } finally {
    browser = await launching;
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const signIn = (username: string) => signInWith(browser, stack, username);

describe('signing in', () => {
  const ROLES = [
    { username: PEOPLE.lead, views: ['Board', 'Beds', 'Hand-over', 'Safety'], landing: 'board', title: 'Board' },
    { username: PEOPLE.amhp, views: ['Board', 'Beds', 'Safety'], landing: 'board', title: 'Board' },
    { username: PEOPLE.beds, views: ['Beds', 'Bed requests'], landing: 'beds', title: 'Beds' },
    { username: PEOPLE.analyst, views: ['Demand'], landing: 'demand', title: 'Demand' },
    {
      username: REFERRER_PERSON,
      views: ['Make a referral', 'My referrals'],
      landing: 'refer',
      title: 'Make a referral',
    },
  ];

  it.each(ROLES)(
    '$username: name in the header, only the views the role may use, its landing view; the token in memory only',
    async ({ username, views, landing, title }) => {
      const { page, token } = await signIn(username);
      const { displayName } = credentials(username);
      await poll(() => text(page.getByRole('banner'))).toContain(displayName);
      const nav = page.getByRole('navigation', { name: 'Views' });
      await poll(async () => (await nav.getByRole('link').allTextContents()).map((t) => t.trim())).toEqual(views);
      await poll(() => new URL(page.url()).hash).toBe(`#/${landing}`);
      await poll(() => text(heading(page))).toBe(title);

      // Nothing the page can read back later holds the token.
      // (Evaluated in the page: the test's TypeScript has no DOM library.)
      const stored = await page.evaluate<string>(`(() => {
      const dump = (s) => Array.from({ length: s.length }, (_, i) => s.key(i) + '=' + s.getItem(s.key(i))).join('\\n');
      return dump(localStorage) + '\\n' + dump(sessionStorage) + '\\n' + document.cookie;
    })()`);
      expect(token.length).toBeGreaterThan(20);
      expect(stored).not.toContain(token);
      expect(stored).not.toContain(token.split('.')[2]!);

      // A reload forgets the session: back to the sign-in form.
      await page.reload();
      await page.getByRole('form', { name: 'Sign in' }).waitFor();
      expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
      await page.context().close();
    },
  );

  it('a wrong password is refused with an alert; signing out returns to the form', async () => {
    const page = await browser.newPage();
    await page.goto(stack.consoleUrl);
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Username', { exact: true }).fill(PEOPLE.lead);
    await form.getByLabel('Password', { exact: true }).fill('not-the-password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await poll(() => saying(page, 'alert', 'Wrong username or password')).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await form.getByLabel('Password', { exact: true }).fill(credentials(PEOPLE.lead).password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    await page.context().close();
  });
});

describe('board', () => {
  it(
    'the duty lead sees the live s.136 referral with its ' + 'clock counting down; closed ones are off the board',
    async () => {
      const { page } = await signIn(PEOPLE.lead);
      await poll(() => text(heading(page))).toBe('Board');
      const table = boardTable(page);
      await table.waitFor();
      expect((await table.getByRole('columnheader').allTextContents()).map((t) => t.trim())).toEqual(BOARD_COLUMNS);

      const row = table.locator(`tr[data-referral-id="${live.id}"]`);
      await row.waitFor();
      // Only the live referral: the seeded history is closed.
      expect(await table.locator('tr[data-referral-id]').count()).toBe(1);
      expect(await cell(row, 'Reference').getByRole('button', { name: live.reference }).count()).toBe(1);
      expect(await text(cell(row, 'Legal status'))).toMatch(/s\.?\s?136/i);
      expect(await text(cell(row, 'Urgency'))).toMatch(/immediate/i);

      const clock = cell(row, 'Nearest clock').locator('span.clock');
      expect(await clock.getAttribute('data-state')).toBe('running');
      const first = await text(clock);
      const m = /(\d+):(\d{2}):(\d{2})/.exec(first);
      expect(m, first).not.toBeNull();
      expect(first).toMatch(/136/);
      // s.136: 24 hours from arrival at the place of safety, 5 minutes ago.
      const shownLeft = (Number(m![1]) * 3600 + Number(m![2]) * 60 + Number(m![3])) * 1000;
      const trueLeft = Date.parse(live.arrivedAt) + 24 * 3_600_000 - Date.now();
      expect(Math.abs(shownLeft - trueLeft)).toBeLessThan(10_000);
      // It ticks.
      await poll(() => text(clock), 3_000).not.toBe(first);

      await docScreenshot(browser, page, 'board');
      await page.context().close();
    },
  );
});

describe('beds', () => {
  it('a stale unit is greyed with its age; the bed manager updates a unit and the row shows it', async () => {
    const { page } = await signIn(PEOPLE.beds);
    await poll(() => text(heading(page))).toBe('Beds');
    const units = page.getByRole('table', { name: 'Bed availability by unit' });
    const stale = units.locator(`tr[data-unit-id="${STALE_UNIT}"]`);
    const fresh = units.locator(`tr[data-unit-id="${FRESH_UNIT}"]`);
    await stale.waitFor();
    await fresh.waitFor();
    expect((await stale.getAttribute('class')) ?? '').toMatch(/\bstale\b/);
    expect(await text(stale)).toContain('Stale');
    expect(await text(stale)).toMatch(/\b5 h ago\b/);
    expect((await fresh.getAttribute('class')) ?? '').not.toMatch(/\bstale\b/);
    expect(await text(fresh)).not.toContain('Stale');
    // Oak Ward is s.140 designated, Ash PICU is not.
    expect(await text(fresh)).toContain('s.140');
    expect(await text(stale)).not.toContain('s.140');

    const places = page.getByRole('table', { name: 'Places of safety' });
    await places.waitFor();
    expect((await places.getByRole('columnheader').allTextContents()).map((t) => t.trim())).toContain('Empty spaces');
    expect(await text(places)).toContain('Northshire s.136 suite');

    await docScreenshot(browser, page, 'beds');

    const form = page.getByRole('form', { name: 'Update availability' });
    await choose(form.getByLabel('Unit', { exact: true }), FRESH_UNIT, /Oak Ward/);
    await choose(form.getByLabel('Bed type', { exact: true }), 'adult-acute', /adult acute/i);
    await choose(form.getByLabel('Sex', { exact: true }), 'male', /^male$/i);
    await form.getByLabel('Available', { exact: true }).fill('3');
    await form.getByLabel('Total', { exact: true }).fill('18');
    await form.getByRole('button', { name: 'Update availability' }).click();
    await poll(() => saying(page, 'status', 'Availability updated')).toBeGreaterThan(0);
    await poll(() => text(fresh)).toMatch(/\b3\b.*\b18\b/);
    expect(await text(fresh)).not.toMatch(/\b20\b/);
    await page.context().close();
  });
});

describe('accessibility', () => {
  const expectNone = async (page: Page, where: string) => expect(await axeViolations(page), where).toEqual([]);

  it('every view passes axe-core WCAG 2.1 A/AA rules (labels, names, contrast, table headers), and the board ' +
    'works from the keyboard', async () => {
    const blank = await browser.newPage();
    await blank.goto(stack.consoleUrl);
    await blank.getByRole('form', { name: 'Sign in' }).waitFor();
    await expectNone(blank, 'sign-in');
    // The check can fail: an input with no label is found.
    await blank.evaluate(
      "document.querySelector('form').append(Object.assign(document.createElement('input'), { id: 'unlabelled' }))",
    );
    expect((await axeViolations(blank)).map((v) => v.id)).toContain('label');

    const { page: lead } = await signIn(PEOPLE.lead);
    await boardTable(lead).locator('tr[data-referral-id]').first().waitFor();
    await expectNone(lead, 'board');
    // Keyboard only: Tab to the first referral's button, Enter opens its panel, focus moves there.
    const first = lead.locator('tr[data-referral-id] button').first();
    await first.focus();
    await lead.keyboard.press('Enter');
    await poll(() => lead.evaluate<string | undefined>('document.activeElement?.tagName')).toBe('H2');
    await expectNone(lead, 'board with a referral open');
    await lead.getByRole('link', { name: 'Beds' }).click();
    await lead.getByRole('table', { name: 'Bed availability by unit' }).locator('tr[data-unit-id]').first().waitFor();
    await expectNone(lead, 'beds (duty lead)');

    const { page: beds } = await signIn(PEOPLE.beds);
    await beds.getByRole('form', { name: 'Update availability' }).waitFor();
    await expectNone(beds, 'beds with the update form');

    // The Demand view is checked in console-demand.test.ts, the new views in the journey files.
  }, 60_000);
});
