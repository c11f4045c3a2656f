/**
 * No view shows a field the caller's role may not see (issue #16, DOMAIN §1), and JOURNEYS J7.
 * One referral from police force A, accepted with a reason, allocated to Sam, a bed requested;
 * one from police force B. Each role signs in, visits every view it has and opens what it can;
 * the test then reads the page's text and every API response the page received for seeded
 * identifiers the role may not see. The duty lead and Sam are the positive controls: the same
 * search finds the person in their pages, so the search can fail. J7: the information-governance
 * officer has no console view, and lists every access to the referral, the console's included.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PEOPLE } from '../support/api.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import { launchBrowser, type E2eBrowser } from './browser.js';
import { expectAxeClean, heading, openReferral, poll, recordResponses, signIn, text } from './console-helpers.js';
import { LSSA, REFERRER_CLIENT, REFERRER_PERSON, seedBeds } from './seed.js';
import { credentials, startE2eStack, useOwnTables, type E2eStack } from './stack.js';
import { loadRegistry } from '../../infra/local/seed.js';

const names = useOwnTables('e2e-vis');

let stack: E2eStack;
let browser: E2eBrowser;
let a: { id: string; reference: string };
let b: { id: string; reference: string };

const PERSON = { givenName: 'Visgiven', familyName: 'Visfamily', dateOfBirth: '1987-06-15', nhsNumber: '943 476 5919' };
const REASON = 'Visibility accept reason only the service reads';
const RISK_NOTE = 'Carried a knife earlier in the evening';
const REFERRAL_REASON = 'Found in a multi-storey car park near the parapet';
const IDENTIFIABLE = [
  PERSON.givenName,
  PERSON.familyName,
  PERSON.dateOfBirth,
  PERSON.nhsNumber,
  PERSON.nhsNumber.replace(/\s/g, ''),
  RISK_NOTE,
  REFERRAL_REASON,
];

beforeAll(async () => {
  const launching = launchBrowser();
  try {
    stack = await startE2eStack(inject('dynamoEndpoint'), names);
    await seedBeds(stack.api);
    const police = await stack.api.clientToken(REFERRER_CLIENT);
    a = await createReferral(stack.api, police, j1Body({ person: PERSON, responsibleLssa: LSSA }));
    const lead = await stack.api.personToken(PEOPLE.lead);
    for (const event of [
      { type: 'start-review' },
      { type: 'accept', reason: REASON },
      { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: new Date(Date.now() + 3_600_000).toISOString() },
    ]) {
      const res = await postEvent(stack.api, lead, a.id, event);
      if (res.status !== 200) throw new Error(`${event.type}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const sam = await stack.api.personToken(PEOPLE.amhp);
    const bed = await postEvent(stack.api, sam, a.id, { type: 'bed-requested', bedType: 'adult-acute', sex: 'male' });
    if (bed.status !== 200) throw new Error(`bed-requested: ${bed.status}`);
    b = await createReferral(stack.api, await stack.api.clientToken('police-b-hub'), j1Body({ responsibleLssa: LSSA }));
  } finally {
    browser = await launching;
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Signs in, visits every view of the role (opening referral A where the view lists it), returns all it saw. */
/** Each view's heading is its link's name, but the Safety view's, which names what it shows to whom. */
const headingOf = (view: string): RegExp =>
  view === 'Safety' ? /^(Who is where|My duty)$/ : new RegExp(`^${view.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/**
 * Visits every view the role has, opening referral A (or its bed request) wherever a row of it shows. `rowIn` names
 * the view whose list must show it: the list arrives after the view's heading, and the page's load state (reached
 * once, at sign-in) does not wait for a hash route's fetches, so that view is polled for the row.
 */
async function everythingSeen(
  username: string,
  rowIn?: string,
): Promise<{ page: Page; seen: string; opened: string[] }> {
  const { page } = await signIn(browser, stack, username);
  const bodies = recordResponses(page);
  const texts: string[] = [];
  const opened: string[] = [];
  const links = await page.getByRole('navigation', { name: 'Views' }).getByRole('link').allTextContents();
  for (const view of links.length ? links : ['']) {
    if (view) await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view.trim() }).click();
    // The view named by the link is on screen (its heading), not the one before it, before its data is awaited.
    await poll(() => text(heading(page))).toMatch(view ? headingOf(view.trim()) : /./);
    await page.waitForLoadState('networkidle');
    const open = page.locator(`tr[data-referral-id="${a.id}"] button, tr[data-bed-request] button`).first();
    if (rowIn && view.trim() === rowIn) await poll(() => open.count(), 30_000).toBeGreaterThan(0);
    if (await open.count()) {
      await open.click();
      // The referral's (or bed request's) panel, drawn from what the API returned to this role.
      await page.locator('section.panel').first().waitFor();
      await page.waitForLoadState('networkidle');
      opened.push(view);
    }
    await expectAxeClean(page, `${username}: ${view || 'landing'}`);
    texts.push(await page.evaluate<string>('document.body.innerText'), await page.content());
  }
  return { page, seen: [...texts, ...bodies].join('\n'), opened };
}

const found = (seen: string, items: readonly string[]) => items.filter((i) => seen.includes(i));

describe('no view shows a field the role may not see', () => {
  it('positive controls: the duty lead and the allocated AMHP see the person, so the search can find ' +
    'them', async () => {
    for (const username of [PEOPLE.lead, PEOPLE.amhp]) {
      const { page } = await signIn(browser, stack, username);
      const bodies = recordResponses(page);
      const panel = await openReferral(page, a.id, a.reference);
      await page.waitForLoadState('networkidle');
      const seen = `${await text(panel)}\n${bodies.join('\n')}`;
      expect(found(seen, [PERSON.givenName, PERSON.familyName, RISK_NOTE]), username).toEqual([
        PERSON.givenName,
        PERSON.familyName,
        RISK_NOTE,
      ]);
      await page.context().close();
    }
  }, 60_000);

  it('an AMHP neither allocated nor triaging: board-level only, nothing identifiable', async () => {
    const { page, seen, opened } = await everythingSeen(PEOPLE.unallocated, 'Board');
    expect(opened).toEqual(['Board']);
    expect(seen).toContain(a.reference);
    expect(found(seen, [...IDENTIFIABLE, REASON])).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('the bed manager: the minimum of a bed request only', async () => {
    const { page, seen, opened } = await everythingSeen(PEOPLE.beds, 'Bed requests');
    expect(opened).toEqual(['Bed requests']);
    expect(seen).toContain(a.reference);
    expect(found(seen, [...IDENTIFIABLE, REASON, a.id, 'INC-20261114-0457'])).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('the analyst: no referral at all', async () => {
    const { page, seen } = await everythingSeen(PEOPLE.analyst);
    expect(found(seen, [...IDENTIFIABLE, REASON, a.id, a.reference, b.id, b.reference])).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("the referrer: its own referral minimised, not the service's reasons, not another force's referral", async () => {
    const { page } = await signIn(browser, stack, REFERRER_PERSON);
    const bodies = recordResponses(page);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'My referrals' }).click();
    const row = page.locator(`tr[data-referral-id="${a.id}"]`);
    await poll(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return row.count();
    }, 30_000).toBe(1);
    await row.getByRole('button', { name: a.reference }).click();
    await page
      .getByRole('region', { name: `Referral ${a.reference}` })
      .getByRole('list', { name: 'Timeline' })
      .waitFor();
    await page.waitForLoadState('networkidle');
    const seen =
      `${await page.evaluate<string>('document.body.innerText')}\n${await page.content()}\n` + `${bodies.join('\n')}`;
    expect(seen).toContain('INC-20261114-0457');
    expect(found(seen, [...IDENTIFIABLE, REASON, 'amhp-sam', 'Sam Patel', b.id, b.reference])).toEqual([]);
    await page.context().close();
  }, 60_000);
});

describe('J7: the information-governance officer after a complaint', () => {
  it('has no console view; the audit lists each console access to the referral, by whom', async () => {
    const { page } = await signIn(browser, stack, PEOPLE.auditor);
    await poll(() => text(heading(page))).toBe('Nothing to show');
    expect(found(await page.evaluate<string>('document.body.innerText'), [a.reference, ...IDENTIFIABLE])).toEqual([]);
    await page.context().close();

    const subOf = (username: string) => loadRegistry().people.find((p) => p.username === username)!.sub;
    const ig = await stack.api.personToken(PEOPLE.auditor);
    const readers = async () => {
      const res = await stack.api.fetch(`/v1/audit?referralId=${a.id}&limit=100`, { token: ig });
      const items = ((await res.json()) as { items: { actorId?: string; action: string; route: string }[] }).items;
      return new Set(items.filter((r) => r.action === 'read').map((r) => r.actorId));
    };
    // The lead and Kim opened it in the console in the tests above.
    await poll(
      async () =>
        [...(await readers())].filter((x) => x === subOf(PEOPLE.lead) || x === subOf(PEOPLE.unallocated)).sort(),
      20_000,
    ).toEqual([subOf(PEOPLE.lead), subOf(PEOPLE.unallocated)].sort());
    expect(credentials(PEOPLE.auditor).role).toBe('auditor');
  }, 60_000);
});
