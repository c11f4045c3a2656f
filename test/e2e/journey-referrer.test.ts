/**
 * JOURNEYS J2, J3 and J6 through the console (issue #16). A referring team without a system
 * integration (Pia, police force A's mental health hub) makes an s.136 referral from the form
 * built from the API's create-referral schema: first refused, the problem shown on its field,
 * then sent; she follows it in "My referrals" as the service triages, allocates and records
 * the outcome: status, triage decision, expected attendance and outcome, never the service's
 * reasons (J2). The duty lead records s.5(2) after s.5(4) from the event form (a union inside an
 * event): the clock runs 72 h from the s.5(4) (J3). Pia withdraws a referral not yet accepted:
 * it leaves the board (J6).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { PEOPLE } from '../support/api.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import type { E2eBrowser } from './browser.js';
import {
  boardTable,
  choose,
  eventForm,
  expectAxeClean,
  heading,
  londonInput,
  openReferral,
  poll,
  recordResponses,
  saying,
  signIn,
  text,
} from './console-helpers.js';
import { docScreenshot } from './screenshots.js';
import { LSSA, REFERRER_CLIENT, REFERRER_PERSON } from './seed.js';
import { closeStackAndBrowser, startStackAndBrowser, useOwnTables, type E2eStack } from './stack.js';

const names = useOwnTables('e2e-ref');

let stack: E2eStack;
let browser: E2eBrowser;

beforeAll(async () => {
  ({ stack, browser } = await startStackAndBrowser(names));
}, 120_000);

afterAll(() => closeStackAndBrowser(stack, browser));

const group = (scope: Locator, name: string) => scope.getByRole('group', { name, exact: true });
const SECRET_REASON = 'Accepted: the service note the referrer never reads';
const SECRET_WRITING = 'Reasons in writing the referrer never reads';

describe('J2: a referrer without an integration refers and follows', () => {
  it('the form from the API schema, a problem on its field, then My referrals through triage, allocation and ' +
    'outcome', async () => {
    const { page } = await signIn(browser, stack, REFERRER_PERSON);
    const bodies = recordResponses(page);
    await poll(() => text(heading(page))).toBe('Make a referral');
    await choose(page.getByLabel('Kind of referral', { exact: true }), 'police-s136', /s\.136/);
    const form = page.getByRole('form', { name: 'Referral' });
    const referrer = group(form, 'Referrer');
    await referrer.getByLabel('Name', { exact: true }).fill('PC Lee Ward');
    await referrer.getByLabel('Role', { exact: true }).fill('Mental health hub officer');
    await referrer.getByLabel('Callback phone', { exact: true }).fill('call me');
    await referrer.getByLabel('Referrer reference', { exact: true }).fill('MHH-2026-0042');
    const person = group(form, 'Person');
    await choose(person.getByLabel('Identity unknown', { exact: true }), 'false', /no/i);
    await person.getByLabel('Given name', { exact: true }).fill('Refgiven');
    await person.getByLabel('Family name', { exact: true }).fill('Reffamily');
    await person.getByLabel('Date of birth', { exact: true }).fill('1990-05-01');
    await choose(person.getByLabel('Sex', { exact: true }), 'female', /^female$/i);
    await choose(person.getByLabel('Ethnicity', { exact: true }), 'A', /^A$/);
    await person.getByLabel('First language', { exact: true }).fill('English');
    await choose(person.getByLabel('Interpreter needed', { exact: true }), 'false', /no/i);
    await form.getByLabel('Local authority (LSSA code)', { exact: true }).fill(LSSA);
    const legal = group(form, 'Legal status');
    expect(await legal.getByLabel('Status', { exact: true }).inputValue()).toBe('s136');
    await legal.getByLabel('Detained at', { exact: true }).fill(londonInput(-40));
    await legal.getByLabel('Arrived at place of safety at', { exact: true }).fill(londonInput(-10));
    await choose(legal.getByLabel('Place of safety type', { exact: true }), 'emergency-department', /emergency/i);
    await group(form, 'Location').getByLabel('Site id', { exact: true }).fill('RC9-ED');
    await form
      .getByLabel('Reason for referral', { exact: true })
      .fill('Detained on the bridge; distressed, wants to die.');
    const risk = group(form, 'Risk');
    for (const name of [
      'Violence',
      'Weapons',
      'Animals',
      'Substance use',
      'Others present',
      'Access issues',
      'Lone worker risk',
    ])
      await choose(risk.getByLabel(name, { exact: true }), 'unknown', /unknown/i);
    await choose(risk.getByLabel('Police attendance requested', { exact: true }), 'false', /no/i);
    await choose(form.getByLabel('Doctor with previous knowledge', { exact: true }), 'unknown', /unknown/i);
    await form.getByRole('button', { name: 'Send referral' }).click();

    // The API's problem, on the field it points at.
    const phone = referrer.getByLabel('Callback phone', { exact: true });
    await poll(() => phone.getAttribute('aria-invalid')).toBe('true');
    expect(await text(form.locator('[data-error-for="/referrer/callbackPhone"]'))).toMatch(/Error:/);
    await expectAxeClean(page, 'referral form with a problem on a field');
    await docScreenshot(browser, page, 'refer');
    await phone.fill('+44 7700 900777');
    await form.getByRole('button', { name: 'Send referral' }).click();
    await poll(() => saying(page, 'status', 'Referral sent')).toBeGreaterThan(0);

    // The service works it (its own console is driven in J1; here through the API).
    const lead = await stack.api.personToken(PEOPLE.lead);
    const [created] = (
      (await (await stack.api.fetch('/v1/referrals?view=board&limit=100', { token: lead })).json()) as {
        items: { id: string; reference: string }[];
      }
    ).items;
    expect(created).toBeDefined();
    const { id, reference } = created!;
    expect((await postEvent(stack.api, lead, id, { type: 'start-review' })).status).toBe(200);
    expect((await postEvent(stack.api, lead, id, { type: 'accept', reason: SECRET_REASON })).status).toBe(200);
    const attendance = new Date(Date.now() + 90 * 60_000).toISOString();
    expect(
      (await postEvent(stack.api, lead, id, { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: attendance }))
        .status,
    ).toBe(200);
    const sam = await stack.api.personToken(PEOPLE.amhp);
    const outcome = {
      type: 'record-outcome',
      outcome: 'home-treatment-crisis-team',
      nextSteps: 'Crisis team visits at 10:00.',
      reasonsInWriting: SECRET_WRITING,
    };
    expect((await postEvent(stack.api, sam, id, outcome)).status).toBe(200);

    // My referrals: where it stands, in the referrer's minimised view only.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'My referrals' }).click();
    const table = page.getByRole('table', { name: 'My referrals' });
    const row = table.locator(`tr[data-referral-id="${id}"]`);
    // The change feed trails writes by a few seconds: refresh until it has the outcome.
    await poll(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return (await row.count()) ? text(row) : '';
    }, 30_000).toMatch(/Outcome recorded.*Accepted.*Home treatment crisis team: Crisis team visits at 10:00/);
    expect(await text(row)).toContain('MHH-2026-0042');
    await row.getByRole('button', { name: reference }).click();
    const panel = page.getByRole('region', { name: `Referral ${reference}` });
    await panel.getByRole('list', { name: 'Timeline' }).waitFor();
    await expectAxeClean(page, 'my referrals with one open');
    await docScreenshot(browser, page, 'my-referrals');
    const seen = `${await page.evaluate<string>('document.body.innerText')}\n${bodies.join('\n')}`;
    for (const secret of [SECRET_REASON, SECRET_WRITING, 'Sam Patel', 'amhp-sam', 'Refgiven'])
      expect(seen, secret).not.toContain(secret);
    // The positive control: what the referrer may read is there.
    expect(seen).toContain('Crisis team visits at 10:00.');
    await page.context().close();
  }, 120_000);
});

describe('J3: s.5(4), then s.5(2), from the event form', () => {
  it('the lead records s.5(2): the clock runs 72 h from the s.5(4)', async () => {
    const ward = await stack.api.clientToken(REFERRER_CLIENT);
    const recordedAt = new Date(Date.now() - 3 * 3_600_000);
    recordedAt.setUTCSeconds(0, 0);
    const body = j1Body({ responsibleLssa: LSSA });
    body.legalStatus = { status: 's5-4', recordedAt: recordedAt.toISOString() };
    body.location = { type: 'inpatient-ward', siteId: 'RC9-WARD' };
    const ref = await createReferral(stack.api, ward, body);
    const { page } = await signIn(browser, stack, PEOPLE.lead);
    const panel = await openReferral(page, ref.id, ref.reference);
    expect(await panel.getByRole('list', { name: 'Clocks' }).locator('span.clock[data-power="s5-4"]').count()).toBe(1);
    const form = await eventForm(panel, 'Legal status changed');
    const to = group(form, 'To');
    await choose(to.getByLabel('Status', { exact: true }), 's5-2', /S5 2/i);
    await to.getByLabel('Furnished at', { exact: true }).fill(londonInput(0));
    await form.getByRole('button', { name: 'Legal status changed' }).click();
    const clock = panel.getByRole('list', { name: 'Clocks' }).locator('span.clock[data-power="s5-2"]');
    await poll(() => clock.count()).toBe(1);
    const expected = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(recordedAt.getTime() + 72 * 3_600_000));
    expect(await text(clock.locator('xpath=..'))).toContain(`(expires ${expected})`);
    await page.context().close();
  }, 60_000);
});

describe('J6: the referrer withdraws before acceptance', () => {
  it('Pia withdraws from My referrals; the board drops it', async () => {
    const police = await stack.api.clientToken(REFERRER_CLIENT);
    const ref = await createReferral(stack.api, police, j1Body({ responsibleLssa: LSSA }));
    const { page } = await signIn(browser, stack, REFERRER_PERSON);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'My referrals' }).click();
    const row = page.getByRole('table', { name: 'My referrals' }).locator(`tr[data-referral-id="${ref.id}"]`);
    await poll(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return row.count();
    }, 30_000).toBe(1);
    await row.getByRole('button', { name: ref.reference }).click();
    const panel = page.getByRole('region', { name: `Referral ${ref.reference}` });
    const withdraw = await eventForm(panel, 'Withdraw');
    await withdraw.getByLabel('Reason', { exact: true }).fill('He agreed to an informal admission.');
    await withdraw.getByRole('button', { name: 'Withdraw' }).click();
    await poll(() => saying(page, 'status', 'Withdraw: recorded')).toBeGreaterThan(0);
    await page.context().close();

    const lead = await stack.api.personToken(PEOPLE.lead);
    const board = (
      (await (await stack.api.fetch('/v1/referrals?view=board&limit=100', { token: lead })).json()) as {
        items: { id: string }[];
      }
    ).items;
    expect(board.map((r) => r.id)).not.toContain(ref.id);
    const { page: leadPage } = await signIn(browser, stack, PEOPLE.lead);
    await boardTable(leadPage).locator('tr').first().waitFor();
    expect(await leadPage.locator(`tr[data-referral-id="${ref.id}"]`).count()).toBe(0);
    await leadPage.context().close();
  }, 60_000);
});
