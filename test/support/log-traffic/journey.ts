/**
 * The log scan's J1 end to end, every field a marker: intake, triage (with its refusals: 403,
 * 409, 412, 428), allocation, assessment, escalation, the bed request and its answer, outcome,
 * amendment, closing, letters; then the reads of it by the service, the referrer and the board.
 */
import { ulid } from 'ulid';
import { expect } from 'vitest';
import { inHour, step, type TrafficClient } from './client.js';
import { M, markedBody, NHS_DIGITS } from './markers.js';

/** J1 end to end; returns the referral (the later areas read and audit it). */
export async function driveJ1(c: TrafficClient): Promise<{ id: string; reference: string }> {
  const { t, send, create, event } = c;
  const first = await create(t.policeA, markedBody());
  expect(first.status, JSON.stringify(first.body)).toBe(201);
  const id: string = first.body.id;
  let etag = first.etag!;
  etag = await step(
    event(t.policeA, id, { type: 'information-added', note: `${M.relative} phoned: ${M.infoNote}` }, etag),
    200,
  );
  etag = await step(event(t.lead, id, { type: 'start-review' }, etag), 200);
  await step(event(t.sam, id, { type: 'accept', reason: `Not mine to decide ${M.triageReason}` }, etag), 403);
  await step(event(t.policeA, id, { type: 'accept', reason: `Referrer trying ${M.triageReason}` }, etag), 403);
  etag = await step(event(t.lead, id, { type: 'accept', reason: `Triage: ${M.triageReason}` }, etag), 200);
  await step(event(t.lead, id, { type: 'accept', reason: `Again ${M.triageReason}` }, etag), 409);
  await step(event(t.lead, id, { type: 'information-added', note: `Stale ${M.infoNote}` }, '"1"'), 412);
  await step(event(t.lead, id, { type: 'information-added', note: `No If-Match ${M.infoNote}` }), 428);
  etag = await step(
    event(t.lead, id, { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: inHour() }, etag),
    200,
  );
  etag = await step(event(t.sam, id, { type: 's12-doctor-requested' }, etag), 200);
  etag = await step(event(t.sam, id, { type: 'start-assessment' }, etag), 200);
  etag = await step(
    event(
      t.sam,
      id,
      {
        type: 'escalated',
        escalationType: 'no-bed',
        bedType: 'adult-acute',
        whereWaiting: 'emergency-department',
        note: `Refused by ${M.escalationNote}`,
      },
      etag,
    ),
    200,
  );
  etag = await step(
    event(
      t.sam,
      id,
      { type: 'bed-requested', bedType: 'adult-acute', sex: 'male', note: `Needs the ${M.bedNote}` },
      etag,
    ),
    200,
  );
  // An outcome without the written reasons it needs: 400, the free text not echoed.
  const noReasons = await event(
    t.sam,
    id,
    { type: 'record-outcome', outcome: 'informal-admission', nextSteps: `Admit to ${M.outcomeSteps}` },
    etag,
  );
  expect(noReasons.status).toBe(400);
  expect(JSON.stringify(noReasons.body)).not.toContain(M.outcomeSteps);

  // The bed manager sees the request (minimum data) and answers it.
  const requests = await send('/v1/bed-requests', t.bea);
  const request = requests.body.items.find((r: any) => r.referralReference === first.body.reference);
  expect(request).toBeDefined();
  expect(
    (
      await send(`/v1/bed-requests/${request.id}/responses`, t.bea, {
        method: 'POST',
        json: { response: 'offered', unitId: 'p-oak-ward', note: `Bed 4 on ${M.bedAnswer}` },
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await send(`/v1/bed-requests/${ulid()}/responses`, t.bea, {
        method: 'POST',
        json: { response: 'none', note: `Nothing at ${M.bedAnswer}` },
      })
    ).status,
  ).toBe(404);

  etag = await step(
    event(
      t.sam,
      id,
      {
        type: 'record-outcome',
        outcome: 'detained-s2',
        nextSteps: `Convey to ${M.outcomeSteps}`,
        reasonsInWriting: `Reasons: ${M.outcomeReasons}`,
      },
      etag,
    ),
    200,
  );
  etag = await step(
    event(
      t.sam,
      id,
      {
        type: 'amend-outcome',
        outcome: 'detained-s3',
        reason: `Wrong section ${M.amendReason}`,
        nextSteps: `Convey to ${M.outcomeSteps}`,
      },
      etag,
    ),
    200,
  );
  etag = await step(event(t.lead, id, { type: 'close', reason: 'other', note: `Closing: ${M.closeNote}` }, etag), 200);
  // Letters put the marked names and plan into the page; none of it reaches a log line.
  expect((await send(`/v1/referrals/${id}/letters/gp`, t.sam)).status).toBe(200);
  expect((await send(`/v1/referrals/${id}/letters/s13-4-reasons`, t.sam)).status).toBe(409);
  return { id, reference: first.body.reference };
}

/** Reads: the service in full, the referrer minimised, the board, the feed, by reference. */
export async function driveReads(c: TrafficClient, id: string, reference: string) {
  const { t, send } = c;
  const full = await send(`/v1/referrals/${id}`, t.lead);
  expect(full.status).toBe(200);
  // The markers did reach the Hub (so their absence from the logs means something).
  for (const marker of [
    M.givenName,
    M.familyName,
    M.dateOfBirth,
    NHS_DIGITS,
    M.postcode,
    M.reason,
    M.riskNote,
    M.coordinatorEmail,
    M.officerPhone,
  ]) {
    expect(JSON.stringify(full.body), marker).toContain(marker);
  }
  expect((await send(`/v1/referrals/${id}/events`, t.lead)).status).toBe(200);
  expect((await send(`/v1/referrals/${id}`, t.policeA)).status).toBe(200);
  expect((await send(`/v1/referrals/${id}/events`, t.policeA)).status).toBe(200);
  expect((await send(`/v1/referrals?reference=${reference}`, t.policeA)).status).toBe(200);
  expect((await send('/v1/referrals?view=board&limit=20', t.lead)).status).toBe(200);
  expect((await send('/v1/referrals?view=feed&limit=20', t.policeA)).status).toBe(200);
}
