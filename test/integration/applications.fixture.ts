/**
 * Issue #22 "Done when", through HTTP on DynamoDB Local: applications with their evidence, the
 * nearest relative (DOMAIN §3.1, §3.2), the s.13(4) letter and the data-quality extract (§7).
 *
 * Split by concern into applications.test.ts (evidence, the s.3 bar, the no-bed pathway, the
 * data-quality extract) and applications-nearest-relative.test.ts (the s.13(4) letter, s.29(4)).
 * This module holds their shared setup and helpers; its hooks run in every file that imports it.
 *
 * Each file keeps its own tables (named before any module reads its configuration) so that the
 * data-quality counts are exactly that file's referrals.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';
import { tableNames } from '../../infra/local/tables.js';
import { createSeededTables } from '../support/own-tables.js';
import { sweepReferral } from '../../functions/clocks/sweep.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { tokensFor } from '../support/tokens.js';
import { createReferral, j1Body, postEvent, readReferral, referralHistory, boardRowOf } from '../support/referrals.js';

export const names = tableNames(`applications-${randomUUID().slice(0, 8)}-`);
for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];

export type Json = Record<string, any>;
export let api: TestApi;
export const tokens = {} as Record<'policeA' | 'lead' | 'sam' | 'alex' | 'southLead' | 'analyst', string>;
/** Every referral this file creates: the data-quality truth is computed from them. */
export const created: string[] = [];

beforeAll(async () => {
  await createSeededTables(names);
  api = await startTestApi();
  Object.assign(tokens, await tokensFor(api, ['policeA', 'lead', 'sam', 'alex', 'southLead', 'analyst']));
});
afterAll(async () => api?.close());

// ---------------------------------------------------------------------------------------------
// Helpers.

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString();
export const ago = (minutes: number) => iso(Date.now() - minutes * MIN);
/** London's calendar date, as statutory forms date examinations and signatures. */
export const londonDay = (ms = Date.now()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(ms));

export const recommendation = (practitioner: string) => ({
  practitioner,
  approval: 's12-approved',
  examinedOn: londonDay(),
  signedOn: londonDay(),
});
/** Complete evidence for an application made now: two recommendations, the AMHP saw the person today. */
export const fullEvidence = {
  hospital: 'Oak Ward, Northshire Mental Health Centre',
  recommendations: [recommendation('Dr A Khan'), recommendation('Dr B Osei')],
  amhpSeenOn: londonDay(),
};

export async function create(body: Json = j1Body()) {
  const referral = await createReferral(api, tokens.policeA, body);
  created.push(referral.id);
  return referral;
}

export async function read(id: string, token = tokens.lead): Promise<Json> {
  return readReferral(api, token, id);
}

export async function history(id: string): Promise<Json[]> {
  return referralHistory(api, tokens.lead, id);
}

/** The referral's row on the service's board (paged until found). */
export async function boardRow(id: string): Promise<Json | undefined> {
  return boardRowOf(api, tokens.lead, id);
}

export const openFlags = (view: Json): string[] =>
  (view.flags ?? [])
    .filter((f: Json) => !f.resolvedAt)
    .map((f: Json) => f.code)
    .sort();
export const clockOf = (view: Json, power: string): Json | undefined =>
  view.clocks.find((c: Json) => c.power === power);

export async function ok(token: string, id: string, event: Json) {
  const res = await postEvent(api, token, id, event);
  expect(res.status, `${event.type}: ${JSON.stringify(res.body)}`).toBe(200);
  return res;
}

/** Accepted by the lead and allocated to `amhpId`. */
export async function allocated(body: Json = j1Body(), amhpId = 'amhp-sam') {
  const referral = await create(body);
  await ok(tokens.lead, referral.id, { type: 'start-review' });
  await ok(tokens.lead, referral.id, { type: 'accept', reason: 'Assessment needed.' });
  await ok(tokens.lead, referral.id, { type: 'allocate', amhpId, expectedAttendanceAt: iso(Date.now() + HOUR) });
  return referral.id;
}

export async function breachesAfterSweep(id: string, at: Date): Promise<Json[]> {
  await sweepReferral(id, at);
  return (await history(id)).filter((e) => e.type === 'clock-breached');
}
