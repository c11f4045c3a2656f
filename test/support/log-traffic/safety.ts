/**
 * The log scan's duty sessions, whereabouts and alerts (DOMAIN §9): Alex (no other file checks
 * Alex in) goes on shift, checks in at a referral, is swept overdue, acknowledged, checks out.
 */
import { ulid } from 'ulid';
import { expect } from 'vitest';
import { sweepAt } from '../alerts.js';
import { inHour, step, type TrafficClient } from './client.js';
import { M, markedBody, NHS_SPACED } from './markers.js';

/** Returns the referral Alex checks in at: no log line of the safety routes or sweep may name it. */
export async function driveSafety(c: TrafficClient): Promise<string> {
  const { api, t, send, create, event } = c;
  const alex = await api.personToken('alex.amhp');
  const visit = await create(t.policeA, markedBody());
  expect(visit.status).toBe(201);
  const whereaboutsReferralId: string = visit.body.id;
  let visitEtag = await step(event(t.lead, visit.body.id, { type: 'start-review' }, visit.etag!), 200);
  visitEtag = await step(
    event(t.lead, visit.body.id, { type: 'accept', reason: `Triage: ${M.triageReason}` }, visitEtag),
    200,
  );
  await step(
    event(t.lead, visit.body.id, { type: 'allocate', amhpId: 'amhp-alex', expectedAttendanceAt: inHour() }, visitEtag),
    200,
  );
  const whereabouts = (token: string, json: unknown) => send('/v1/whereabouts/events', token, { method: 'POST', json });
  const shift = await whereabouts(alex, {
    type: 'on-shift',
    plannedEndAt: inHour(),
    onCallManager: `On call: ${M.onCallManager}`,
  });
  expect([200, 409]).toContain(shift.status);
  expect(
    (await whereabouts(t.lead, { type: 'on-shift', plannedEndAt: inHour(), onCallManager: M.onCallManager })).status,
  ).toBe(403);
  const visitStart = Date.now();
  const checkIn = await whereabouts(alex, {
    type: 'checked-in',
    referralId: visit.body.id,
    expectedFinishAt: new Date(visitStart + 60_000).toISOString(),
  });
  expect(checkIn.status, JSON.stringify(checkIn.body)).toBe(200);
  expect(
    (await whereabouts(alex, { type: 'checked-in', referralId: visit.body.id, expectedFinishAt: inHour() })).status,
  ).toBe(409);
  expect(
    (await whereabouts(t.sam, { type: 'checked-in', referralId: visit.body.id, expectedFinishAt: inHour() })).status,
  ).toBe(400);
  expect(
    (
      await whereabouts(alex, {
        type: 'on-shift',
        plannedEndAt: inHour(),
        onCallManager: `${M.onCallManager} ${NHS_SPACED}`,
        extra: M.addressLine,
      })
    ).status,
  ).toBe(400);
  const panel = await send('/v1/whereabouts', t.lead);
  expect(JSON.stringify(panel.body)).toContain(M.addressLine);
  expect((await send('/v1/whereabouts', alex)).status).toBe(200);
  expect(
    (
      await send('/v1/alert-channel', t.lead, {
        method: 'PUT',
        json: { url: `http://10.0.0.5/${M.webhookPath}/${M.onCallManager}` },
      })
    ).status,
  ).toBe(400);
  // The sweep (at INFO) raises Alex's overdue alert and repeats it; the lead acknowledges; Alex checks out.
  await sweepAt(new Date(visitStart + 45 * 60_000));
  await sweepAt(new Date(visitStart + 56 * 60_000));
  const raised = (await send('/v1/alerts?limit=100', t.lead)).body.items.find(
    (a: any) => a.referralId === visit.body.id,
  );
  expect(raised).toBeDefined();
  expect((await send(`/v1/alerts/${raised.alertId}/acknowledge`, t.lead, { method: 'POST' })).status).toBe(200);
  expect((await send(`/v1/alerts/${raised.alertId}/acknowledge`, t.lead, { method: 'POST' })).status).toBe(409);
  expect((await send(`/v1/alerts/${ulid()}/acknowledge`, t.lead, { method: 'POST' })).status).toBe(404);
  expect((await whereabouts(alex, { type: 'checked-out', safe: true })).status).toBe(200);
  expect((await whereabouts(alex, { type: 'checked-out', safe: true })).status).toBe(409);
  expect((await whereabouts(alex, { type: 'off-shift' })).status).toBe(200);
  return whereaboutsReferralId;
}
