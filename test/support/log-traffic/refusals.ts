/**
 * The log scan's refused requests, the markers in every one: intake errors (400, 401, 413, 415,
 * 422), not found with markers where an id should be, and an unknown error inside a handler.
 */
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { expect } from 'vitest';
import { SECRET_LOOKING_MESSAGE } from '../fixtures.js';
import type { TrafficClient } from './client.js';
import { BAD_NHS_SPACED, M, markedBody, NHS_DIGITS, NHS_SPACED } from './markers.js';

/** Intake errors, the markers in every refused body. */
export async function driveIntakeErrors(c: TrafficClient) {
  const { t, send, create } = c;
  const invalidNhs = markedBody();
  invalidNhs.person.nhsNumber = BAD_NHS_SPACED;
  expect((await create(t.policeA, invalidNhs)).status).toBe(400);
  const futureDob = markedBody();
  futureDob.person.dateOfBirth = M.futureDateOfBirth;
  expect((await create(t.policeA, futureDob)).status).toBe(400);
  expect(
    (await create(t.policeA, { ...markedBody(), notes: `${M.givenName} ${M.familyName} ${NHS_DIGITS}` })).status,
  ).toBe(400);
  expect((await create(t.policeA, { ...markedBody(), responsibleLssa: 'E06000999' })).status).toBe(400);
  const malformed =
    `{"person":{"givenName":"${M.givenName}","familyName":"${M.familyName}",` + `"nhsNumber":"${NHS_DIGITS}"`;
  expect(
    (
      await send('/v1/referrals', t.policeA, {
        method: 'POST',
        body: malformed,
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      })
    ).status,
  ).toBe(400);
  expect(
    (
      await send('/v1/referrals', t.policeA, {
        method: 'POST',
        body: JSON.stringify(markedBody()),
        headers: { 'Content-Type': 'text/plain', 'Idempotency-Key': randomUUID() },
      })
    ).status,
  ).toBe(415);
  expect(
    (await create(t.policeA, { ...markedBody(), reasonForReferral: `${M.reason} ${NHS_SPACED} `.repeat(3_000) }))
      .status,
  ).toBe(413);
  expect((await create(t.policeA, markedBody(), 'x')).status).toBe(400); // an Idempotency-Key too short
  const key = randomUUID();
  expect((await create(t.policeA, markedBody(), key)).status).toBe(201);
  expect((await create(t.policeA, { ...markedBody(), reasonForReferral: `Changed ${M.reason}` }, key)).status).toBe(
    422,
  );
  expect((await create(undefined, markedBody())).status).toBe(401);
  expect((await create(t.bedsP, markedBody())).status).toBe(401);
}

/** Not found, with markers where an id should be. */
export async function driveNotFound(c: TrafficClient, id: string) {
  const { t, send, event } = c;
  expect((await send(`/v1/referrals/${ulid()}`, t.lead)).status).toBe(404);
  expect((await send(`/v1/referrals/${M.givenName}-${NHS_DIGITS}`, t.lead)).status).toBe(404);
  expect(
    (await event(t.lead, ulid(), { type: 'information-added', note: `${M.infoNote} ${NHS_SPACED}` }, '"1"')).status,
  ).toBe(404);
  expect((await send(`/v1/referrals/${id}`, t.policeB)).status).toBe(404);
  expect((await send(`/v1/referrals?reference=${M.givenName}`, t.policeA)).status).toBe(200);
  expect((await send(`/v1/referrals?name=${M.givenName}&nhsNumber=${NHS_DIGITS}`, t.policeA)).status).toBe(400);
  expect((await send(`/v1/amhps/${M.familyName}`, t.lead)).status).toBe(404);
}

/** An unknown error inside a handler (its message quotes data). */
export async function driveCrash(c: TrafficClient) {
  const { t, send } = c;
  const crash = await send('/test/boom', t.lead, { method: 'POST' });
  expect(crash.status).toBe(500);
  expect(JSON.stringify(crash.body)).not.toContain(SECRET_LOOKING_MESSAGE.slice(0, 10));
}
