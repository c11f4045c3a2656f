/**
 * The bed-finding ladder (DOMAIN §9; issue #20): a bed request starts the ladder, each step with
 * its target time on the record; a missed step escalates (`escalated`, reason no-bed) exactly
 * once across two sweeps, two racing sweeps and a restart (fresh module state); a bed found
 * (here out of area, with its ICB) stops it. The s.140 register is readable by the lead and bed
 * managers only. Own tables, so no other file's ladders are swept here.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';
import { tableNames } from '../../infra/local/tables.js';
import { DEFAULT_BED_LADDER } from '../../shared/domain/bed-ladder.js';
import { createSeededTables } from '../support/own-tables.js';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';
import {
  allocateToSam,
  boardRowOf,
  createReferral,
  postEvent,
  readReferral,
  referralHistory,
} from '../support/referrals.js';

const names = tableNames(`ladder-${randomUUID().slice(0, 8)}-`);
for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];

let api: TestApi;
const tokens = {} as Record<'police' | 'lead' | 'sam' | 'beds' | 'bedsQ', string>;
type SweepModule = typeof import('../../functions/beds/ladder-sweep.js');
/** The sweep as a fresh process would load it: no state carried over from a previous run. */
const freshSweep = async (): Promise<SweepModule> => {
  vi.resetModules();
  return import('../../functions/beds/ladder-sweep.js');
};

const MIN = 60_000;

beforeAll(async () => {
  await createSeededTables(names);
  api = await startTestApi();
  tokens.police = await api.clientToken('police-a-triage');
  tokens.lead = await api.personToken(PEOPLE.lead);
  tokens.sam = await api.personToken(PEOPLE.amhp);
  tokens.beds = await api.personToken(PEOPLE.beds);
  tokens.bedsQ = await api.clientToken('provider-q-beds');
}, 120_000);

afterAll(async () => {
  await api?.close();
});

/** A referral allocated to Sam with a bed asked for `minutesAgo` minutes ago. */
async function withBedRequest(minutesAgo: number): Promise<{ id: string; requestedAt: number; bedRequestId: string }> {
  const r = await createReferral(api, tokens.police);
  let step = await allocateToSam(api, tokens.lead, r, 'Assessment needed.');
  const requestedAt = Date.now() - minutesAgo * MIN;
  step = await postEvent(
    api,
    tokens.sam,
    r.id,
    { type: 'bed-requested', occurredAt: new Date(requestedAt).toISOString(), bedType: 'adult-acute', sex: 'male' },
    step.etag!,
  );
  expect(step.status).toBe(200);
  const history = await referralHistory(api, tokens.lead, r.id);
  const requested = history.find((e) => e.type === 'bed-requested')!;
  return { id: r.id, requestedAt: Date.parse(requested.occurredAt), bedRequestId: String(requested.data.bedRequestId) };
}

const escalations = async (id: string) =>
  (await referralHistory(api, tokens.lead, id)).filter((e) => e.type === 'escalated');

describe('the bed-finding ladder', () => {
  it('records each step with its target time when the bed is requested', async () => {
    const { id, requestedAt } = await withBedRequest(0);
    const requested = (await referralHistory(api, tokens.lead, id)).find((e) => e.type === 'bed-requested')!;
    expect(requested.data.ladder).toEqual(
      DEFAULT_BED_LADDER.map((s, i) => ({
        step: i + 1,
        level: s.level,
        targetAt: new Date(requestedAt + s.targetMinutes * MIN).toISOString(),
      })),
    );
    expect(requested.data.ladder.map((s: any) => s.level)).toEqual([
      'provider-bed-manager',
      'provider-on-call-manager',
      'icb-s140-contact',
    ]);
    // The bed is a wait on the board until found.
    expect((await boardRowOf(api, tokens.lead, id))!.waitingFor).toEqual([
      { cause: 'bed', since: new Date(requestedAt).toISOString() },
    ]);
  });

  it('escalates a missed step exactly once across two sweeps, two racing sweeps and a restart', async () => {
    const { id, requestedAt, bedRequestId } = await withBedRequest(61);
    const versionBefore = (await readReferral(api, tokens.lead, id)).version;
    let sweep = await freshSweep();
    const now = new Date();
    expect(await sweep.sweepLadder(id, now)).toBe(1);
    expect(await sweep.sweepLadder(id, now)).toBe(0);
    const racing = await Promise.all([sweep.sweepLadders(now), sweep.sweepLadders(now)]);
    expect(racing.reduce((n, r) => n + r.events, 0)).toBe(0);
    sweep = await freshSweep();
    expect((await sweep.sweepLadders(new Date(now.getTime() + 30_000))).events).toBe(0);

    let escalated = await escalations(id);
    expect(escalated).toHaveLength(1);
    expect(escalated[0]!.data).toEqual({
      reason: 'no-bed',
      escalationType: 'no-bed',
      ladderStep: 1,
      level: 'provider-bed-manager',
      targetAt: new Date(requestedAt + 60 * MIN).toISOString(),
      escalatedTo: 'provider-on-call-manager',
      nextTargetAt: new Date(requestedAt + 120 * MIN).toISOString(),
      bedRequestId,
      bedType: 'adult-acute',
    });
    // A system event: the person's ETag (version) does not move, so no AMHP's update fails.
    expect((await readReferral(api, tokens.lead, id)).version).toBe(versionBefore);

    // Racing sweeps when the next target has passed: one escalation between them.
    const later = new Date(requestedAt + 121 * MIN);
    const [a, b] = await Promise.all([sweep.sweepLadder(id, later), (await freshSweep()).sweepLadder(id, later)]);
    expect(a + b).toBe(1);
    escalated = await escalations(id);
    expect(escalated.map((e) => [e.data.ladderStep, e.data.level, e.data.escalatedTo])).toEqual([
      [1, 'provider-bed-manager', 'provider-on-call-manager'],
      [2, 'provider-on-call-manager', 'icb-s140-contact'],
    ]);
  });

  it('stops when a bed is found out of area (with its ICB), and counts the bed wait answered', async () => {
    const { id, bedRequestId } = await withBedRequest(30);
    const answer = await api.fetch(`/v1/bed-requests/${bedRequestId}/responses`, {
      method: 'POST',
      token: tokens.beds,
      json: { response: 'out-of-area', icb: 'QHM', note: 'Southvale has a bed' },
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as any).status).toBe('closed');
    const sweep = await freshSweep();
    expect(await sweep.sweepLadder(id, new Date(Date.now() + 6 * 60 * MIN))).toBe(0);
    expect(await escalations(id)).toEqual([]);
    expect((await boardRowOf(api, tokens.lead, id))!.waitingFor).toEqual([]);
    const answered = (await referralHistory(api, tokens.lead, id)).find((e) => e.type === 'bed-request-answered')!;
    expect(answered.data).toMatchObject({ response: 'out-of-area', icb: 'QHM' });
  });

  it('refuses an out-of-area answer without its ICB, and an ICB on any other answer', async () => {
    const { bedRequestId } = await withBedRequest(5);
    const post = (json: unknown) =>
      api.fetch(`/v1/bed-requests/${bedRequestId}/responses`, { method: 'POST', token: tokens.beds, json });
    expect((await post({ response: 'out-of-area' })).status).toBe(400);
    expect((await post({ response: 'none', icb: 'QHM' })).status).toBe(400);
  });

  it('stops when the AMHP records the bed identified, and when the referral closes', async () => {
    const found = await withBedRequest(300);
    const read = await api.fetch(`/v1/referrals/${found.id}`, { token: tokens.sam });
    const res = await postEvent(
      api,
      tokens.sam,
      found.id,
      { type: 'bed-identified', outOfArea: false },
      read.headers.get('etag')!,
    );
    expect(res.status).toBe(200);
    const sweep = await freshSweep();
    expect(await sweep.sweepLadder(found.id, new Date())).toBe(0);

    const closed = await withBedRequest(300);
    const readClosed = await api.fetch(`/v1/referrals/${closed.id}`, { token: tokens.lead });
    const close = await postEvent(
      api,
      tokens.lead,
      closed.id,
      { type: 'close', reason: 'no-longer-required' },
      readClosed.headers.get('etag')!,
    );
    expect(close.status).toBe(200);
    expect(await sweep.sweepLadder(closed.id, new Date())).toBe(0);
    expect(await escalations(closed.id)).toEqual([]);
  });

  it('escalates every missed step of a request made long ago, in order, once (the sweep was down)', async () => {
    const { id } = await withBedRequest(5 * 60);
    const sweep = await freshSweep();
    const result = await sweep.sweepLadders(new Date());
    expect(result.events).toBeGreaterThanOrEqual(3);
    expect((await escalations(id)).map((e) => [e.data.ladderStep, e.data.escalatedTo])).toEqual([
      [1, 'provider-on-call-manager'],
      [2, 'icb-s140-contact'],
      [3, 'amhp-lead'],
    ]);
    expect((await sweep.sweepLadders(new Date())).events).toBe(0);
    // Counted with the escalations (no-bed) the extracts report.
    const history = await referralHistory(api, tokens.lead, id);
    expect(history.filter((e) => e.type === 'escalated').every((e) => e.organisationId === 'hub')).toBe(true);
  });
});

describe('the s.140 register', () => {
  it('is registry data the lead and bed managers read, per ICB', async () => {
    for (const token of [tokens.lead, tokens.beds, tokens.bedsQ]) {
      const res = await api.fetch('/v1/s140-register', { token });
      expect(res.status).toBe(200);
      const body = (await res.json()) as any;
      expect(body.items.map((e: any) => e.icb)).toEqual(['QHG', 'QHM']);
      expect(body.items[0]).toMatchObject({
        urgentUnits: ['p-oak-ward', 'p-elm-ward'],
        specialUrgencyUnits: ['p-ash-picu'],
        under18Arrangements: expect.any(String),
        contact24h: expect.any(String),
      });
    }
    const one = (await (await api.fetch('/v1/s140-register?icb=QHM', { token: tokens.lead })).json()) as any;
    expect(one.items.map((e: any) => e.icb)).toEqual(['QHM']);
  });

  it(
    'is not for AMHPs (403), nor for referrers or analysts, ' + 'whose tokens lack the scope (401, as the authorizer)',
    async () => {
      expect((await api.fetch('/v1/s140-register', { token: tokens.sam })).status).toBe(403);
      for (const token of [tokens.police, await api.clientToken('analytics-dashboard')]) {
        expect((await api.fetch('/v1/s140-register', { token })).status).toBe(401);
      }
    },
  );
});
