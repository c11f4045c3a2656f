/**
 * Live alerts and printable views (issue #16 items 6 and 7). Two s.136 referrals whose clocks
 * cross T−2 h and expiry a few seconds after the duty lead's board is open: the board's short
 * poll brings the warning and the breach into the "Clock alerts" live region, and to a browser
 * notification the person allowed, without a reload. Print: the referral summary prints without
 * the console around it, and the s.13(4) reasons letter (the API's rendering) shows and prints.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE } from '../support/api.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import type { E2eBrowser } from './browser.js';
import { boardRow, cell, eventForm, expectAxeClean, openReferral, poll, signIn, text } from './console-helpers.js';
import { docScreenshot } from './screenshots.js';
import { LSSA, REFERRER_CLIENT } from './seed.js';
import { closeStackAndBrowser, startStackAndBrowser, useOwnTables, type E2eStack } from './stack.js';

const names = useOwnTables('e2e-alerts');

let stack: E2eStack;
let browser: E2eBrowser;

beforeAll(async () => {
  ({ stack, browser } = await startStackAndBrowser(names));
}, 120_000);

afterAll(() => closeStackAndBrowser(stack, browser));

const HOUR = 3_600_000;
/** An s.136 referral whose clock (24 h from arrival) reaches `expiresInMs` from now. */
async function s136Expiring(expiresInMs: number) {
  const police = await stack.api.clientToken(REFERRER_CLIENT);
  const arrived = Date.now() + expiresInMs - 24 * HOUR;
  const body = j1Body({
    responsibleLssa: LSSA,
    legalStatus: {
      detainedAt: new Date(arrived - 30 * 60_000).toISOString(),
      arrivedAtPlaceOfSafetyAt: new Date(arrived).toISOString(),
    },
  });
  return createReferral(stack.api, police, body);
}

describe('live alerts on the board', () => {
  it('a warning and a breach arrive without a reload, in the live region and as a notification', async () => {
    const { page } = await signIn(browser, stack, PEOPLE.lead);
    // The person allowed notifications; the page's Notification records what it would show
    // (the operating system's notification centre is out of the test's reach).
    await page.evaluate(`(() => {
      window.__shown = [];
      window.Notification = function (title, options) { window.__shown.push(options.body); };
      window.Notification.permission = 'granted';
      window.Notification.requestPermission = async () => 'granted';
      window.__sameDocument = true;
    })()`);
    const warning = await s136Expiring(2 * HOUR + 12_000);
    const breach = await s136Expiring(12_000);
    // The first poll that sees them sets the scene (running); the next ones bring the news.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await boardRow(page, warning.id);
    await boardRow(page, breach.id);
    const log = page.getByRole('log', { name: 'Clock alerts' });
    await poll(() => log.innerText().catch(() => ''), 45_000).toContain(`Breached: s136 clock of ${breach.reference}`);
    await poll(() => log.innerText(), 30_000).toContain(
      `Warning: s136 clock of ${warning.reference} has under 2 hours left`,
    );
    expect(await log.getAttribute('aria-live')).toBe('assertive');
    expect(await page.evaluate<boolean>('window.__sameDocument === true')).toBe(true);
    await poll(() => page.evaluate<string[]>('window.__shown')).toEqual(
      expect.arrayContaining([`Breached: s136 clock of ${breach.reference}`]),
    );
    expect(await text(cell(await boardRow(page, breach.id), 'Nearest clock'))).toMatch(/Breached/);
    await expectAxeClean(page, 'board with alerts');
    await docScreenshot(browser, page, 'alerts');
    await page.context().close();
  }, 120_000);
});

describe('printable views', () => {
  it('the referral summary prints without the console around it; the s.13(4) reasons letter shows and ' +
    'prints', async () => {
    const police = await stack.api.clientToken(REFERRER_CLIENT);
    const ref = await createReferral(stack.api, police, { ...j1Body({ responsibleLssa: LSSA }), basis: 's13-4' });
    const lead = await stack.api.personToken(PEOPLE.lead);
    for (const e of [
      { type: 'start-review' },
      { type: 'accept', reason: 'Nearest relative request.' },
      { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: new Date(Date.now() + HOUR).toISOString() },
    ])
      expect((await postEvent(stack.api, lead, ref.id, e)).status).toBe(200);
    const sam = await stack.api.personToken(PEOPLE.amhp);
    const outcome = {
      type: 'record-outcome',
      outcome: 'community-support',
      nextSteps: 'CMHT to visit twice a week.',
      reasonsInWriting: 'Internal: supported at home with his mother.',
      reasonsForNearestRelative:
        'He agreed to support from the community team, which meets his needs without detention.',
    };
    expect((await postEvent(stack.api, sam, ref.id, outcome)).status).toBe(200);

    const { page } = await signIn(browser, stack, PEOPLE.amhp);
    const panel = await openReferral(page, ref.id, ref.reference);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('banner').isVisible()).toBe(false);
    expect(await panel.getByRole('button', { name: 'Print summary' }).isVisible()).toBe(false);
    expect(await panel.getByRole('heading', { name: `Referral ${ref.reference}` }).isVisible()).toBe(true);
    expect(await panel.getByRole('region', { name: 'Timeline' }).isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    await panel.getByRole('button', { name: 'Reasons letter' }).click();
    const letter = page.getByRole('region', { name: 'Reasons letter (s.13(4))' });
    await poll(() => text(letter), 15_000).toContain('which meets his needs without detention');
    expect(await text(letter)).not.toContain('Internal: supported at home');
    expect(await letter.locator('script, style, [onclick]').count()).toBe(0);
    await expectAxeClean(page, 'reasons letter');
    await docScreenshot(browser, page, 'letter');
    await page.emulateMedia({ media: 'print' });
    expect(await letter.getByText('which meets his needs without detention').isVisible()).toBe(true);
    expect(await panel.isVisible()).toBe(false);
    expect(await letter.getByRole('button', { name: 'Print letter' }).isVisible()).toBe(false);
    await page.context().close();
  }, 90_000);
});

describe('retrying a submission', () => {
  it('a retry after a lost request keeps its Idempotency-Key; the next submission gets a new one', async () => {
    const police = await stack.api.clientToken(REFERRER_CLIENT);
    const ref = await createReferral(stack.api, police, j1Body({ responsibleLssa: LSSA }));
    const { page } = await signIn(browser, stack, PEOPLE.lead);
    const panel = await openReferral(page, ref.id, ref.reference);
    const keys: string[] = [];
    let dropNext = true;
    await page.route(`**/v1/referrals/${ref.id}/events`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (dropNext) {
        dropNext = false;
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    const form = await eventForm(panel, 'Information added');
    await form.getByLabel('Note', { exact: true }).fill('His sister is on her way.');
    await form.getByRole('button', { name: 'Information added' }).click();
    await poll(() =>
      panel.getByRole('alert').filter({ hasText: 'Something went wrong reaching the Hub' }).count(),
    ).toBe(1);
    await form.getByRole('button', { name: 'Information added' }).click();
    await poll(() => text(panel.getByRole('list', { name: 'Timeline' }))).toMatch(/information added/i);
    const again = await eventForm(page.getByRole('region', { name: `Referral ${ref.reference}` }), 'Information added');
    await again.getByLabel('Note', { exact: true }).fill('She has arrived.');
    await again.getByRole('button', { name: 'Information added' }).click();
    await poll(() => keys.length).toBe(3);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    await page.context().close();
  }, 60_000);
});
