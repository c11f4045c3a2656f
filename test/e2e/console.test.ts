/**
 * The operator console end to end (issue #10): Debian's Chromium, driven by playwright-core,
 * against the local stack serving the console at `/console/`, on tables of this file's own.
 * Sign-in per role; the duty lead's board with a live s.136 countdown; accept (through a stale
 * ETag), allocate and record an outcome and the board follows; a stale bed unit greyed; the
 * demand heat map drawn from a seeded distribution, with CSVs of exactly the figures shown and
 * nothing identifiable. Screenshots of the three views go to test-results/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { controlCount } from '../../shared/deidentify/disclosure.js';
import { PEOPLE } from '../support/api.js';
import { postEvent } from '../support/referrals.js';
import { axeViolations } from './a11y.js';
import { launchBrowser, type E2eBrowser } from './browser.js';
import { credentials, startE2eStack, useOwnTables, type E2eStack } from './stack.js';
import { FRESH_UNIT, REFERRER_CLIENT, STALE_UNIT, seedBeds, seedHistory, seedLiveReferral, waitForDemandExtract, type HistorySeed, type LiveSeed } from './seed.js';

const names = useOwnTables('e2e');

let stack: E2eStack;
let browser: E2eBrowser;
let history: HistorySeed;
let live: LiveSeed;

beforeAll(async () => {
  // Chromium starts while the stack is seeded.
  const launching = launchBrowser();
  try {
    stack = await startE2eStack(inject('dynamoEndpoint'), names);
    history = await seedHistory(stack.api);
    stack.startAnalytics();
    live = await seedLiveReferral(stack.api);
    await seedBeds(stack.api);
    await waitForDemandExtract(stack.api, history);
  } finally {
    browser = await launching;
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

// ---------------------------------------------------------------------------------------------
// Helpers.

const poll = <T>(fn: () => Promise<T> | T, timeout = 15_000) => expect.poll(fn, { timeout, interval: 100 });
/** What a person reads (innerText: cells apart, hidden text left out), whitespace collapsed. */
const text = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();

/** Signs in through the form; returns the access token the page received (to look for it later). */
async function signIn(username: string): Promise<{ page: Page; token: string }> {
  const page = await browser.newPage();
  const { password } = credentials(username);
  await page.goto(stack.consoleUrl);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Username', { exact: true }).fill(username);
  await form.getByLabel('Password', { exact: true }).fill(password);
  const tokenResponse = page.waitForResponse((r) => r.url().endsWith('/oauth2/token') && r.request().method() === 'POST');
  await form.getByRole('button', { name: 'Sign in' }).click();
  const token = ((await (await tokenResponse).json()) as { access_token: string }).access_token;
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { page, token };
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 });
/** How many elements of `role` currently say `words` (live regions may be several). */
const saying = (page: Page | Locator, role: 'alert' | 'status', words: string) => page.getByRole(role).filter({ hasText: words }).count();
const rowCells = (row: Locator) => row.locator(':scope > td, :scope > th');
const BOARD_COLUMNS = ['Reference', 'Status', 'Urgency', 'Legal status', 'Nearest clock', 'Time open', 'AMHP', 'Last event'];
const COL = Object.fromEntries(BOARD_COLUMNS.map((c, i) => [c, i])) as Record<(typeof BOARD_COLUMNS)[number], number>;
const cell = (row: Locator, column: (typeof BOARD_COLUMNS)[number]) => rowCells(row).nth(COL[column]!);

/** Selects the option whose value is `value`, else the first whose label matches `label` (waiting for the options to arrive). */
async function choose(select: Locator, value: string, label: RegExp): Promise<void> {
  let options: { value: string; label: string }[] = [];
  const pick = () => options.find((o) => o.value === value) ?? options.find((o) => label.test(o.label));
  for (const deadline = Date.now() + 15_000; ; ) {
    options = await select.locator('option').evaluateAll((os) => os.map((o) => ({ value: (o as unknown as { value: string }).value, label: (o.textContent ?? '').trim() })));
    if (pick() || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const option = pick();
  if (!option) throw new Error(`no option ${value} or ${label} in ${JSON.stringify(options)}`);
  await select.selectOption(option.value);
}

/** RFC 4180 parsing (quotes, CRLF, a BOM) by csv-parse. */
const parseCsv = (csv: string): string[][] => parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];

/** A published figure as text (`12`, `*`, `37.5`), with a unit such as "min" or "%" dropped. */
const figureOf = (raw: string): string | undefined => {
  const m = /^(\*|\d+(?:\.\d+)?)(?:\s*(?:min|mins|minutes|%))?$/.exec(raw.replace(/,/g, '').trim());
  return m?.[1];
};
/**
 * The figures of a CSV, row by row: every column but the labels named (row labels, bucket
 * bounds). A cell that is no published figure fails the test rather than being skipped.
 */
function csvFigures(csv: string, labels: readonly string[]): string[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header || !rows.length) return [];
  const columns = header.map((_, j) => j).filter((j) => !labels.includes(header[j]!));
  return rows.flatMap((r) =>
    columns.map((j) => {
      const figure = figureOf(r[j] ?? '');
      if (figure === undefined) throw new Error(`not a published figure in column ${header[j]}: ${JSON.stringify(r[j])}`);
      return figure;
    }),
  );
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
/** In a cross-tab CSV (row label first, then one column per value), the cell at row × column. */
function csvCell(csv: string, row: string, column: string): string | undefined {
  const [header, ...rows] = parseCsv(csv);
  const j = header?.findIndex((h) => norm(h) === norm(column)) ?? -1;
  const r = rows.find((x) => norm(x[0] ?? '') === norm(row));
  return j > 0 && r ? figureOf(r[j] ?? '') : undefined;
}

/** The figures a table shows (its data cells), in document order. */
const tableFigures = async (table: Locator) => (await table.locator('td').allTextContents()).map(figureOf).filter((f): f is string => f !== undefined);
const nonZeroSorted = (fs: readonly string[]) => fs.filter((f) => f !== '0').sort();

/** Clicks the section's "Download CSV" and returns the file's text. */
async function downloadCsv(page: Page, section: Locator): Promise<string> {
  const control = section.getByRole('link', { name: 'Download CSV' }).or(section.getByRole('button', { name: 'Download CSV' }));
  const [download] = await Promise.all([page.waitForEvent('download'), control.first().click()]);
  const path = await download.path();
  return readFileSync(path, 'utf8');
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

// ---------------------------------------------------------------------------------------------

describe('signing in', () => {
  const ROLES = [
    { username: PEOPLE.lead, views: ['Board', 'Beds'], landing: 'Board' },
    { username: PEOPLE.amhp, views: ['Board', 'Beds'], landing: 'Board' },
    { username: PEOPLE.beds, views: ['Beds'], landing: 'Beds' },
    { username: PEOPLE.analyst, views: ['Demand'], landing: 'Demand' },
  ];

  it.each(ROLES)('$username: name in the header, only the views the role may use, its landing view; the token in memory only', async ({ username, views, landing }) => {
    const { page, token } = await signIn(username);
    const { displayName } = credentials(username);
    await poll(() => text(page.getByRole('banner'))).toContain(displayName);
    const nav = page.getByRole('navigation', { name: 'Views' });
    await poll(async () => (await nav.getByRole('link').allTextContents()).map((t) => t.trim())).toEqual(views);
    await poll(() => new URL(page.url()).hash).toBe(`#/${landing.toLowerCase()}`);
    await poll(() => text(heading(page))).toBe(landing);

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
  });

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
  it('the duty lead sees the live s.136 referral with its clock counting down; closed ones are off the board', async () => {
    const { page } = await signIn(PEOPLE.lead);
    await poll(() => text(heading(page))).toBe('Board');
    const table = page.getByRole('table', { name: 'Open referrals' });
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

    await browser.screenshot(page, 'board');
    await page.context().close();
  });

  it('accept (after a stale ETag and a reload), allocate, record the outcome: the row follows each step', async () => {
    const { page } = await signIn(PEOPLE.lead);
    const row = page.locator(`tr[data-referral-id="${live.id}"]`);
    await row.waitFor();
    const statusBefore = await text(cell(row, 'Status'));
    expect(statusBefore).not.toMatch(/accepted|allocated/i);

    await cell(row, 'Reference').getByRole('button', { name: live.reference }).click();
    const panel = page.getByRole('region', { name: `Referral ${live.reference}` });
    const timeline = panel.getByRole('list', { name: 'Timeline' });
    await poll(() => timeline.getByRole('listitem').count()).toBeGreaterThanOrEqual(1);
    expect(await text(timeline.getByRole('listitem').first())).toMatch(/received/i);

    // Someone else changes the referral while the panel is open: the referrer adds information.
    const police = await stack.api.clientToken(REFERRER_CLIENT);
    expect((await postEvent(stack.api, police, live.id, { type: 'information-added', note: 'He has asked for his sister to be told.' })).status).toBe(200);

    await panel.getByLabel('Reason', { exact: true }).fill('s.136: assessment needed tonight.');
    await panel.getByRole('button', { name: 'Accept' }).click();
    await poll(() => saying(page, 'alert', 'Someone else changed this — reload')).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Reload' }).click();
    await poll(() => text(timeline)).toMatch(/information.added/i);
    await poll(() => saying(page, 'alert', 'Someone else changed this')).toBe(0);

    await panel.getByLabel('Reason', { exact: true }).fill('s.136: assessment needed tonight.');
    // An impatient double click decides once: no second request, no phantom "someone else".
    await panel.getByRole('button', { name: 'Accept' }).dblclick();
    await poll(() => text(cell(row, 'Status'))).toMatch(/accepted/i);
    await poll(() => text(timeline)).toMatch(/accepted/i);
    expect(await saying(page, 'alert', 'Someone else changed this')).toBe(0);
    expect((await timeline.getByRole('listitem').allTextContents()).filter((t) => /— accepted$/.test(t))).toHaveLength(1);

    const amhp = panel.getByLabel('AMHP', { exact: true });
    await poll(async () => (await amhp.locator('option').allTextContents()).join('|')).toContain('Sam Patel');
    await choose(amhp, 'amhp-sam', /Sam Patel/);
    const attendance = panel.getByLabel('Expected attendance', { exact: true });
    const type = await attendance.getAttribute('type');
    const inAnHour = new Date(Date.now() + 3_600_000);
    const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(inAnHour);
    const part = (t: string) => london.find((p) => p.type === t)!.value;
    await attendance.fill(type === 'time' ? `${part('hour')}:${part('minute')}` : `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`);
    await panel.getByRole('button', { name: 'Allocate' }).click();
    await poll(() => text(cell(row, 'Status'))).toMatch(/allocated/i);
    await poll(() => text(cell(row, 'AMHP'))).toContain('Sam Patel');
    // The outcome is the allocated AMHP's, not the lead's.
    expect(await panel.getByRole('button', { name: 'Record outcome' }).count()).toBe(0);
    // The board with the referral open (replaces the countdown test's picture).
    await browser.screenshot(page, 'board');

    // Other views for the lead: Beds, read-only.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Beds' }).click();
    await poll(() => text(heading(page))).toBe('Beds');
    expect(await page.getByRole('form', { name: 'Update availability' }).count()).toBe(0);
    await page.context().close();

    // Sam, the allocated AMHP, records the outcome.
    const sam = await signIn(PEOPLE.amhp);
    const samRow = sam.page.locator(`tr[data-referral-id="${live.id}"]`);
    await samRow.waitFor();
    await poll(() => text(cell(samRow, 'Status'))).toMatch(/allocated/i);
    await cell(samRow, 'Reference').getByRole('button', { name: live.reference }).click();
    const samPanel = sam.page.getByRole('region', { name: `Referral ${live.reference}` });
    await choose(samPanel.getByLabel('Outcome', { exact: true }), 'home-treatment-crisis-team', /home treatment/i);
    await samPanel.getByLabel('Next steps', { exact: true }).fill('Home treatment team to visit tomorrow morning.');
    await samPanel.getByLabel('Reasons in writing', { exact: true }).fill('Agreed to support at home; no application needed.');
    await samPanel.getByRole('button', { name: 'Record outcome' }).click();
    await poll(() => text(cell(samRow, 'Status'))).toMatch(/outcome.recorded/i);
    await poll(() => text(samPanel.getByRole('list', { name: 'Timeline' }))).toMatch(/outcome.recorded/i);
    await sam.page.context().close();

    const view = (await (await stack.api.fetch(`/v1/referrals/${live.id}`, { token: await stack.api.personToken(PEOPLE.lead) })).json()) as { status: string };
    expect(view.status).toBe('outcome-recorded');
  }, 60_000);
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

    await browser.screenshot(page, 'beds');

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

describe('demand', () => {
  it('the heat map is the seeded distribution after disclosure control; the CSVs hold exactly the figures shown; nothing identifiable', async () => {
    const { page } = await signIn(PEOPLE.analyst);
    await poll(() => text(heading(page))).toBe('Demand');
    const month = page.getByLabel('Month', { exact: true });
    expect(await month.getAttribute('type')).toBe('month');
    await poll(() => month.inputValue()).toBe(history.month);
    expect(await page.getByRole('button', { name: 'Show' }).count()).toBe(1);

    // The heat map: 7 days × 24 hours, each cell the published figure.
    const heat = page.getByRole('table', { name: /^Referrals by hour of day and day of week/ });
    await heat.waitFor();
    expect((await heat.getByRole('rowheader').allTextContents()).map((t) => t.trim())).toEqual(DAYS);
    expect((await heat.getByRole('columnheader').allTextContents()).map((t) => t.trim()).filter((t) => /^\d\d$/.test(t))).toEqual(HOURS);
    const expected = Object.fromEntries([...history.heat].map(([k, f]) => [k, String(f)]));
    const shown = () => heat.locator('td[data-day][data-hour]').evaluateAll((tds) => Object.fromEntries(tds.map((td) => [`${td.getAttribute('data-day')}|${td.getAttribute('data-hour')}`, (td.textContent ?? '').trim()])));
    await poll(shown).toEqual(expected);
    // The seeded cells, spelt out: 13 → 15, 9 → 10, 3 → * (from the rule, not by hand).
    expect(expected['2|2']).toBe(String(controlCount(13)));
    expect(expected['6|14']).toBe(String(controlCount(9)));
    expect(expected['3|9']).toBe('*');

    // Outcomes by ethnicity group: shown and suppressed cells.
    const ethnicity = page.getByRole('table', { name: /^Outcomes by ethnicity group/ });
    await ethnicity.waitFor();
    const ethnicityFigures = await tableFigures(ethnicity);
    expect(ethnicityFigures).toContain('*');
    for (const e of history.ethnicity.filter((x) => x.figure !== '*')) expect(ethnicityFigures).toContain(String(e.figure));
    expect(ethnicityFigures.filter((f) => f === '*').length).toBeGreaterThanOrEqual(history.ethnicity.filter((x) => x.figure === '*').length);

    // Time to assessment: a chart and a table.
    const timing = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Time to assessment' }) }).last();
    await timing.waitFor();
    // The chart: a drawing, or a decorative twin of the table (hidden from assistive technology).
    const chart = timing.locator('svg, canvas, img, [role="img"], [aria-hidden="true"]').first();
    expect(((await chart.boundingBox())?.height ?? 0)).toBeGreaterThan(20);
    expect(await timing.getByRole('table').count()).toBeGreaterThan(0);

    // Each section's CSV carries exactly the figures its table shows.
    const heatSection = page.locator('section').filter({ has: heat }).last();
    const ethnicitySection = page.locator('section').filter({ has: ethnicity }).last();
    const csvs: string[] = [];
    for (const [section, table, labels] of [
      [heatSection, heat, ['day']],
      [ethnicitySection, ethnicity, ['ethnicity group']],
      [timing, timing.getByRole('table').first(), ['time to assessment', 'from minutes', 'to minutes']],
    ] as const) {
      const csv = await downloadCsv(page, section);
      csvs.push(csv);
      const inFile = csvFigures(csv, labels);
      const onPage = await tableFigures(table);
      expect(inFile.length, csv).toBeGreaterThan(0);
      // The same figures in the same places, zeros included: the file is the table.
      expect(inFile, csv).toEqual(onPage);
    }
    expect(csvFigures(csvs[0]!, ['day'])).toEqual(DAYS.flatMap((_, d) => HOURS.map((_, h) => expected[`${d + 1}|${h}`])));
    // Each seeded ethnicity group × outcome in the file is its published figure (labels or codes).
    expect(csvCell(csvs[1]!, 'white', 'detained-s2')).toBeDefined();
    for (const e of history.ethnicity) expect(csvCell(csvs[1]!, e.group, e.outcome), `${e.group} × ${e.outcome}`).toBe(String(e.figure));

    await browser.screenshot(page, 'demand');

    // No seeded person's name, NHS number or date of birth anywhere on the page or in the files.
    const pageText = `${await page.evaluate<string>('document.body.innerText')}\n${await page.content()}\n${csvs.join('\n')}`;
    const identifiers = [...history.people, live.person].flatMap((p) => [p.givenName, p.familyName, p.dateOfBirth, p.nhsNumber, p.nhsNumber.replace(/\s/g, '')]);
    expect(identifiers.filter((id) => pageText.includes(id))).toEqual([]);
    expect([live.id, live.reference, ...history.referralIds].filter((id) => pageText.includes(id))).toEqual([]);

    // Another month: "Show" redraws the map from that month's extract (nothing was seeded there).
    const [y, mo] = history.month.split('-').map(Number) as [number, number];
    const earlier = mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
    await month.fill(earlier);
    await page.getByRole('button', { name: 'Show' }).click();
    await poll(async () => new Set(Object.values(await shown()))).toEqual(new Set(['0']));
    await page.context().close();
  }, 45_000);
});

describe('accessibility', () => {
  const expectNone = async (page: Page, where: string) => expect(await axeViolations(page), where).toEqual([]);

  it('every view passes axe-core WCAG 2.1 A/AA rules (labels, names, contrast, table headers), and the board works from the keyboard', async () => {
    const blank = await browser.newPage();
    await blank.goto(stack.consoleUrl);
    await blank.getByRole('form', { name: 'Sign in' }).waitFor();
    await expectNone(blank, 'sign-in');
    // The check can fail: an input with no label is found.
    await blank.evaluate("document.querySelector('form').append(Object.assign(document.createElement('input'), { id: 'unlabelled' }))");
    expect((await axeViolations(blank)).map((v) => v.id)).toContain('label');

    const { page: lead } = await signIn(PEOPLE.lead);
    await lead.getByRole('table', { name: 'Open referrals' }).locator('tr[data-referral-id]').first().waitFor();
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

    const { page: analyst } = await signIn(PEOPLE.analyst);
    await analyst.getByRole('table', { name: /^Referrals by hour of day/ }).waitFor();
    await expectNone(analyst, 'demand');
  }, 60_000);
});
