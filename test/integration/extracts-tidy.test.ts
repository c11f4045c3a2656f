/**
 * Tidy extracts (issue #17): every extract, JSON and CSV, read back with a real CSV reader
 * (csv-parse, casting as DuckDB or pandas would): the header is the data dictionary's, numeric
 * columns hold numbers or nothing (never `*`), each controlled figure has its boolean flag,
 * suppressed is told apart from not applicable, an empty result is a header row, and hour ×
 * weekday is 168 rows for a month.
 *
 * Own tables (set before any module reads its configuration), so no other file's referrals
 * enter the figures.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';
import { tableNames } from '../../infra/local/tables.js';
import { analyticsPoller } from '../support/analytics-poller.js';
import { clock } from '../../shared/time.js';
import {
  CAPACITY_TABLE,
  DATA_QUALITY_TABLE,
  demandColumns,
  TIMINGS_TABLE,
  type Column,
} from '../../shared/deidentify/dictionary.js';
import { RECORDS_TABLE } from '../../shared/deidentify/dictionary-records.js';
import { headerOf, suppressedColumn } from '../../shared/deidentify/tidy.js';
import { ROUTES } from '../../functions/routes.js';
import { createSeededTables } from '../support/own-tables.js';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';
import { j1Body, postEvent } from '../support/referrals.js';

const names = tableNames(`tidy-${randomUUID().slice(0, 8)}-`);
for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];

/** 12 referrals on Wednesday 9 September 2026, 14:xx London time (13:xx UTC, BST). */
const SEPTEMBER = 'from=2026-09-01&to=2026-09-30';
const N = 12;

let api: TestApi;
const tokens = {} as Record<string, string>;

beforeAll(async () => {
  await createSeededTables(names);
  api = await startTestApi();
  tokens.police = await api.clientToken('police-a-triage');
  tokens.lead = await api.personToken(PEOPLE.lead);
  tokens.analyst = await api.clientToken('analytics-dashboard');
  tokens.records = await api.clientToken('analytics-pipeline');

  const real = clock.now;
  const ids: string[] = [];
  try {
    for (let i = 0; i < N; i++) {
      const at = new Date(Date.parse('2026-09-09T13:00:00Z') + i * 60_000);
      clock.now = () => at;
      const body = j1Body({
        legalStatus: {
          detainedAt: new Date(at.getTime() - 40 * 60_000).toISOString(),
          arrivedAtPlaceOfSafetyAt: new Date(at.getTime() - 10 * 60_000).toISOString(),
        },
        responsibleLssa: 'E06000055',
      });
      const res = await api.fetch('/v1/referrals', {
        method: 'POST',
        token: tokens.police,
        json: body,
        headers: { 'Idempotency-Key': randomUUID() },
      });
      const json = (await res.json()) as { id: string };
      if (res.status !== 201) throw new Error(`create ${i}: ${res.status} ${JSON.stringify(json)}`);
      ids.push(json.id);
    }
  } finally {
    clock.now = real;
  }
  for (const id of ids) {
    const review = await postEvent(api, tokens.lead!, id, { type: 'start-review' }, '"1"');
    expect((await postEvent(api, tokens.lead!, id, { type: 'accept', reason: 'ok' }, review.etag!)).status).toBe(200);
  }
  const poller = analyticsPoller(inject('dynamoEndpoint'), names.hub);
  poller.start();
  try {
    await poller.drain();
  } finally {
    await poller.stop();
  }
}, 300_000);

afterAll(async () => {
  await api?.close();
});

interface JsonExtract {
  columns: string[];
  rows: Record<string, unknown>[];
}

async function both(
  path: string,
  token: string,
): Promise<{ json: JsonExtract; csv: string; records: string[][]; typed: Record<string, unknown>[] }> {
  const jsonRes = await api.fetch(path, { token });
  const jsonText = await jsonRes.text();
  expect(jsonRes.status, jsonText).toBe(200);
  const csvRes = await api.fetch(path, { token, headers: { Accept: 'text/csv' } });
  const csv = await csvRes.text();
  expect(csvRes.status, csv).toBe(200);
  expect(csvRes.headers.get('content-type')).toMatch(/^text\/csv/);
  // Both point to their columns' definitions.
  for (const res of [jsonRes, csvRes]) {
    expect(res.headers.get('link')).toMatch(/\/docs#data-dictionary>; rel="describedby"/);
  }
  // As a reader would load it: the header names the columns, numbers cast to numbers.
  const records = parse(csv) as string[][];
  // csv-parse casts numbers only; true/false read as booleans, as pandas and DuckDB read them.
  const typed = (parse(csv, { columns: true, cast: true }) as Record<string, unknown>[]).map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === 'true' ? true : v === 'false' ? false : v])),
  );
  return { json: JSON.parse(jsonText) as JsonExtract, csv, records, typed };
}

/** Every published cell against its column's definition, in both formats. */
function expectTidy(columns: readonly Column[], got: Awaited<ReturnType<typeof both>>): void {
  const header = headerOf(columns);
  expect(got.records[0]).toEqual(header);
  expect(got.json.columns).toEqual(header);
  expect(got.typed).toHaveLength(got.json.rows.length);
  for (const column of columns) {
    const numeric = column.type === 'integer' || column.type === 'number';
    got.typed.forEach((row, i) => {
      const csvCell = row[column.name];
      const jsonCell = got.json.rows[i]![column.name];
      expect(Object.keys(got.json.rows[i]!)).toEqual(header);
      if (numeric) {
        expect(csvCell === '' || typeof csvCell === 'number', `${column.name} = ${String(csvCell)}`).toBe(true);
        expect(jsonCell === null || typeof jsonCell === 'number', `${column.name} = ${String(jsonCell)}`).toBe(true);
        if (column.type === 'integer' && typeof csvCell === 'number') expect(Number.isInteger(csvCell)).toBe(true);
        expect(csvCell === '' ? null : csvCell).toEqual(jsonCell);
      }
      if (column.controlled) {
        const flag = row[suppressedColumn(column.name)];
        expect(flag === true || flag === false, `${suppressedColumn(column.name)} = ${String(flag)}`).toBe(true);
        expect(got.json.rows[i]![suppressedColumn(column.name)]).toBe(flag);
        // Never a figure and a suppression flag together.
        if (flag === true) expect(csvCell).toBe('');
      }
    });
  }
}

/** Every extract this file loads; a new extract route must be added here (and to the dictionary). */
const LOADED = [
  '/v1/extracts/demand',
  '/v1/extracts/timings',
  '/v1/extracts/capacity',
  '/v1/extracts/data-quality',
  '/v1/extracts/records',
];

describe('tidy extracts, JSON and CSV, loaded with a CSV reader', () => {
  it('loads every extract route there is', () => {
    const extractRoutes = ROUTES.filter((r) => r.path.startsWith('/v1/extracts/')).map((r) => r.path);
    expect(extractRoutes.sort()).toEqual([...LOADED].sort());
  });

  it('demand: hour × weekday is 168 rows for one month, ISO weekday 3 = Wednesday, London hours', async () => {
    const got = await both(`/v1/extracts/demand?period=month&${SEPTEMBER}&by=hourOfDay,dayOfWeek`, tokens.analyst!);
    expectTidy(demandColumns(['hourOfDay', 'dayOfWeek']), got);
    expect(got.typed).toHaveLength(168);
    const nonZero = got.typed.filter((r) => r.count !== 0);
    // 12 referrals at 14:00-14:11 BST on Wednesday 9 September: one cell, rounded to 10.
    expect(nonZero).toEqual([{ period: '2026-09-01', hourOfDay: 14, dayOfWeek: 3, count: 10, countSuppressed: false }]);
  });

  it('demand by week and agency: every week and agency type; legal status by day', async () => {
    const got = await both(
      '/v1/extracts/demand?period=week&from=2026-08-31&to=2026-09-27&by=agencyType',
      tokens.analyst!,
    );
    expectTidy(demandColumns(['agencyType']), got);
    expect(new Set(got.typed.map((r) => r.period))).toEqual(
      new Set(['2026-08-31', '2026-09-07', '2026-09-14', '2026-09-21']),
    );
    expect(got.typed.find((r) => r.period === '2026-09-07' && r.agencyType === 'police')).toMatchObject({
      count: 10,
      countSuppressed: false,
    });
    const byDay = await both(
      `/v1/extracts/demand?period=day&from=2026-09-09&to=2026-09-09&by=legalStatus`,
      tokens.analyst!,
    );
    expectTidy(demandColumns(['legalStatus']), byDay);
  });

  it('timings: medians in minutes; suppressed under 20 records, not applicable with none', async () => {
    const got = await both(`/v1/extracts/timings?period=month&${SEPTEMBER}`, tokens.analyst!);
    expectTidy(TIMINGS_TABLE.columns, got);
    const accepted = got.typed.find((r) => r.interval === 'receivedToAccepted')!;
    expect(accepted).toMatchObject({
      records: 10,
      recordsSuppressed: false,
      medianMinutes: '',
      medianMinutesSuppressed: true,
      p90Minutes: '',
      p90MinutesSuppressed: true,
    });
    const outcome = got.typed.find((r) => r.interval === 'receivedToOutcome')!;
    expect(outcome).toMatchObject({
      records: 0,
      medianMinutes: '',
      medianMinutesSuppressed: false,
      p90MinutesSuppressed: false,
    });
    const json = (await (
      await api.fetch(`/v1/extracts/timings?period=month&${SEPTEMBER}`, { token: tokens.analyst })
    ).json()) as Record<string, Record<string, unknown>[]>;
    expect(json.distribution!.every((r) => (r.count === null) === r.countSuppressed)).toBe(true);
    expect(json.escalations!.every((r) => typeof r.count === 'number' && r.countSuppressed === false)).toBe(true);
  });

  it('capacity and data quality: every bed type and flag, percentages empty where not applicable', async () => {
    const capacity = await both(`/v1/extracts/capacity?period=month&${SEPTEMBER}`, tokens.analyst!);
    expectTidy(CAPACITY_TABLE.columns, capacity);
    expect(capacity.typed.length).toBeGreaterThan(0);
    const quality = await both(`/v1/extracts/data-quality?period=month&${SEPTEMBER}`, tokens.analyst!);
    expectTidy(DATA_QUALITY_TABLE.columns, quality);
    expect(
      quality.typed.every(
        (r) => r.received === 10 && r.percentOfReceivedSuppressed === (r.referralsSuppressed as boolean),
      ),
    ).toBe(true);
    const empty = await both('/v1/extracts/data-quality?period=month&from=2026-07-01&to=2026-07-31', tokens.analyst!);
    expect(
      empty.typed.every(
        (r) => r.received === 0 && r.percentOfReceived === '' && r.percentOfReceivedSuppressed === false,
      ),
    ).toBe(true);
  });

  it('records: codes only; an empty month is a header row, not an empty body', async () => {
    const got = await both('/v1/extracts/records?month=2026-09', tokens.records!);
    expectTidy(RECORDS_TABLE.columns, got);
    const empty = await both('/v1/extracts/records?month=2026-05', tokens.records!);
    expectTidy(RECORDS_TABLE.columns, empty);
    expect(empty.json.rows).toEqual([]);
    expect(empty.records).toEqual([headerOf(RECORDS_TABLE.columns)]);
    expect(empty.csv.trim().split('\n')).toHaveLength(1);
  });

  it('the data dictionary at /docs lists every column of every extract', async () => {
    const res = await api.fetch('/docs');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('id="data-dictionary"');
    for (const columns of [
      demandColumns(['hourOfDay', 'dayOfWeek']),
      TIMINGS_TABLE.columns,
      CAPACITY_TABLE.columns,
      DATA_QUALITY_TABLE.columns,
      RECORDS_TABLE.columns,
    ]) {
      for (const name of headerOf(columns)) expect(html, name).toContain(`<code>${name}</code>`);
    }
    expect(html).toContain('1 = Monday');
    expect(html).toContain('Europe/London');
  });
});
