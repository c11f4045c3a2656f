/**
 * De-identified demand planning end to end (DOMAIN §7, J5): 500 referrals with known identities
 * through the API and on to outcomes; the analytics consumer fed Kinesis-shaped records by the
 * poller; every extract (JSON and CSV) free of every seeded identifier; counts equal to the
 * seeded truth after disclosure control; a replay of the whole stream changes nothing.
 *
 * This file keeps its own tables (set before any module reads its configuration) so that other
 * test files' referrals do not enter its counts.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { scanAll } from '../support/scan-all.js';
import { TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';
import { localDynamoClient } from '../../infra/local/dynamodb.js';
import { tableNames } from '../../infra/local/tables.js';
import { createSeededTables } from '../support/own-tables.js';
import { createStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.js';
import { handler as analyticsHandler } from '../../functions/stream/analytics.js';
import { ddb } from '../../shared/data/client.js';
import { factsOfMonth } from '../../shared/data/analytics-repository.js';
import { clock } from '../../shared/time.js';
import { controlCount } from '../../shared/deidentify/disclosure.js';
import { londonDate } from '../../shared/domain/london-time.js';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';
import { j1Body, postEvent } from '../support/referrals.js';
import { N, AGENCIES, ETHNICITIES, seedPeople } from './analytics.fixture.js';

const names = tableNames(`analytics-${randomUUID().slice(0, 8)}-`);
for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];

let api: TestApi;
let poller: StreamPoller;
const people = seedPeople();
const tokens = {} as Record<string, string>;
const identifiers = people.flatMap((p) => [
  p.givenName,
  p.familyName,
  p.dateOfBirth,
  p.nhsNumber,
  p.nhsNumber.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3'),
  p.phone,
  p.postcode,
]);

const analyticsPoller = () =>
  createStreamPoller({
    endpoint: inject('dynamoEndpoint'),
    tableName: names.hub,
    parkTableName: names.hub,
    consumers: [
      {
        id: 'analytics',
        shape: 'kinesis',
        handler: analyticsHandler,
        pkPrefixes: ['REFERRAL#', 'BEDUNIT#'],
        batchSize: 100,
        maxAttempts: 3,
      },
    ],
    pollIntervalMs: 50,
  });

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

beforeAll(async () => {
  await createSeededTables(names);
  api = await startTestApi();
  for (const [c] of AGENCIES) tokens[c] = await api.clientToken(c);
  tokens.lead = await api.personToken(PEOPLE.lead);
  tokens.sam = await api.personToken(PEOPLE.amhp);
  tokens.analyst = await api.clientToken('analytics-dashboard');
  tokens.records = await api.clientToken('analytics-pipeline');

  // Referrals arrive over four weeks: the clock is moved for each create (serially, as the clock is shared).
  const real = clock.now;
  try {
    for (const p of people) {
      clock.now = () => p.receivedAt;
      const body = j1Body({
        minutesAgo: 0,
        person: {
          givenName: p.givenName,
          familyName: p.familyName,
          dateOfBirth: p.dateOfBirth,
          nhsNumber: p.nhsNumber,
          ethnicity: ETHNICITIES[p.i % ETHNICITIES.length],
          sex: p.i % 3 ? 'male' : 'female',
        },
        legalStatus: {
          detainedAt: new Date(p.receivedAt.getTime() - 40 * 60_000).toISOString(),
          arrivedAtPlaceOfSafetyAt: new Date(p.receivedAt.getTime() - 10 * 60_000).toISOString(),
        },
        responsibleLssa: p.i % 2 ? 'E06000055' : 'E06000056',
      });
      body.referrer = { ...body.referrer, callbackPhone: p.phone };
      body.location = {
        type: 'public-place',
        address: { lines: [`${p.i} Zed Street`, 'Bedford'], postcode: p.postcode },
      };
      const res = await api.fetch('/v1/referrals', {
        method: 'POST',
        token: tokens[p.client],
        json: body,
        headers: { 'Idempotency-Key': randomUUID() },
      });
      const json = (await res.json()) as { id: string };
      if (res.status !== 201) throw new Error(`create ${p.i}: ${res.status} ${JSON.stringify(json)}`);
      p.id = json.id;
    }
  } finally {
    clock.now = real;
  }

  // On to outcomes, eight at a time.
  await inBatches(people, 8, async (p) => {
    let step = await postEvent(api, tokens.lead!, p.id!, { type: 'start-review' }, '"1"');
    if (p.outcome === 'not-accepted') {
      step = await postEvent(
        api,
        tokens.lead!,
        p.id!,
        { type: 'not-accept', reason: 'Not for MHA', disposition: 'signposted', nextSteps: 'GP to review' },
        step.etag!,
      );
      expect(step.status).toBe(200);
      return;
    }
    step = await postEvent(api, tokens.lead!, p.id!, { type: 'accept', reason: 'ok' }, step.etag!);
    step = await postEvent(
      api,
      tokens.lead!,
      p.id!,
      { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: new Date(Date.now() + 3_600_000).toISOString() },
      step.etag!,
    );
    const outcome =
      p.outcome === 'detained-s2'
        ? { outcome: p.outcome, nextSteps: 'Conveyance' }
        : { outcome: p.outcome, nextSteps: 'Plan agreed', reasonsInWriting: 'Reasons given' };
    step = await postEvent(api, tokens.sam!, p.id!, { type: 'record-outcome', ...outcome }, step.etag!);
    expect(step.status).toBe(200);
  });

  poller = analyticsPoller();
  poller.start();
  await poller.drain();
}, 600_000);

afterAll(async () => {
  await poller?.stop();
  await api?.close();
});

const get = async (path: string, token: string, csv = false) => {
  const res = await api.fetch(path, { token, ...(csv ? { headers: { Accept: 'text/csv' } } : {}) });
  const text = await res.text();
  return { status: res.status, text, json: csv ? undefined : (JSON.parse(text) as any) };
};

const RANGE = 'from=2026-10-05&to=2026-11-01';

describe('de-identified extracts from 500 referrals', () => {
  it('counts equal the seeded truth after disclosure control', async () => {
    const res = await get(`/v1/extracts/demand?period=week&${RANGE}&by=agencyType,outcome`, tokens.analyst!);
    expect(res.status).toBe(200);
    expect(res.json.rule.description).toMatch(/1.7|\*/);
    const truth = new Map<string, number>();
    for (const p of people) {
      const day = londonDate(p.receivedAt);
      const monday = new Date(
        Date.parse(`${day}T00:00:00Z`) - ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) * 86_400_000,
      )
        .toISOString()
        .slice(0, 10);
      const key = `${monday}|${p.agency}|${p.outcome}`;
      truth.set(key, (truth.get(key) ?? 0) + 1);
    }
    // The grid lists every agency type and outcome with 0; a suppressed count is empty beside its flag.
    const got = new Map(
      res.json.rows
        .filter((r: any) => r.count !== 0)
        .map((r: any) => [`${r.period}|${r.agencyType}|${r.outcome}`, r.countSuppressed ? '*' : r.count]),
    );
    expect(got.size).toBe(truth.size);
    for (const [key, n] of truth) expect(got.get(key), key).toBe(controlCount(n));
    // Small cells exist in this data and are suppressed, not shown.
    expect([...got.values()]).toContain('*');
  });

  it('the heat map: referrals by hour of day × day of week over four weeks', async () => {
    const res = await get(
      `/v1/extracts/demand?period=month&from=2026-10-01&to=2026-10-31&by=hourOfDay,dayOfWeek`,
      tokens.analyst!,
    );
    const total = people.filter((p) => londonDate(p.receivedAt).startsWith('2026-10')).length;
    const rows = res.json.rows as { count: number | null }[];
    const shown = rows.reduce((n, r) => n + (r.count ?? 0), 0);
    expect(rows).toHaveLength(168); // every hour of every weekday, zero-filled
    expect(shown).toBeLessThanOrEqual(total + rows.length * 2);
  });

  it('no extract, JSON or CSV, carries any seeded name, NHS number, date of birth, phone or postcode', async () => {
    const paths = [
      `/v1/extracts/demand?period=week&${RANGE}&by=ageBand,sex,ethnicityGroup`,
      `/v1/extracts/demand?period=day&${RANGE}&by=lssa,legalStatus,outOfHours`,
      `/v1/extracts/timings?period=week&${RANGE}`,
      `/v1/extracts/capacity?period=week&${RANGE}`,
    ];
    const bodies: string[] = [];
    for (const path of paths) {
      for (const csv of [false, true]) {
        const res = await get(path, tokens.analyst!, csv);
        expect(res.status, path).toBe(200);
        bodies.push(res.text);
      }
    }
    for (const csv of [false, true]) {
      const res = await get('/v1/extracts/records?month=2026-10', tokens.records!, csv);
      expect(res.status).toBe(200);
      bodies.push(res.text);
    }
    const all = bodies.join('\n');
    expect(all.length).toBeGreaterThan(1000);
    const found = identifiers.filter((id) => all.includes(id));
    expect(found).toEqual([]);
    // And no referral id or reference either: only keyed hashes.
    expect(people.filter((p) => all.includes(p.id!))).toEqual([]);
  });

  it('record-level rows need extracts.records and keep k ≥ 5', async () => {
    expect((await get('/v1/extracts/records?month=2026-10', tokens.analyst!)).status).toBe(401);
    const res = await get('/v1/extracts/records?month=2026-10&limit=1000', tokens.records!);
    const rows = res.json.rows as any[];
    expect(rows.length).toBeGreaterThan(0);
    // Every column but the keys is a quasi-identifier (DOMAIN §7): each combination at least 5 times.
    const quasi = (r: Record<string, unknown>) =>
      JSON.stringify(
        Object.entries(r)
          .filter(([c]) => c !== 'recordKey' && c !== 'personKey')
          .sort(),
      );
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(quasi(r), (counts.get(quasi(r)) ?? 0) + 1);
    expect(Math.min(...counts.values())).toBeGreaterThanOrEqual(5);
    expect(res.json.withheld).toEqual(expect.any(Number));
    expect(res.json.rule.description).toContain(`${res.json.withheld} row(s) withheld`);
    expect(rows[0]).not.toHaveProperty('receivedDay');
    expect(rows[0]).not.toHaveProperty('hourOfDay');
    // Banded intervals only: no minute counts anywhere in a row.
    expect(rows.flatMap((r) => Object.values(r)).filter((v) => typeof v === 'number')).toEqual([]);
    // Keys re-keyed per agreement and month: none is a stored key, so no two extracts join on them
    // (repeats within one extract: test/unit/deidentify-records.test.ts).
    const stored = (await Promise.all(['E06000055', 'E06000056'].map((l) => factsOfMonth(l, '2026-10')))).flat();
    const storedKeys = new Set(stored.flatMap((f) => [f.factKey, f.personKey ?? '']));
    expect(rows.filter((r) => storedKeys.has(r.recordKey) || storedKeys.has(r.personKey))).toEqual([]);
    expect(stored.length).toBeGreaterThan(0);
  });

  it('timings: a median and p90 per interval, or * under 20 records', async () => {
    const res = await get(`/v1/extracts/timings?period=month&from=2026-10-01&to=2026-10-31`, tokens.analyst!);
    const outcome = res.json.rows.find((r: any) => r.interval === 'receivedToOutcome');
    expect(typeof outcome.medianMinutes).toBe('number');
    expect(outcome.p90Minutes).toBeGreaterThanOrEqual(outcome.medianMinutes);
  });

  it('refuses partial periods and other callers', async () => {
    expect((await get('/v1/extracts/demand?period=month&from=2026-10-02&to=2026-10-31', tokens.analyst!)).status).toBe(
      400,
    );
    expect((await get(`/v1/extracts/demand?period=week&${RANGE}`, tokens.lead!)).status).toBe(401);
  });

  it('replaying the whole stream leaves facts and roll-ups unchanged', async () => {
    const snapshot = async () => {
      const items = (await scanAll(ddb(), { TableName: names.analytics })).filter(
        (i) => !String(i.PK).startsWith('SEEN#'),
      );
      return items.map((i) => JSON.stringify(i, Object.keys(i).sort())).sort();
    };
    const before = await snapshot();
    expect(before.filter((i) => i.includes('"PK":"FACTS#')).length).toBe(N);
    const replay = analyticsPoller();
    replay.start();
    await replay.drain();
    await replay.stop();
    expect(await snapshot()).toEqual(before);
  });

  it('whereabouts (DOMAIN §9) reach no Kinesis record, no stream and no extract', async () => {
    const sam = tokens.sam!;
    const lead = tokens.lead!;
    const at = people.find((p) => p.outcome !== 'not-accepted')!;
    const manager = 'Ottoline Brackwater';
    const whereabouts = (json: unknown) => api.fetch('/v1/whereabouts/events', { method: 'POST', token: sam, json });
    const shift = await whereabouts({
      type: 'on-shift',
      plannedEndAt: new Date(Date.now() + 8 * 3_600_000).toISOString(),
      onCallManager: manager,
    });
    const session = ((await shift.json()) as Record<string, any>).session;
    expect(shift.status, JSON.stringify(session)).toBe(200);
    const made = await whereabouts({
      type: 'checked-in',
      referralId: at.id,
      expectedFinishAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const checkIn = ((await made.json()) as Record<string, any>).checkIn;
    expect(made.status, JSON.stringify(checkIn)).toBe(200);
    const panel = (await (await api.fetch('/v1/whereabouts', { token: lead })).json()) as Record<string, any>;
    expect(panel.checkIns.map((c: any) => c.checkInId)).toContain(checkIn.checkInId);
    expect((await whereabouts({ type: 'checked-out', safe: true })).status).toBe(200);
    expect((await whereabouts({ type: 'off-shift' })).status).toBe(200);

    // Every record of the hub table's change feed, as its Kinesis destination carries it (no prefix filter).
    const records: string[] = [];
    const feed = createStreamPoller({
      endpoint: inject('dynamoEndpoint'),
      tableName: names.hub,
      parkTableName: names.hub,
      consumers: [
        {
          id: 'everything',
          shape: 'kinesis',
          handler: async (event: { Records: { kinesis: { data: string } }[] }) => {
            for (const r of event.Records) records.push(Buffer.from(r.kinesis.data, 'base64').toString('utf8'));
            return { batchItemFailures: [] };
          },
          batchSize: 100,
          maxAttempts: 1,
        },
      ],
      pollIntervalMs: 20,
    });
    feed.start();
    await feed.drain();
    await feed.stop();
    expect(records.length).toBeGreaterThan(N);
    const feedText = records.join('\n');
    for (const needle of [checkIn.checkInId, session.sessionId, manager, 'checked-in', 'on-shift', 'CHECKIN#'])
      expect(feedText, needle).not.toContain(needle);
    // The safety table itself has no stream at all.
    const client = localDynamoClient(inject('dynamoEndpoint'));
    const { DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
    const described = await client.send(new DescribeTableCommand({ TableName: names.safety }));
    client.destroy();
    expect(described.Table?.StreamSpecification?.StreamEnabled ?? false).toBe(false);
    expect(described.Table?.LatestStreamArn).toBeUndefined();

    const month = new Date().toISOString().slice(0, 7);
    const extracts = [
      await get(`/v1/extracts/records?month=${month}`, tokens.records!, true),
      await get(`/v1/extracts/records?month=2026-10`, tokens.records!),
      await get(`/v1/extracts/demand?period=week&${RANGE}&by=lssa,outcome`, tokens.analyst!, true),
    ];
    for (const e of extracts) {
      expect(e.status).toBe(200);
      for (const needle of [checkIn.checkInId, session.sessionId, manager, 'checked-in'])
        expect(e.text, needle).not.toContain(needle);
    }
  });
});
