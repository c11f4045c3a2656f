/**
 * The Safety view (issue #23 item 4; DOMAIN §9) through the console: Sam, allocated overnight,
 * goes on shift, checks in at the referral and checks out with one tap each on a phone-sized
 * screen; the duty lead's "who is where" panel shows him checked in at the referral meanwhile.
 * axe-core on each view, as for every other view of the console (issue #16).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PEOPLE } from '../support/api.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import type { E2eBrowser } from './browser.js';
import { expectAxeClean, heading, poll, signIn, text } from './console-helpers.js';
import { LSSA, REFERRER_CLIENT } from './seed.js';
import { closeStackAndBrowser, startStackAndBrowser, useOwnTables, type E2eStack } from './stack.js';

const names = useOwnTables('e2e-safety');

let stack: E2eStack;
let browser: E2eBrowser;

beforeAll(async () => {
  ({ stack, browser } = await startStackAndBrowser(names));
}, 120_000);

afterAll(() => closeStackAndBrowser(stack, browser));

/** A referral accepted by the lead and allocated to Sam, through the API (the journeys drive this in the console). */
async function allocatedToSam(): Promise<{ id: string; reference: string }> {
  const police = await stack.api.clientToken(REFERRER_CLIENT);
  const lead = await stack.api.personToken(PEOPLE.lead);
  const created = await createReferral(stack.api, police, j1Body({ responsibleLssa: LSSA }));
  let step = await postEvent(stack.api, lead, created.id, { type: 'start-review' }, created.etag);
  step = await postEvent(stack.api, lead, created.id, { type: 'accept', reason: 'Needs assessment' }, step.etag!);
  const expectedAttendanceAt = new Date(Date.now() + 3_600_000).toISOString();
  await postEvent(
    stack.api,
    lead,
    created.id,
    { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt },
    step.etag!,
  );
  return { id: created.id, reference: created.reference };
}

describe('the Safety view', () => {
  it("an AMHP's on-shift, check-in and check-out are one tap each on a phone; the lead sees who is where", async () => {
    const referral = await allocatedToSam();
    const { page: phone } = await signIn(browser, stack, PEOPLE.amhp);
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.getByRole('link', { name: 'Safety' }).click();
    await poll(() => text(heading(phone))).toBe('My duty');
    await expectAxeClean(phone, 'safety view (AMHP, off shift)');

    await phone.getByRole('button', { name: /^Go on shift/ }).click();
    await poll(() => phone.getByText('You are on shift.').count()).toBeGreaterThan(0);
    const checkIn = phone.getByRole('button', { name: new RegExp(`^Check in at ${referral.reference}`) });
    await checkIn.click();
    await poll(() => phone.getByText(`Checked in at ${referral.reference}`).count()).toBeGreaterThan(0);
    await expectAxeClean(phone, 'safety view (AMHP, checked in)');

    // The duty lead's panel: Sam on shift and checked in at the referral.
    const { page: desk } = await signIn(browser, stack, PEOPLE.lead);
    await desk.getByRole('link', { name: 'Safety' }).click();
    await poll(() => text(heading(desk))).toBe('Who is where');
    await poll(async () => text(desk.locator('main'))).toContain(referral.reference);
    await expectAxeClean(desk, 'safety view (lead)');

    await phone.getByRole('button', { name: `Check out: I am safe (${referral.reference})` }).click();
    await poll(() => phone.getByText('Checked out. Thank you.').count()).toBeGreaterThan(0);
    await phone.getByRole('button', { name: 'Go off shift' }).click();
    await poll(() => phone.getByRole('button', { name: /^Go on shift/ }).count()).toBe(1);
  });
});
