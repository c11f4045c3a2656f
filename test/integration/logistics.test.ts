/**
 * Assessment logistics end to end (DOMAIN §9, §7; issue #20): paired requests and arrivals through
 * the API, on the board as "waiting for" while open, and as "delays by cause" in the timings
 * extract once answered, under the same disclosure control; time runs forwards; a service's own
 * calendar decides in hours vs out of hours from the same data.
 *
 * This file keeps its own tables (set before any module reads its configuration) so that other
 * test files' referrals do not enter its counts.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';
import { tableNames } from '../../infra/local/tables.js';
import type { StreamPoller } from '../../infra/local/stream-poller.js';
import { analyticsPoller } from '../support/analytics-poller.js';
import { factsOfMonth } from '../../shared/data/analytics-repository.js';
import { factKeyOf } from '../../shared/deidentify/pseudonymise.js';
import { secretKey } from '../../shared/config.js';
import { bucketBounds, bucketOf } from '../../shared/deidentify/histogram.js';
import { londonDate } from '../../shared/domain/london-time.js';
import { clock } from '../../shared/time.js';
import { createSeededTables } from '../support/own-tables.js';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';
import { allocateToSam, boardRowOf, createReferral, j1Body, postEvent, referralHistory } from '../support/referrals.js';

const names = tableNames(`logistics-${randomUUID().slice(0, 8)}-`);
for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];

let api: TestApi;
let poller: StreamPoller;
const tokens = {} as Record<'police' | 'policeB' | 'lead' | 'sam' | 'analyst', string>;

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Minutes from request to arrival per cause, as the pairs below send them. */
const WAITS = {
  's12-doctor': 100,
  'second-doctor': 70,
  police: 35,
  conveyance: 50,
  interpreter: 25,
  bed: 150,
} as const;
const PAIRS = 20; // the quantile rule needs 20 records before a median is published

/** Accepted and allocated to Sam (who then sends the logistics events). */
async function allocated(): Promise<{ id: string; etag: string }> {
  const r = await createReferral(api, tokens.police);
  let step = await allocateToSam(api, tokens.lead, r, 'Assessment needed.');
  step = await postEvent(api, tokens.sam, r.id, { type: 'start-assessment' }, step.etag!);
  expect(step.status).toBe(200);
  return { id: r.id, etag: step.etag! };
}

/** Sends events in order with the ETag each answer gives; every one must be accepted. */
async function send(id: string, etag: string, events: Record<string, unknown>[]): Promise<string> {
  let current = etag;
  for (const e of events) {
    const res = await postEvent(api, tokens.sam, id, e, current);
    if (res.status !== 200) throw new Error(`${String(e.type)}: ${res.status} ${JSON.stringify(res.body)}`);
    current = res.etag!;
  }
  return current;
}

const allPairs = (): Record<string, unknown>[] => [
  { type: 's12-doctor-requested', occurredAt: ago(300), doctor: 'first', s12Approved: true, previousKnowledge: false },
  { type: 's12-doctor-requested', occurredAt: ago(290), doctor: 'second', s12Approved: false, previousKnowledge: true },
  { type: 'police-requested', occurredAt: ago(280), ground: 'risk-assessed-safety-need' },
  { type: 'interpreter-requested', occurredAt: ago(270), language: 'Polish' },
  { type: 'conveyance-requested', occurredAt: ago(260), mode: 'secure-transport' },
  { type: 'bed-requested', occurredAt: ago(250), bedType: 'adult-acute', sex: 'male' },
  { type: 's12-doctor-arrived', occurredAt: ago(300 - WAITS['s12-doctor']), doctor: 'first' },
  { type: 's12-doctor-arrived', occurredAt: ago(290 - WAITS['second-doctor']), doctor: 'second' },
  { type: 'police-arrived', occurredAt: ago(280 - WAITS.police) },
  { type: 'interpreter-arrived', occurredAt: ago(270 - WAITS.interpreter) },
  { type: 'conveyance-arrived', occurredAt: ago(260 - WAITS.conveyance) },
  { type: 'bed-identified', occurredAt: ago(250 - WAITS.bed), outOfArea: true, icb: 'QHM' },
];

beforeAll(async () => {
  await createSeededTables(names);
  api = await startTestApi();
  tokens.police = await api.clientToken('police-a-triage');
  tokens.policeB = await api.clientToken('police-b-hub');
  tokens.lead = await api.personToken(PEOPLE.lead);
  tokens.sam = await api.personToken(PEOPLE.amhp);
  tokens.analyst = await api.clientToken('analytics-dashboard');
  poller = analyticsPoller(inject('dynamoEndpoint'), names.hub, ['REFERRAL#']);
  poller.start();
}, 120_000);

afterAll(async () => {
  await poller?.stop();
  await api?.close();
});

describe('requests and arrivals on the board', () => {
  it('shows each open request as waiting for, since its request time, until its arrival', async () => {
    const { id, etag } = await allocated();
    let current = await send(id, etag, [
      { type: 's12-doctor-requested', occurredAt: ago(100) },
      { type: 'police-requested', occurredAt: ago(90), ground: 'threat-to-life' },
      { type: 'conveyance-requested', occurredAt: ago(80), mode: 'ambulance' },
      { type: 'interpreter-requested', occurredAt: ago(70), language: 'Arabic' },
      { type: 's12-doctor-requested', occurredAt: ago(60), doctor: 'second' },
    ]);
    let row = await boardRowOf(api, tokens.lead, id);
    expect(row!.waitingFor.map((w: any) => w.cause)).toEqual([
      's12-doctor',
      'police',
      'conveyance',
      'interpreter',
      'second-doctor',
    ]);
    expect(Math.abs(Date.parse(row!.waitingFor[0].since) - (Date.now() - 100 * 60_000))).toBeLessThan(60_000);

    // A doctor arrival without `doctor` answers the longest-waiting doctor request; police decline.
    current = await send(id, current, [
      { type: 's12-doctor-arrived', occurredAt: ago(10) },
      { type: 'police-declined', occurredAt: ago(5), reason: 'rcrp-threshold-not-met' },
    ]);
    row = await boardRowOf(api, tokens.lead, id);
    expect(row!.waitingFor.map((w: any) => w.cause)).toEqual(['conveyance', 'interpreter', 'second-doctor']);

    current = await send(id, current, [
      { type: 'conveyance-arrived' },
      { type: 'interpreter-arrived' },
      { type: 's12-doctor-arrived', doctor: 'second' },
    ]);
    row = await boardRowOf(api, tokens.lead, id);
    expect(row!.waitingFor).toEqual([]);
    const history = await referralHistory(api, tokens.lead, id);
    expect(history.find((e) => e.type === 'police-requested')!.data).toMatchObject({ ground: 'threat-to-life' });
    expect(history.find((e) => e.type === 'police-declined')!.data).toMatchObject({ reason: 'rcrp-threshold-not-met' });
    expect(history.find((e) => e.type === 'interpreter-requested')!.data).toMatchObject({ language: 'Arabic' });
  });

  it(
    'refuses an arrival before its request (400 naming occurredAt), and a sender who is not the lead or ' +
      'allocated AMHP (403)',
    async () => {
      const { id, etag } = await allocated();
      const current = await send(id, etag, [{ type: 'interpreter-requested', occurredAt: ago(30), language: 'Welsh' }]);
      const early = await postEvent(api, tokens.sam, id, { type: 'interpreter-arrived', occurredAt: ago(60) }, current);
      expect(early.status).toBe(400);
      expect(early.body.code).toBe('time.runs-backwards');
      expect(early.body.errors).toEqual([expect.objectContaining({ pointer: '/occurredAt' })]);
      const police = await postEvent(api, tokens.police, id, { type: 'police-requested', ground: 'crime' }, current);
      expect(police.status).toBe(403);
      const unallocated = await postEvent(
        api,
        await api.personToken(PEOPLE.unallocated),
        id,
        { type: 'interpreter-arrived' },
        current,
      );
      expect(unallocated.status).toBe(403);
      // Within the 5-minute tolerance an arrival may be recorded a little before its request.
      const ok = await postEvent(api, tokens.sam, id, { type: 'interpreter-arrived', occurredAt: ago(33) }, current);
      expect(ok.status).toBe(200);
      expect((await boardRowOf(api, tokens.lead, id))!.waitingFor).toEqual([]);
    },
  );
});

describe('delays by cause in the timings extract', () => {
  it('gives each cause a median and p90 within its bucket once 20 pairs are in, and counts out-of-area ' +
    'placements', async () => {
    for (let i = 0; i < PAIRS; i++) {
      const { id, etag } = await allocated();
      await send(id, etag, allPairs());
    }
    await poller.drain();
    const day = londonDate(new Date());
    const res = await api.fetch(`/v1/extracts/timings?period=day&from=${day}&to=${day}`, { token: tokens.analyst });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.rule.id).toBe('nhs-small-numbers');
    const rows = body.delaysByCause.filter((r: any) => r.period === day);
    expect(rows.map((r: any) => r.cause)).toEqual([
      's12-doctor',
      'second-doctor',
      'police',
      'conveyance',
      'interpreter',
      'bed',
    ]);
    for (const [cause, minutes] of Object.entries(WAITS)) {
      const row = rows.find((r: any) => r.cause === cause);
      const { lower, upper } = bucketBounds(bucketOf(minutes));
      // The board tests add a few pairs of their own (and a tolerance-early one at 0 minutes).
      expect(row.records).toBeGreaterThanOrEqual(PAIRS);
      expect(row).toMatchObject({
        recordsSuppressed: false,
        medianMinutesSuppressed: false,
        p90MinutesSuppressed: false,
      });
      expect(row.medianMinutes).toBeGreaterThanOrEqual(lower);
      expect(row.medianMinutes).toBeLessThanOrEqual(upper);
      expect(row.p90Minutes).toBeGreaterThanOrEqual(lower);
      expect(row.p90Minutes).toBeLessThanOrEqual(upper);
    }
    // Out-of-area beds are placements; nothing identifiable reaches the extract.
    expect(body.placements).toContainEqual({
      period: day,
      measure: 'out-of-area-placements',
      count: PAIRS,
      countSuppressed: false,
    });
    expect(JSON.stringify(body)).not.toMatch(/Polish|Arabic|Welsh|QHM/);
    // Each referral's fact carries its own delays, one per pair.
    const facts = (await Promise.all(['E06000055', 'E06000056'].map((l) => factsOfMonth(l, day.slice(0, 7))))).flat();
    const full = facts.filter((f) => f.logistics?.delays.length === 6);
    expect(full).toHaveLength(PAIRS);
    expect(full[0]!.logistics!.delays.map((d) => [d.cause, d.minutes]).sort()).toEqual(Object.entries(WAITS).sort());
  }, 300_000);

  it('withholds a count of 1-7 and the median of a cause with fewer than 20 records', async () => {
    // One pair on a day of its own (the Hub's clock moved there for this referral's whole flow).
    const at = new Date('2026-11-10T12:00:00Z');
    const real = clock.now;
    try {
      clock.now = () => at;
      const legalStatus = { detainedAt: '2026-11-10T11:00:00Z', arrivedAtPlaceOfSafetyAt: '2026-11-10T11:30:00Z' };
      const r = await createReferral(api, tokens.police, j1Body({ legalStatus }));
      let step = await postEvent(api, tokens.lead, r.id, { type: 'start-review' }, r.etag);
      step = await postEvent(api, tokens.lead, r.id, { type: 'accept', reason: 'Assessment needed.' }, step.etag!);
      step = await postEvent(
        api,
        tokens.lead,
        r.id,
        { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: '2026-11-10T13:00:00Z' },
        step.etag!,
      );
      await send(r.id, step.etag!, [
        { type: 'police-requested', occurredAt: '2026-11-10T11:00:00Z', ground: 'crime' },
        { type: 'police-arrived', occurredAt: '2026-11-10T11:40:00Z' },
      ]);
    } finally {
      clock.now = real;
    }
    await poller.drain();
    const body = (await (
      await api.fetch('/v1/extracts/timings?period=day&from=2026-11-10&to=2026-11-10', { token: tokens.analyst })
    ).json()) as any;
    const rows = body.delaysByCause.filter((r: any) => r.period === '2026-11-10');
    expect(rows.find((r: any) => r.cause === 'police')).toEqual({
      period: '2026-11-10',
      cause: 'police',
      records: null,
      recordsSuppressed: true,
      medianMinutes: null,
      medianMinutesSuppressed: true,
      p90Minutes: null,
      p90MinutesSuppressed: true,
    });
    // No records: nothing to measure (n/a, null), which 0 records already says.
    expect(rows.find((r: any) => r.cause === 'bed')).toEqual({
      period: '2026-11-10',
      cause: 'bed',
      records: 0,
      recordsSuppressed: false,
      medianMinutes: null,
      medianMinutesSuppressed: false,
      p90Minutes: null,
      p90MinutesSuppressed: false,
    });
  });
});

describe("each service's own calendar (DOMAIN §7)", () => {
  it('splits the same referral times differently for a 09:00–17:00 and an 08:00–18:00 service', async () => {
    // Monday 16 November 2026, 08:30 in London (GMT): out of hours at 09:00–17:00, in hours at 08:00–18:00.
    const at = new Date('2026-11-16T08:30:00Z');
    const legalStatus = { detainedAt: '2026-11-16T07:50:00Z', arrivedAtPlaceOfSafetyAt: '2026-11-16T08:20:00Z' };
    const real = clock.now;
    const ids: Record<string, string> = {};
    try {
      clock.now = () => at;
      for (const lssa of ['E06000056', 'E06000057']) {
        const r = await createReferral(api, tokens.policeB, j1Body({ responsibleLssa: lssa, legalStatus }));
        ids[lssa] = r.id;
      }
    } finally {
      clock.now = real;
    }
    await poller.drain();
    const key = await secretKey('pseudonymisationKey');
    const factOf = async (lssa: string) =>
      (await factsOfMonth(lssa, '2026-11')).find((f) => f.factKey === factKeyOf(ids[lssa]!, key))!;
    const [northshire, southvale] = [await factOf('E06000056'), await factOf('E06000057')];
    // The same data otherwise: the same hour, day and legal status.
    expect([northshire.dims.hourOfDay, northshire.dims.dayOfWeek, northshire.dims.legalStatus]).toEqual([
      southvale.dims.hourOfDay,
      southvale.dims.dayOfWeek,
      southvale.dims.legalStatus,
    ]);
    expect(northshire.dims.outOfHours).toBe('true');
    expect(southvale.dims.outOfHours).toBe('false');
    // And the demand extract (the analyst's LSSAs) splits by that calendar.
    const res = await api.fetch('/v1/extracts/demand?period=day&from=2026-11-16&to=2026-11-16&by=outOfHours', {
      token: tokens.analyst,
    });
    const rows = ((await res.json()) as any).rows;
    expect(rows).toEqual([
      { period: '2026-11-16', outOfHours: 'false', count: 0, countSuppressed: false },
      { period: '2026-11-16', outOfHours: 'true', count: null, countSuppressed: true },
    ]);
  });
});
