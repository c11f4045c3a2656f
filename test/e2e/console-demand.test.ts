/**
 * The Demand view end to end (JOURNEYS J5, issue #10): the heat map drawn from a seeded
 * distribution after disclosure control, CSVs of exactly the figures shown, nothing
 * identifiable; axe-core clean. On tables of this file's own, fed by the analytics consumer.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { controlCount } from '../../shared/deidentify/disclosure.js';
import { PEOPLE } from '../support/api.js';
import { launchBrowser, type E2eBrowser } from './browser.js';
import { expectAxeClean, heading, poll, signIn as signInWith, text } from './console-helpers.js';
import { docScreenshot } from './screenshots.js';
import { startE2eStack, useOwnTables, type E2eStack } from './stack.js';
import { seedHistory, seedLiveReferral, waitForDemandExtract, type HistorySeed, type LiveSeed } from './seed.js';

const names = useOwnTables('e2e-demand');

let stack: E2eStack;
let browser: E2eBrowser;
let history: HistorySeed;
let live: LiveSeed;

beforeAll(async () => {
  const launching = launchBrowser();
  try {
    stack = await startE2eStack(inject('dynamoEndpoint'), names);
    history = await seedHistory(stack.api);
    stack.startAnalytics();
    live = await seedLiveReferral(stack.api);
    await waitForDemandExtract(stack.api, history);
  } finally {
    browser = await launching;
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const signIn = (username: string) => signInWith(browser, stack, username);

/** RFC 4180 parsing (quotes, CRLF, a BOM) by csv-parse. */
const parseCsv = (csv: string): string[][] =>
  parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];

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
      if (figure === undefined)
        throw new Error(`not a published figure in column ${header[j]}: ${JSON.stringify(r[j])}`);
      return figure;
    }),
  );
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
/** In a cross-tab CSV (row label first, then one column per value), the cell at row × column. */
function csvCell(csv: string, row: string, column: string): string | undefined {
  const [header, ...rows] = parseCsv(csv);
  const j = header?.findIndex((h) => norm(h) === norm(column)) ?? -1;
  const r = rows.find((x) => norm(x[0] ?? '') === norm(row));
  return j > 0 && r ? figureOf(r[j] ?? '') : undefined;
}

/** The figures a table shows (its data cells), in document order. */
const tableFigures = async (table: Locator) =>
  (await table.locator('td').allTextContents()).map(figureOf).filter((f): f is string => f !== undefined);

/** Clicks the section's "Download CSV" and returns the file's text. */
async function downloadCsv(page: Page, section: Locator): Promise<string> {
  const control = section
    .getByRole('link', { name: 'Download CSV' })
    .or(section.getByRole('button', { name: 'Download CSV' }));
  const [download] = await Promise.all([page.waitForEvent('download'), control.first().click()]);
  const path = await download.path();
  return readFileSync(path, 'utf8');
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

describe('demand', () => {
  it('the heat map is the seeded distribution after disclosure control; the CSVs hold exactly the figures ' +
    'shown; nothing identifiable', async () => {
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
    expect(
      (await heat.getByRole('columnheader').allTextContents()).map((t) => t.trim()).filter((t) => /^\d\d$/.test(t)),
    ).toEqual(HOURS);
    const expected = Object.fromEntries([...history.heat].map(([k, f]) => [k, String(f)]));
    const shown = () =>
      heat
        .locator('td[data-day][data-hour]')
        .evaluateAll((tds) =>
          Object.fromEntries(
            tds.map((td) => [
              `${td.getAttribute('data-day')}|${td.getAttribute('data-hour')}`,
              (td.textContent ?? '').trim(),
            ]),
          ),
        );
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
    for (const e of history.ethnicity.filter((x) => x.figure !== '*'))
      expect(ethnicityFigures).toContain(String(e.figure));
    expect(ethnicityFigures.filter((f) => f === '*').length).toBeGreaterThanOrEqual(
      history.ethnicity.filter((x) => x.figure === '*').length,
    );

    // Time to assessment: a chart and a table.
    const timing = page
      .locator('section')
      .filter({ has: page.getByRole('heading', { name: 'Time to assessment' }) })
      .last();
    await timing.waitFor();
    // The chart: a drawing, or a decorative twin of the table (hidden from assistive technology).
    const chart = timing.locator('svg, canvas, img, [role="img"], [aria-hidden="true"]').first();
    expect((await chart.boundingBox())?.height ?? 0).toBeGreaterThan(20);
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
    expect(csvFigures(csvs[0]!, ['day'])).toEqual(
      DAYS.flatMap((_, d) => HOURS.map((_, h) => expected[`${d + 1}|${h}`])),
    );
    // Each seeded ethnicity group × outcome in the file is its published figure (labels or codes).
    expect(csvCell(csvs[1]!, 'white', 'detained-s2')).toBeDefined();
    for (const e of history.ethnicity)
      expect(csvCell(csvs[1]!, e.group, e.outcome), `${e.group} × ${e.outcome}`).toBe(String(e.figure));

    await expectAxeClean(page, 'demand');
    await docScreenshot(browser, page, 'demand');

    // No seeded person's name, NHS number or date of birth anywhere on the page or in the files.
    const pageText =
      `${await page.evaluate<string>('document.body.innerText')}\n${await page.content()}\n` + `${csvs.join('\n')}`;
    const identifiers = [...history.people, live.person].flatMap((p) => [
      p.givenName,
      p.familyName,
      p.dateOfBirth,
      p.nhsNumber,
      p.nhsNumber.replace(/\s/g, ''),
    ]);
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
