/**
 * DOMAIN §8: "Logs carry ids and codes, never identifiable values; errors never echo submitted
 * values." Realistic traffic with seeded identities through the in-process API, every value a
 * distinctive marker (names, NHS numbers, dates of birth, phones, addresses, e-mails, free text),
 * through intake, triage, allocation, assessment, outcome, closing, withdrawal, bed requests,
 * capacity, subscriptions, audit queries and extracts, and through the errors (400, 401, 403,
 * 404, 409, 412, 413, 415, 422, 428, 500) with the markers in the refused requests. Everything
 * the process writes meanwhile is captured (stdout, stderr, console) and scanned: no marker may
 * appear. The logger logs at INFO here (the run's default is WARN), so every request line counts.
 */
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../shared/logger.js';
import { nhsCheckDigit } from '../../shared/domain/nhs-number.js';
import { startTestApi, uniqueId, type TestApi } from '../support/api.js';
import { boom, SECRET_LOOKING_MESSAGE } from '../support/fixtures.js';
import { j1Body } from '../support/referrals.js';
import { captureOutput } from '../support/security-capture.js';
import { multilineBoom } from '../support/security-fixtures.js';
import { sweepAt } from '../support/alerts.js';

process.env.FEEDBACK_SECRET_KEY ??= Buffer.alloc(32, 11).toString('base64');

// ---------------------------------------------------------------------------------------------
// The markers: values no log line has any reason to contain.

const NHS_DIGITS = `450557710${nhsCheckDigit('450557710')}`; // a valid NHS number
const NHS_SPACED = `${NHS_DIGITS.slice(0, 3)} ${NHS_DIGITS.slice(3, 6)} ${NHS_DIGITS.slice(6)}`;
const BAD_NHS_DIGITS = `450557710${(nhsCheckDigit('450557710')! + 1) % 10}`; // wrong check digit
const BAD_NHS_SPACED = `${BAD_NHS_DIGITS.slice(0, 3)} ${BAD_NHS_DIGITS.slice(3, 6)} ${BAD_NHS_DIGITS.slice(6)}`;

const M = {
  givenName: 'Zanthorpe',
  familyName: 'Quillisande',
  dateOfBirth: '1983-07-19',
  futureDateOfBirth: '2091-03-17',
  addressLine: 'Larkspur Mansions',
  street: 'Wendlebury Row',
  postcode: 'MK41 9ZX',
  placeDescription: 'Gorsebrook bus depot',
  officer: 'Ambrose Fennimore',
  officerPhone: '7700 900318',
  officerEmail: 'ambrose.fennimore@police-a.example',
  reason: 'Wyvernholt',
  alternatives: 'Kestrelmoor',
  riskNote: 'Brisingamen',
  relative: 'Perpetua',
  relativePhone: '7700 900417',
  gpPractice: 'Glebefield Surgery',
  gpPhone: '01632 960555',
  coordinator: 'Casimir Ondaatje',
  coordinatorPhone: '01632 960777',
  coordinatorEmail: 'casimir.ondaatje@nhs.example',
  communication: 'Yseult',
  description: 'Lindisfarne-tattoo',
  triageReason: 'Halcyonfield',
  notAcceptReason: 'Pellucidar',
  nextSteps: 'Marrowfield',
  infoNote: 'Saltwhistle',
  escalationNote: 'Nightjarward',
  bedNote: 'Thornbury side room',
  bedAnswer: 'Quarrendon',
  outcomeSteps: 'Tamsinfold',
  outcomeReasons: 'Mirabeth',
  amendReason: 'Oxenholme',
  withdrawReason: 'Fellwarden',
  closeNote: 'Brackenridge',
  unitName: 'Cloudberry Ward',
  unitContact: '01632 960888',
  webhookPath: 'Sparrowhawke',
  onCallManager: 'Vavasour Kingsettle',
} as const;

const MARKERS: string[] = [
  ...Object.values(M),
  NHS_DIGITS,
  NHS_SPACED,
  BAD_NHS_DIGITS,
  BAD_NHS_SPACED,
  // The single-line crash fixture's message (a name, an NHS number, an address).
  ...['Jane Example', '943 476 5919', '1 Test Street'].filter((part) => SECRET_LOOKING_MESSAGE.includes(part)),
  '9434765919',
];

// ---------------------------------------------------------------------------------------------

let api: TestApi;
const t = {} as Record<
  'policeA' | 'policeB' | 'ae' | 'lead' | 'sam' | 'bedsP' | 'bea' | 'auditor' | 'dashboard' | 'pipeline',
  string
>;
let levelBefore: Parameters<typeof logger.setLogLevel>[0];

beforeAll(async () => {
  api = await startTestApi({ fixtures: [boom, multilineBoom] });
  t.policeA = await api.clientToken('police-a-triage');
  t.policeB = await api.clientToken('police-b-hub');
  t.ae = await api.clientToken('ae-liaison-system');
  t.lead = await api.personToken('dana.lead');
  t.sam = await api.personToken('sam.amhp');
  t.bedsP = await api.clientToken('provider-p-beds');
  t.bea = await api.personToken('bea.beds');
  t.auditor = await api.personToken('ian.ig');
  t.dashboard = await api.clientToken('analytics-dashboard');
  t.pipeline = await api.clientToken('analytics-pipeline');
  // vitest.config sets POWERTOOLS_LOG_LEVEL=WARN for the run; this file needs every INFO line.
  levelBefore = logger.getLevelName() as typeof levelBefore;
  logger.setLogLevel('INFO');
});
afterAll(async () => {
  logger.setLogLevel(levelBefore);
  await api?.close();
});

/** A referral body whose every identifiable field is a marker. */
function markedBody() {
  const body = j1Body({
    person: {
      givenName: M.givenName,
      familyName: M.familyName,
      dateOfBirth: M.dateOfBirth,
      nhsNumber: NHS_SPACED,
      communicationNeeds: `Prefers an interpreter called ${M.communication}`,
    },
  });
  body.referrer = {
    name: `PC ${M.officer}`,
    role: 'Street triage officer',
    callbackPhone: `+44 ${M.officerPhone}`,
    email: M.officerEmail,
    referrerReference: `INC-${ulid().slice(-8)}`,
  };
  body.location = {
    type: 'public-place',
    address: { lines: [`Flat 7 ${M.addressLine}`, `12 ${M.street}`], postcode: M.postcode },
    description: `Behind the ${M.placeDescription}`,
  };
  body.reasonForReferral = `Found on ${M.reason} bridge, distressed and talking about ending his life.`;
  body.alternativesTried = `Spoke with the ${M.alternatives} crisis line.`;
  body.risk = { ...body.risk, notes: `Carried a ${M.riskNote} blade earlier.` };
  body.nearestRelative = {
    known: true,
    name: `${M.relative} ${M.familyName}`,
    relationship: 'sister',
    contact: `+44 ${M.relativePhone}`,
  };
  body.gp = { practiceName: M.gpPractice, phone: M.gpPhone };
  body.careCoordinator = {
    name: M.coordinator,
    team: 'Riverside CMHT',
    phone: M.coordinatorPhone,
    email: M.coordinatorEmail,
  };
  return body;
}

let seq = 0;
const sent: { correlationId: string; status: number }[] = [];
/** One request with its own correlation id (so the capture can be tied to the traffic). */
async function send(
  path: string,
  token: string | undefined,
  init: { method?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
) {
  const correlationId = `logscan-${String(++seq).padStart(4, '0')}`;
  const res = await api.fetch(path, {
    ...(token ? { token } : {}),
    ...(init.method ? { method: init.method } : {}),
    ...(init.json !== undefined ? { json: init.json } : {}),
    ...(init.body !== undefined ? { body: init.body } : {}),
    headers: { 'X-Correlation-ID': correlationId, ...(init.headers ?? {}) },
  });
  const text = await res.text();
  sent.push({ correlationId, status: res.status });
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* CSV or empty */
  }
  return { status: res.status, etag: res.headers.get('etag') ?? undefined, body };
}
const create = (token: string | undefined, json: unknown, key: string = randomUUID()) =>
  send('/v1/referrals', token, { method: 'POST', json, headers: { 'Idempotency-Key': key } });
const event = (token: string, id: string, json: unknown, etag?: string) =>
  send(`/v1/referrals/${id}/events`, token, { method: 'POST', json, headers: etag ? { 'If-Match': etag } : {} });
const inHour = () => new Date(Date.now() + 3_600_000).toISOString();

/** Expects `status` and returns the new ETag. */
async function step(
  res: Promise<{ status: number; etag?: string | undefined; body: any }>,
  status: number,
): Promise<string> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.etag ?? '';
}

/** The referral Alex checks in at: no log line of the safety routes or sweep may name it. */
let whereaboutsReferralId = '';

async function driveTraffic() {
  // ---- J1 end to end, every field a marker -------------------------------------------------
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

  // Reads: the service in full, the referrer minimised, the board, the feed, by reference.
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
  expect((await send(`/v1/referrals?reference=${first.body.reference}`, t.policeA)).status).toBe(200);
  expect((await send('/v1/referrals?view=board&limit=20', t.lead)).status).toBe(200);
  expect((await send('/v1/referrals?view=feed&limit=20', t.policeA)).status).toBe(200);

  // ---- A possible duplicate from another agency, then not accepted -------------------------
  const dup = await create(t.ae, { ...markedBody(), urgency: 'today' });
  expect(dup.status).toBe(201);
  let dupTag = dup.etag!;
  dupTag = await step(event(t.lead, dup.body.id, { type: 'start-review' }, dupTag), 200);
  await step(
    event(
      t.lead,
      dup.body.id,
      {
        type: 'not-accept',
        reason: `Duplicate: ${M.notAcceptReason}`,
        disposition: 'advice',
        nextSteps: `Call the ${M.nextSteps} team`,
      },
      dupTag,
    ),
    200,
  );

  // ---- An unidentified person, withdrawn by the referrer ----------------------------------
  const unknown = j1Body();
  unknown.person = {
    identityUnknown: true,
    description: `Tall man, ${M.description} on his neck`,
    estimatedAgeBand: '25-34',
    sex: 'male',
    ethnicity: 'Z',
  };
  const third = await create(t.policeB, unknown);
  expect(third.status, JSON.stringify(third.body)).toBe(201);
  await step(
    event(t.policeB, third.body.id, { type: 'withdraw', reason: `Taken home by ${M.withdrawReason}` }, third.etag),
    200,
  );

  // ---- Intake errors, the markers in every refused body ----------------------------------
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

  // ---- Not found, with markers where an id should be -------------------------------------
  expect((await send(`/v1/referrals/${ulid()}`, t.lead)).status).toBe(404);
  expect((await send(`/v1/referrals/${M.givenName}-${NHS_DIGITS}`, t.lead)).status).toBe(404);
  expect(
    (await event(t.lead, ulid(), { type: 'information-added', note: `${M.infoNote} ${NHS_SPACED}` }, '"1"')).status,
  ).toBe(404);
  expect((await send(`/v1/referrals/${id}`, t.policeB)).status).toBe(404);
  expect((await send(`/v1/referrals?reference=${M.givenName}`, t.policeA)).status).toBe(200);
  expect((await send(`/v1/referrals?name=${M.givenName}&nhsNumber=${NHS_DIGITS}`, t.policeA)).status).toBe(400);
  expect((await send(`/v1/amhps/${M.familyName}`, t.lead)).status).toBe(404);

  // ---- Capacity (a unit and a site of this file's own, in an LSSA nobody filters on) -------
  const unitId = uniqueId('logscan-unit');
  const unit = {
    name: M.unitName,
    site: 'Test site',
    icb: 'QHG',
    lssas: ['E06000056'],
    s140Designated: true,
    acceptsUnder18: false,
    contactRoute: `Ward 24h: ${M.unitContact}`,
  };
  expect((await send(`/v1/bed-units/${unitId}`, t.bedsP, { method: 'PUT', json: unit })).status).toBe(201);
  expect((await send(`/v1/bed-units/${unitId}`, t.bedsP, { method: 'PUT', json: unit })).status).toBe(428);
  expect(
    (
      await send(`/v1/bed-units/${unitId}/availability`, t.bedsP, {
        method: 'PUT',
        json: {
          asOf: new Date().toISOString(),
          beds: [{ bedType: 'adult-acute', sex: 'male', available: 2, total: 18 }],
        },
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await send(`/v1/bed-units/${unitId}/availability`, t.bedsP, {
        method: 'PUT',
        json: {
          asOf: new Date(Date.now() - 3_600_000).toISOString(),
          beds: [{ bedType: 'adult-acute', sex: 'male', available: 1, total: 18 }],
        },
      })
    ).status,
  ).toBe(409);
  expect(
    (
      await send(`/v1/bed-units/${unitId}`, await api.clientToken('provider-q-beds'), {
        method: 'PUT',
        json: { ...unit, name: `Taken ${M.unitName}` },
        headers: { 'If-Match': '"1"' },
      })
    ).status,
  ).toBe(403);
  expect((await send('/v1/bed-availability?lssa=E06000056', t.lead)).status).toBe(200);
  expect(
    (await send(`/v1/bed-units/${unitId}/history?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`, t.sam)).status,
  ).toBe(200);
  const siteId = uniqueId('logscan-site');
  expect(
    (
      await send(`/v1/places-of-safety/${siteId}`, t.bedsP, {
        method: 'PUT',
        json: { name: M.unitName, lssas: ['E06000056'], acceptsUnder18: true, contactRoute: `Suite ${M.unitContact}` },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await send(`/v1/places-of-safety/${siteId}/status`, t.bedsP, {
        method: 'PUT',
        json: { asOf: new Date().toISOString(), status: 'open', capacity: 2, emptySpaces: 1, acceptsUnder18: true },
      })
    ).status,
  ).toBe(200);
  expect((await send('/v1/places-of-safety?lssa=E06000056', t.policeA)).status).toBe(200);

  // ---- Feedback subscriptions (to withdrawals only, and gone at once) ----------------------
  const sub = await send('/v1/subscriptions', t.policeB, {
    method: 'POST',
    json: { url: `http://127.0.0.1:9/${M.webhookPath}`, events: ['withdrawn'] },
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect(sub.status).toBe(201);
  expect((await send(`/v1/subscriptions/${sub.body.id}`, t.policeB)).status).toBe(200);
  expect((await send(`/v1/subscriptions/${sub.body.id}/deliveries`, t.policeB)).status).toBe(200);
  expect((await send(`/v1/subscriptions/${sub.body.id}`, t.policeB, { method: 'DELETE' })).status).toBe(204);
  expect(
    (
      await send('/v1/subscriptions', t.policeB, {
        method: 'POST',
        json: { url: `http://10.0.0.5/${M.webhookPath}/${NHS_DIGITS}`, events: ['accepted'] },
        headers: { 'Idempotency-Key': randomUUID() },
      })
    ).status,
  ).toBe(400);
  expect((await send(`/v1/deliveries?referralId=${id}`, t.lead)).status).toBe(200);

  // ---- Duty sessions, whereabouts and alerts (DOMAIN §9): Alex (no other file checks Alex in) ----
  const alex = await api.personToken('alex.amhp');
  const visit = await create(t.policeA, markedBody());
  expect(visit.status).toBe(201);
  whereaboutsReferralId = visit.body.id;
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

  // ---- Audit and extracts -----------------------------------------------------------------
  expect((await send(`/v1/audit?referralId=${id}`, t.auditor)).status).toBe(200);
  expect(
    (
      await send(
        `/v1/audit?organisationId=police-a&from=${encodeURIComponent(new Date(Date.now() - 600_000).toISOString())}`,
        t.auditor,
      )
    ).status,
  ).toBe(200);
  expect((await send(`/v1/audit?referralId=${M.givenName}-${NHS_DIGITS}`, t.auditor)).status).toBe(200);
  expect((await send(`/v1/audit`, t.auditor)).status).toBe(400);
  const month = new Date().toISOString().slice(0, 7);
  expect(
    (await send('/v1/extracts/demand?period=month&from=2026-01-01&to=2026-01-31&by=agencyType,outcome', t.dashboard))
      .status,
  ).toBe(200);
  expect((await send('/v1/extracts/timings?period=month&from=2026-01-01&to=2026-01-31', t.dashboard)).status).toBe(200);
  expect(
    (
      await send('/v1/extracts/data-quality?period=month&from=2026-01-01&to=2026-01-31', t.dashboard, {
        headers: { Accept: 'text/csv' },
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await send('/v1/extracts/capacity?period=month&from=2026-01-01&to=2026-01-31', t.dashboard, {
        headers: { Accept: 'text/csv' },
      })
    ).status,
  ).toBe(200);
  expect((await send(`/v1/extracts/records?month=${month}`, t.pipeline)).status).toBe(200);
  expect((await send(`/v1/extracts/records?month=${month}`, t.dashboard)).status).toBe(401);
  expect(
    (await send(`/v1/extracts/demand?period=month&from=2026-01-01&to=2026-01-31&lssa=E06000057`, t.dashboard)).status,
  ).toBe(403);

  // ---- An unknown error inside a handler (its message quotes data) ------------------------
  const crash = await send('/test/boom', t.lead, { method: 'POST' });
  expect(crash.status).toBe(500);
  expect(JSON.stringify(crash.body)).not.toContain(SECRET_LOOKING_MESSAGE.slice(0, 10));
}

/** Lines with any marker (case-insensitive), each with the markers it contains. */
function hits(lines: readonly string[]) {
  const lower = MARKERS.map((m) => m.toLowerCase());
  return lines.flatMap((line) => {
    const l = line.toLowerCase();
    const found = MARKERS.filter((_, i) => l.includes(lower[i]!));
    return found.length ? [{ markers: found, line: line.slice(0, 400) }] : [];
  });
}

describe('no identifiable data in logs', () => {
  it('has markers worth scanning for', () => {
    expect(MARKERS.filter((m) => m.length < 6)).toEqual([]);
    expect(MARKERS).toContain('943 476 5919');
  });

  it('every marker stays out of everything the process writes, across realistic traffic and its errors', async () => {
    const capture = captureOutput();
    try {
      await driveTraffic();
    } finally {
      capture.stop();
    }
    const lines = capture.lines();

    // The capture captured: the Hub's request lines, at INFO, for this traffic.
    const parsed = lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
    const requestLines = parsed.filter((p) => p.message === 'request' || p.message === 'request failed');
    expect(requestLines.length).toBeGreaterThan(60);
    expect(requestLines.every((p) => typeof p.correlationId === 'string')).toBe(true);
    expect(parsed.some((p) => p.level === 'INFO')).toBe(true);
    const logged = new Set(requestLines.map((p) => p.correlationId));
    // Every request that reached a handler is in the log under its correlation id (the gateway's 401s never reach one).
    const reached = sent.filter((s) => s.status !== 401).map((s) => s.correlationId);
    expect(reached.filter((c) => !logged.has(c))).toEqual([]);
    expect(new Set(requestLines.map((p) => p.status))).toEqual(
      new Set([200, 201, 204, 400, 403, 404, 409, 412, 413, 415, 422, 428, 500]),
    );

    // And not one marker anywhere in it.
    expect(hits(lines)).toEqual([]);

    // Whereabouts (DOMAIN §9): the safety routes' and the sweep's lines say neither where nor which referral.
    const safetyLines = lines.filter((l) =>
      /"route":"(postWhereaboutsEvent|getWhereabouts|listAlerts|acknowledgeAlert)"|safety sweep/.test(l),
    );
    expect(safetyLines.length).toBeGreaterThan(8);
    expect(safetyLines.some((l) => l.includes('safety sweep'))).toBe(true);
    expect(safetyLines.filter((l) => l.includes(whereaboutsReferralId))).toEqual([]);
  });

  it('control: the capture and the scan do find a marker the logger writes', () => {
    const capture = captureOutput();
    try {
      logger
        .createChild({ persistentKeys: { correlationId: 'logscan-control' } })
        .info('probe', { value: `${M.givenName} ${NHS_SPACED}` });
      console.warn('probe', M.postcode);
    } finally {
      capture.stop();
    }
    expect(hits(capture.lines()).map((h) => h.markers)).toEqual([[M.givenName, NHS_SPACED], [M.postcode]]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['an assertion-style diff of the body', { givenName: M.givenName, nhsNumber: NHS_DIGITS, address: M.street }],
    // Free text whose lines happen to begin like stack frames ("at ...").
    [
      'free text with lines starting "at "',
      { quote: [`Last seen`, `at 12 ${M.street}, ${M.postcode}`, `at 9pm with ${M.relative} ${M.familyName}`] },
    ],
  ])(
    'an unknown error whose message quotes the request over several lines (%s): no line of it is logged',
    async (_name, json) => {
      const capture = captureOutput();
      let status: number;
      try {
        status = (await send('/test/multiline-boom', t.lead, { method: 'POST', json })).status;
      } finally {
        capture.stop();
      }
      expect(status).toBe(500);
      const lines = capture.lines();
      expect(lines.some((l) => l.includes('"unhandled error"'))).toBe(true);
      expect(hits(lines)).toEqual([]);
    },
  );
});
