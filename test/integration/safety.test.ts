/**
 * AMHP safety (DOMAIN §9) through the real path: HTTP → handlers → DynamoDB Local (the `safety`
 * table) → the safety sweep (its schedule's declared access enforced) → signed webhooks to a
 * receiver on 127.0.0.1. Time is moved with the clock seam (shared/time.ts) for the sweep, never
 * by sleeping. Kim (amhp-kim) is this file's AMHP: no other test file checks her in.
 *
 * This file keeps its own tables (set before any module reads its configuration): the sweep is
 * global, and other files' sweeps at other times would otherwise raise or repeat this file's
 * alerts (and this file's theirs), which would make counting repeats meaningless.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';
import { localDynamoClient } from '../../infra/local/dynamodb.js';
import { ensureTables, tableNames } from '../../infra/local/tables.js';
import { seedRegistry } from '../../infra/local/seed.js';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import { startAlertReceiver, sweepAt, verifies } from '../support/alerts.js';
import { AlertMessage } from '../../events/schemas/alert-message.js';

process.env.FEEDBACK_SECRET_KEY = Buffer.alloc(32, 11).toString('base64');
const names = tableNames(`safety-${randomUUID().slice(0, 8)}-`);
for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];

let api: TestApi;
let receiver: Awaited<ReturnType<typeof startAlertReceiver>>;
let secret = '';
const tokens = {} as Record<'lead' | 'kim' | 'sam' | 'police', string>;
const minutes = (base: number, m: number) => new Date(base + m * 60_000);

async function call(token: string, path: string, init: { method?: string; json?: unknown } = {}) {
  const res = await api.fetch(path, {
    token,
    ...(init.method ? { method: init.method } : {}),
    ...(init.json !== undefined ? { json: init.json } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}

/** One whereabouts event (DOMAIN §9) as `token`. */
const record = (token: string, json: Record<string, unknown>) =>
  call(token, '/v1/whereabouts/events', { method: 'POST', json });
const onShift = (token: string, minutesLong = 480, onCallManager = 'Out-of-hours manager') =>
  record(token, { type: 'on-shift', plannedEndAt: minutes(Date.now(), minutesLong).toISOString(), onCallManager });

/** Ends anything Kim left open (a re-run against a kept database). */
async function offShift() {
  await record(tokens.kim, { type: 'checked-out', safe: true });
  await record(tokens.kim, { type: 'off-shift' });
}

async function referralAllocatedToKim() {
  const created = await createReferral(api, tokens.police, j1Body({ responsibleLssa: 'E06000055' }));
  let step = await postEvent(api, tokens.lead, created.id, { type: 'start-review' }, created.etag);
  step = await postEvent(
    api,
    tokens.lead,
    created.id,
    { type: 'accept', reason: 'Needs assessment tonight' },
    step.etag!,
  );
  step = await postEvent(
    api,
    tokens.lead,
    created.id,
    { type: 'allocate', amhpId: 'amhp-kim', expectedAttendanceAt: minutes(Date.now(), 60).toISOString() },
    step.etag!,
  );
  expect(step.status).toBe(200);
  return created;
}

/** Kim checks in at the referral's address, expecting to finish in 5 minutes from now (t0). */
async function checkInForFiveMinutes(referralId: string) {
  const t0 = Date.now();
  const checkedIn = await record(tokens.kim, {
    type: 'checked-in',
    referralId,
    expectedFinishAt: minutes(t0, 5).toISOString(),
  });
  return { t0, checkedIn };
}

beforeAll(async () => {
  const client = localDynamoClient(inject('dynamoEndpoint'));
  await ensureTables(client, names);
  await seedRegistry(client, names);
  client.destroy();
  api = await startTestApi();
  tokens.lead = await api.personToken(PEOPLE.lead);
  tokens.kim = await api.personToken('kim.amhp');
  tokens.sam = await api.personToken(PEOPLE.amhp);
  tokens.police = await api.clientToken('police-a-triage');
  receiver = await startAlertReceiver();
  const channel = await call(tokens.lead, '/v1/alert-channel', {
    method: 'PUT',
    json: { url: receiver.url, graceMinutes: 30 },
  });
  expect(channel.status, JSON.stringify(channel.body)).toBe(200);
  expect(channel.body.secret).toMatch(/^whsec_/);
  secret = channel.body.secret;
  await offShift();
});

afterAll(async () => {
  await receiver?.close();
  await api?.close();
});

describe('duty sessions and check-ins', () => {
  it('on-shift, one open session, off-shift; only AMHPs go on shift', async () => {
    const started = await onShift(tokens.kim);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.session).toMatchObject({
      status: 'on-shift',
      amhpId: 'amhp-kim',
      serviceId: 'amhp-service',
      onCallManager: 'Out-of-hours manager',
    });
    expect((await onShift(tokens.kim)).status).toBe(409);
    expect((await onShift(tokens.lead)).status).toBe(403);
    expect(
      (
        await record(tokens.kim, {
          type: 'on-shift',
          plannedEndAt: minutes(Date.now(), -5).toISOString(),
          onCallManager: 'x',
        })
      ).status,
    ).toBe(400);
    // Sam has no session open: Kim's is not his to end.
    expect((await record(tokens.sam, { type: 'off-shift' })).status).toBe(409);
    const ended = await record(tokens.kim, { type: 'off-shift' });
    expect(ended.status).toBe(200);
    expect(ended.body.session).toMatchObject({ sessionId: started.body.session.sessionId, status: 'off-shift' });
    expect((await record(tokens.kim, { type: 'off-shift' })).status).toBe(409);
  });

  it('a check-in needs a session and the allocation', async () => {
    const referral = await referralAllocatedToKim();
    const checkIn = {
      type: 'checked-in',
      referralId: referral.id,
      expectedFinishAt: minutes(Date.now(), 60).toISOString(),
    };
    expect((await record(tokens.kim, checkIn)).status).toBe(409);
    // Sam is not allocated: refused without saying more about the referral.
    expect((await record(tokens.sam, checkIn)).status).toBe(400);
    expect((await record(tokens.kim, { type: 'checked-out', safe: true })).status).toBe(409);
  });
});

describe('an AMHP who checks in and does not check out', () => {
  it('raises safety-check-overdue after the grace, signed, repeated until acknowledged, never after', async () => {
    const referral = await referralAllocatedToKim();
    const shift = await onShift(tokens.kim, 480, 'Jo on call');
    expect(shift.status).toBe(200);
    const session = { body: shift.body.session };
    const { t0, checkedIn } = await checkInForFiveMinutes(referral.id);
    expect(checkedIn.status, JSON.stringify(checkedIn.body)).toBe(200);
    expect(checkedIn.body.checkIn).toMatchObject({
      status: 'checked-in',
      graceMinutes: 30,
      reference: referral.reference,
    });
    const checkInId = checkedIn.body.checkIn.checkInId as string;
    expect(
      (
        await record(tokens.kim, {
          type: 'checked-in',
          referralId: referral.id,
          expectedFinishAt: minutes(t0, 5).toISOString(),
        })
      ).status,
    ).toBe(409);

    // Who is where: the lead sees the check-in and where it is; Kim sees her own, without it; a referrer nothing.
    const panel = await call(tokens.lead, '/v1/whereabouts');
    const row = panel.body.checkIns.find((c: any) => c.checkInId === checkInId);
    expect(row).toMatchObject({ amhpId: 'amhp-kim', referralId: referral.id });
    expect(row.location).toEqual(referral.body.location ?? expect.anything());
    expect(panel.body.sessions.map((s: any) => s.sessionId)).toContain(session.body.sessionId);
    const own = await call(tokens.kim, '/v1/whereabouts');
    expect(own.body.checkIns.map((c: any) => c.checkInId)).toEqual([checkInId]);
    expect(own.body.checkIns[0].location).toBeUndefined();
    expect((await call(tokens.police, '/v1/whereabouts')).status).toBe(401);
    // Not a referral event: the referrer's views (the referral, its events, its feed) know nothing of it.
    const referrerViews = [
      await call(tokens.police, `/v1/referrals/${referral.id}`),
      await call(tokens.police, `/v1/referrals/${referral.id}/events`),
      await call(tokens.lead, `/v1/referrals/${referral.id}/events`),
    ];
    for (const v of referrerViews) {
      expect(v.status).toBe(200);
      for (const needle of [checkInId, session.body.sessionId, 'checked-in', 'Jo on call'])
        expect(JSON.stringify(v.body)).not.toContain(needle);
    }

    // Before the grace has passed: nothing.
    await sweepAt(minutes(t0, 34));
    const alerts = async () =>
      (await call(tokens.lead, '/v1/alerts?limit=100')).body.items.filter(
        (a: any) => a.kind === 'safety-check-overdue' && a.referralId === referral.id,
      );
    expect(await alerts()).toEqual([]);

    // Past it: one alert, its message signed.
    await sweepAt(minutes(t0, 36));
    const [alert] = await alerts();
    expect(alert).toMatchObject({ amhpId: 'amhp-kim', sent: 1, reference: referral.reference });
    const first = receiver.about(alert.alertId);
    expect(first).toHaveLength(1);
    expect(verifies(first[0]!.headers, first[0]!.body, secret)).toBe(true);
    expect(AlertMessage.parse(first[0]!.message)).toMatchObject({
      type: 'alert.safety-check-overdue',
      data: { repeat: 1, untilAcknowledged: true, amhpId: 'amhp-kim' },
    });
    // The message says who and which referral; never the person or the address.
    expect(first[0]!.body).not.toContain(String(referral.body.person?.familyName ?? 'Marsh'));
    if (row.location?.address) expect(first[0]!.body).not.toContain(row.location.address.lines[0]);

    // The same minute again: raised once, not twice.
    await sweepAt(minutes(t0, 37));
    expect(receiver.about(alert.alertId)).toHaveLength(1);
    expect(await alerts()).toHaveLength(1);

    // Every 10 minutes until acknowledged.
    await sweepAt(minutes(t0, 46.5));
    await sweepAt(minutes(t0, 57));
    const repeats = receiver.about(alert.alertId);
    expect(repeats.map((r) => r.message.data.repeat)).toEqual([1, 2, 3]);
    expect(new Set(repeats.map((r) => r.headers['webhook-id'])).size).toBe(3);
    for (const r of repeats) expect(verifies(r.headers, r.body, secret)).toBe(true);

    // Kim cannot acknowledge; the lead does, once.
    expect((await call(tokens.kim, `/v1/alerts/${alert.alertId}/acknowledge`, { method: 'POST' })).status).toBe(403);
    const ack = await call(tokens.lead, `/v1/alerts/${alert.alertId}/acknowledge`, { method: 'POST' });
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    expect(ack.body.acknowledgedAt).toBeDefined();
    expect(ack.body.acknowledgedByAmhpId).toBe('amhp-dana');
    expect((await call(tokens.lead, `/v1/alerts/${alert.alertId}/acknowledge`, { method: 'POST' })).status).toBe(409);

    // Never after.
    for (const m of [67.5, 78, 120, 600]) await sweepAt(minutes(t0, m));
    expect(receiver.about(alert.alertId)).toHaveLength(3);
    const [after] = await alerts();
    expect(after).toMatchObject({ sent: 3, acknowledgedAt: ack.body.acknowledgedAt });
    expect(after.nextRepeatAt).toBeUndefined();

    // Checking out closes it; a checked-out AMHP is never overdue again.
    const out = await record(tokens.kim, { type: 'checked-out', safe: true });
    expect(out.status).toBe(200);
    expect(out.body.checkIn).toMatchObject({ checkInId, status: 'checked-out', safe: true });
    expect((await call(tokens.lead, '/v1/whereabouts')).body.checkIns.map((c: any) => c.checkInId)).not.toContain(
      checkInId,
    );
    expect((await record(tokens.kim, { type: 'off-shift' })).status).toBe(200);

    // The channel's deliveries, for the lead: three, delivered.
    const deliveries = await call(tokens.lead, '/v1/alert-channel/deliveries?limit=100');
    expect(
      deliveries.body.items.filter((d: any) => d.alertId === alert.alertId).map((d: any) => [d.repeat, d.status]),
    ).toEqual([
      [1, 'delivered'],
      [2, 'delivered'],
      [3, 'delivered'],
    ]);
  });

  it('an AMHP who checks out in time raises nothing', async () => {
    const referral = await referralAllocatedToKim();
    expect((await onShift(tokens.kim)).status).toBe(200);
    const { t0, checkedIn } = await checkInForFiveMinutes(referral.id);
    expect(checkedIn.status).toBe(200);
    expect((await record(tokens.kim, { type: 'checked-out', safe: true })).status).toBe(200);
    await sweepAt(minutes(t0, 40));
    const items = (await call(tokens.lead, '/v1/alerts?limit=100')).body.items;
    expect(items.filter((a: any) => a.referralId === referral.id && a.kind === 'safety-check-overdue')).toEqual([]);
    expect((await record(tokens.kim, { type: 'off-shift' })).status).toBe(200);
  });
});

describe('over-hours', () => {
  it('fires once per session after 12 hours on shift', async () => {
    const shift = await onShift(tokens.kim, 600, 'Jo');
    expect(shift.status).toBe(200);
    const started = { body: shift.body.session };
    const t0 = Date.parse(started.body.startedAt);
    const overHours = async () =>
      (await call(tokens.lead, '/v1/alerts?limit=100')).body.items.filter(
        (a: any) => a.kind === 'over-hours' && a.amhpId === 'amhp-kim',
      );
    const before = (await overHours()).length;
    await sweepAt(minutes(t0, 12 * 60 - 1));
    expect(await overHours()).toHaveLength(before);
    await sweepAt(minutes(t0, 12 * 60 + 1));
    await sweepAt(minutes(t0, 12 * 60 + 2));
    const raised = await overHours();
    expect(raised).toHaveLength(before + 1);
    const alert = raised[0];
    expect(receiver.about(alert.alertId).map((r) => r.message.type)).toEqual(['alert.over-hours']);
    // The lead acknowledges; later sweeps raise no second over-hours for this session.
    expect((await call(tokens.lead, `/v1/alerts/${alert.alertId}/acknowledge`, { method: 'POST' })).status).toBe(200);
    for (const m of [13 * 60, 16 * 60, 24 * 60]) await sweepAt(minutes(t0, m));
    expect(await overHours()).toHaveLength(before + 1);
    expect(receiver.about(alert.alertId)).toHaveLength(1);
    const panel = await call(tokens.lead, '/v1/whereabouts');
    expect(panel.body.sessions.find((s: any) => s.sessionId === started.body.sessionId)?.overHoursAlertId).toBe(
      alert.alertId,
    );
    expect((await record(tokens.kim, { type: 'off-shift' })).status).toBe(200);
    // A new session is a new over-hours alert, once.
    const next = await onShift(tokens.kim, 600, 'Jo');
    const t1 = Date.parse(next.body.session.startedAt);
    await sweepAt(minutes(t1, 12 * 60 + 1));
    await sweepAt(minutes(t1, 12 * 60 + 30));
    const again = await overHours();
    expect(again).toHaveLength(before + 2);
    expect(again[0].alertId).not.toBe(alert.alertId);
    expect((await call(tokens.lead, `/v1/alerts/${again[0].alertId}/acknowledge`, { method: 'POST' })).status).toBe(
      200,
    );
    expect((await record(tokens.kim, { type: 'off-shift' })).status).toBe(200);
  });
});

describe('the alert channel', () => {
  it('is the lead’s: the secret never shown again; a delivered message replayed', async () => {
    expect((await call(tokens.kim, '/v1/alert-channel', { method: 'PUT', json: { url: receiver.url } })).status).toBe(
      403,
    );
    const deliveries = await call(tokens.lead, '/v1/alert-channel/deliveries?status=delivered&limit=5');
    expect(deliveries.status).toBe(200);
    const one = deliveries.body.items[0];
    expect(one).toBeDefined();
    expect(JSON.stringify(deliveries.body)).not.toContain('whsec_');
    const replayed = await call(tokens.lead, `/v1/alert-channel/deliveries/${one.id}/replay`, { method: 'POST' });
    // Acknowledged alerts are never sent again; anything else is pending again.
    expect([202, 409]).toContain(replayed.status);
    if (replayed.status === 202) expect(replayed.body).toMatchObject({ status: 'pending', replays: 1 });
  });
});
