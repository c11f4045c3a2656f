/**
 * Issue #14, "Seen on the local stack": each bullet reproduced through HTTP on DynamoDB Local,
 * asserting the lawful answer (DOMAIN §2, §3.1, §4). The Hub refuses what the Hub decides — a
 * 400/403/409 problem naming the rule (`code`, and `errors[].pointer` for a 400) with the
 * referral unchanged — and records and flags what happened: a running clock, an ended clock, a
 * raised (and, when the facts change, resolved) flag on the referral and its board row.
 *
 * Split by concern into lawful-lifecycle-allocation.test.ts, lawful-lifecycle-clocks.test.ts.
 * This module holds their shared setup and helpers; its hooks run in every file that imports it.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { tokensFor } from '../support/tokens.js';
import { createReferral, j1Body, postEvent, readReferral, referralHistory, boardRowOf } from '../support/referrals.js';
import { sweepReferral } from '../../functions/clocks/sweep.js';

export let api: TestApi;
export const tokens = {} as Record<'policeA' | 'cmht' | 'lead' | 'sam' | 'alex' | 'leadSystem' | 'beds', string>;

beforeAll(async () => {
  api = await startTestApi();
  Object.assign(tokens, await tokensFor(api, ['policeA', 'cmht', 'lead', 'sam', 'alex', 'leadSystem', 'beds']));
});
afterAll(async () => api.close());

// ---------------------------------------------------------------------------------------------
// Helpers.

export type Json = Record<string, any>;
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const iso = (ms: number) => new Date(ms).toISOString();
export const ago = (minutes: number) => iso(Date.now() - minutes * MIN);
export const inHours = (h: number) => iso(Date.now() + h * HOUR);

/** The service's view of a referral, as the lead reads it. */
export async function read(id: string): Promise<Json> {
  return readReferral(api, tokens.lead, id);
}

export async function history(id: string): Promise<Json[]> {
  return referralHistory(api, tokens.lead, id);
}

/** The referral's row on the service's board (paged until found), or undefined when off it. */
export async function boardRow(id: string): Promise<Json | undefined> {
  return boardRowOf(api, tokens.lead, id);
}

export const clockOf = (view: Json, power: string): Json | undefined =>
  view.clocks.find((c: Json) => c.power === power);
export const openFlagCodes = (view: Json): string[] =>
  (view.flags ?? []).filter((f: Json) => !f.resolvedAt).map((f: Json) => f.code);

/** The parts of the referral a refused event must not change. */
export async function snapshot(id: string) {
  const view = await read(id);
  const people = (await history(id)).filter((e) => !e.system).length;
  return {
    version: view.version,
    status: view.status,
    allocation: view.allocation ?? null,
    coAllocations: view.coAllocations ?? null,
    outcome: view.outcome ?? null,
    flags: view.flags ?? null,
    clockStarts: view.clocks.map((c: Json) => [
      c.power,
      c.startsAt,
      c.expiresAt,
      c.extendedUntil ?? null,
      c.endedAt ?? null,
    ]),
    personEvents: people,
  };
}

/**
 * Posts an event that must be refused: the problem names the rule (`code`, and the field for a
 * 400), and nothing is written (re-read: version, status, allocation, outcome, flags, clocks and
 * the history the same).
 */
export async function expectRefused(
  id: string,
  token: string,
  event: Json,
  status: 400 | 403 | 409,
  code: string,
  pointer?: string,
): Promise<Json> {
  const before = await snapshot(id);
  const res = await postEvent(api, token, id, event);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.code, JSON.stringify(res.body)).toBe(code);
  if (pointer !== undefined) expect(res.body.errors.map((e: Json) => e.pointer)).toContain(pointer);
  expect(await snapshot(id)).toEqual(before);
  return res.body;
}

export async function ok(token: string, id: string, event: Json, etag?: string) {
  const res = await postEvent(api, token, id, event, etag);
  expect(res.status, `${event.type}: ${JSON.stringify(res.body)}`).toBe(200);
  return res;
}

/** Created by `referrer`, reviewed and accepted by the lead (who is therefore its reviewer), allocated to `amhpId`. */
export async function allocatedReferral(body: Json = j1Body(), amhpId = 'amhp-sam', referrer = tokens.policeA) {
  const created = await createReferral(api, referrer, body);
  let step = await ok(tokens.lead, created.id, { type: 'start-review' }, created.etag);
  step = await ok(tokens.lead, created.id, { type: 'accept', reason: 'Assessment needed.' }, step.etag!);
  step = await ok(tokens.lead, created.id, { type: 'allocate', amhpId, expectedAttendanceAt: inHours(1) }, step.etag!);
  expect(step.body.allocation.amhpId).toBe(amhpId);
  return { ...created, etag: step.etag! };
}

/** An s.136 detention 35 minutes ago, the person still on the way: no place of safety yet. */
export function inTransit(person: Json = {}): Json {
  const body = j1Body({
    person,
    legalStatus: { arrivedAtPlaceOfSafetyAt: undefined, placeOfSafetyType: undefined, placeOfSafetySiteId: undefined },
  });
  body.location = { type: 'public-place', address: { lines: ['Level 4, Riverside multi-storey car park'] } };
  return JSON.parse(JSON.stringify(body));
}

/** At a police station under s.136 from intake. */
export function atPoliceStation(person: Json = {}, legalStatus: Json = {}): Json {
  const body = j1Body({
    person,
    legalStatus: { placeOfSafetyType: 'police-station', placeOfSafetySiteId: undefined, ...legalStatus },
  });
  body.location = { type: 'police-station', address: { lines: ['Northshire Central Police Station'] } };
  return JSON.parse(JSON.stringify(body));
}

/** Today's calendar date in London as YYYY-MM-DD. */
export const londonToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
/** A date of birth `years` years before London's today, moved `extraDays` further back (negative: forward). */
export function bornYearsAgo(years: number, extraDays = 0): string {
  const [y, m, d] = londonToday().split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y - years, m - 1, d));
  date.setUTCDate(date.getUTCDate() - extraDays);
  return date.toISOString().slice(0, 10);
}

/** The bed search's age bands (DOMAIN §5), from whole years. */
export const bandOf = (age: number): string =>
  age >= 65
    ? '65+'
    : age >= 55
      ? '55-64'
      : age >= 45
        ? '45-54'
        : age >= 35
          ? '35-44'
          : age >= 25
            ? '25-34'
            : age >= 18
              ? '18-24'
              : '0-17';

export const EXTENSION = {
  type: 'clock-extended',
  power: 's136',
  hours: 6,
  ground: 'condition-makes-assessment-impracticable',
  authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' },
  amhpConsulted: 'yes',
} as const;

/** Runs the clock sweep over one referral at an injected time; returns the clock-breached events it now has. */
export async function breachesAfterSweep(id: string, at: Date): Promise<Json[]> {
  await sweepReferral(id, at);
  return (await history(id)).filter((e) => e.type === 'clock-breached');
}
