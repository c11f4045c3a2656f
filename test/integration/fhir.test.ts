/**
 * The FHIR R4 facade through the real path (HTTP → local adapter → handler → DynamoDB Local):
 * the two committed example messages create referrals that /v1 shows with the same clocks as
 * the JSON route; X-Request-ID replays; refusals are OperationOutcomes naming the FHIR element
 * with nothing stored; the Task follows triage, allocation and outcome, minimised.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle } from '@medplum/fhirtypes';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';
import { postEvent, readReferral } from '../support/referrals.js';
import {
  FHIR_JSON,
  encounterOf,
  fhirMessage,
  patientOf,
  postMessage,
  referrerReferenceOf,
  serviceRequestOf,
  taskIn,
} from '../support/fhir.js';
import { intakeOf } from '../../shared/domain/fhir/intake.js';
import { NHS_NUMBER_SYSTEM } from '../../shared/domain/fhir/codes.js';

let api: TestApi;
const tokens: Record<string, string> = {};
const startedAt = new Date().toISOString();
/** Referrer references of messages that were refused: none may exist afterwards. */
const refusedReferences: string[] = [];

beforeAll(async () => {
  api = await startTestApi();
  tokens.ambulance = await api.clientToken('ambulance-cad');
  tokens.ae = await api.clientToken('ae-liaison-system');
  tokens.lead = await api.personToken(PEOPLE.lead);
  tokens.sam = await api.personToken(PEOPLE.amhp);
});
afterAll(async () => api?.close());

const getFhir = async (path: string, token: string) => {
  const res = await api.fetch(path, { token });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    body: (await res.json()) as Record<string, any>,
  };
};
const clocksOf = (view: Record<string, any>) =>
  view.clocks.map((c: any) => ({ power: c.power, startsAt: c.startsAt, expiresAt: c.expiresAt }));

describe('GET /fhir/R4/metadata', () => {
  it('lists exactly the supported resources, interactions and operation', async () => {
    const res = await api.fetch('/fhir/R4/metadata');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(FHIR_JSON);
    const cs = (await res.json()) as any;
    expect(cs).toMatchObject({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      format: ['application/fhir+json'],
    });
    expect(cs.rest[0].resource.map((r: any) => [r.type, r.interaction.map((i: any) => i.code)])).toEqual([
      ['Task', ['read', 'search-type']],
      ['ServiceRequest', ['read']],
    ]);
    expect(cs.rest[0].operation.map((o: any) => o.name)).toEqual(['process-message']);
  });
});

describe('POST /fhir/R4/$process-message', () => {
  it.each([
    ['ambulance-s136', 'ambulance'],
    ['ae-s5-2', 'ae'],
  ] as const)(
    '%s creates a referral /v1 shows, with the clocks of the same referral sent as JSON',
    async (name, who) => {
      const message = fhirMessage(name);
      const correlationId = randomUUID();
      const res = await postMessage(api, tokens[who]!, message, { 'X-Correlation-ID': correlationId });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.headers.get('content-type')).toContain(FHIR_JSON);
      expect(res.headers.get('x-correlation-id')).toBe(correlationId);
      expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'message' });
      expect(res.body.entry[0].resource).toMatchObject({
        resourceType: 'MessageHeader',
        response: { identifier: message.entry![0]!.resource!.id, code: 'ok' },
      });
      const task = taskIn(res.body);
      expect(task).toMatchObject({
        resourceType: 'Task',
        status: 'received',
        businessStatus: { coding: [{ code: 'received' }] },
        intent: 'order',
      });
      expect(task.identifier).toContainEqual({
        system: expect.stringContaining('referrer-reference'),
        value: referrerReferenceOf(message),
      });

      const viaV1 = await readReferral(api, tokens[who]!, task.id);
      expect(viaV1).toMatchObject({ id: task.id, status: 'received', referrerReference: referrerReferenceOf(message) });
      // The same referral through POST /v1/referrals: the same clocks, to the millisecond.
      const json = await api.fetch('/v1/referrals', {
        method: 'POST',
        token: tokens[who]!,
        json: intakeOf(message).body,
        headers: { 'Idempotency-Key': randomUUID() },
      });
      expect(json.status).toBe(201);
      const jsonView = (await json.json()) as Record<string, any>;
      expect(clocksOf(viaV1)).toEqual(clocksOf(jsonView));
      expect(clocksOf(viaV1).length).toBeGreaterThan(0);
      // The AMHP service sees the person and the legal status as sent.
      const full = await readReferral(api, tokens.lead!, task.id);
      expect(full.person.givenName).toBe(patientOf(message).name![0]!.given![0]);
      expect(full.legalStatus.status).toBe(name === 'ambulance-s136' ? 's136' : 's5-2');
      expect(full.reasonForReferral).toBe(serviceRequestOf(message).reasonCode![0]!.text);
    },
  );

  it('a retry with the same X-Request-ID replays; a different message with it is refused', async () => {
    const message = fhirMessage('ambulance-s136');
    const requestId = randomUUID();
    const first = await postMessage(api, tokens.ambulance!, message, { 'X-Request-ID': requestId });
    expect(first.status).toBe(200);
    const again = await postMessage(api, tokens.ambulance!, message, { 'X-Request-ID': requestId });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const changed = structuredClone(message);
    serviceRequestOf(changed).priority = 'routine';
    const reused = await postMessage(api, tokens.ambulance!, changed, { 'X-Request-ID': requestId });
    expect(reused.status).toBe(422);
    expect(reused.body.resourceType).toBe('OperationOutcome');
    expect(reused.headers.get('content-type')).toContain(FHIR_JSON);
  });

  const refusals: [string, (b: Bundle) => void, RegExp][] = [
    [
      'an NHS number with a wrong check digit',
      (b) => (patientOf(b).identifier = [{ system: NHS_NUMBER_SYSTEM, value: '9434765918' }]),
      /^Patient\.identifier\[0\]\.value$/,
    ],
    [
      'a missing reason for referral',
      (b) => delete serviceRequestOf(b).reasonCode,
      /^ServiceRequest\.reasonCode\.text$/,
    ],
    ['a missing date of birth', (b) => delete patientOf(b).birthDate, /^Patient\.birthDate$/],
    [
      'arrival at the place of safety well before the detention',
      (b) => {
        const subs = encounterOf(b).extension![0]!.extension!;
        const detained = subs.find((s) => s.url === 'detainedAt')!;
        subs.find((s) => s.url === 'arrivedAtPlaceOfSafetyAt')!.valueDateTime = new Date(
          Date.parse(detained.valueDateTime!) - 3_600_000,
        ).toISOString();
      },
      /extension\('arrivedAtPlaceOfSafetyAt'\)\.value$/,
    ],
    [
      'an element R4 does not define',
      (b) => ((patientOf(b) as any).favouriteColour = 'blue'),
      /^Bundle\.entry\[2\]\.resource\.favouriteColour$/,
    ],
    [
      'a missing required R4 element (ServiceRequest.intent)',
      (b) => delete (serviceRequestOf(b) as any).intent,
      /^Bundle\.entry\[1\]\.resource\.intent$/,
    ],
    [
      'a legal status code the Hub does not know',
      (b) => (encounterOf(b).extension![0]!.extension![0]!.valueCode = 's999'),
      /extension\('status'\)\.value$/,
    ],
  ];

  it.each(refusals)('refuses %s with an OperationOutcome naming the FHIR element', async (_what, spoil, expression) => {
    const message = fhirMessage('ambulance-s136', { keepNhsNumber: true });
    spoil(message);
    refusedReferences.push(referrerReferenceOf(message));
    const res = await postMessage(api, tokens.ambulance!, message);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain(FHIR_JSON);
    expect(res.body.resourceType).toBe('OperationOutcome');
    const expressions = res.body.issue.flatMap((i: any) => i.expression ?? []);
    expect(
      expressions.some((e: string) => expression.test(e)),
      JSON.stringify(res.body.issue),
    ).toBe(true);
    // Never the submitted values.
    expect(JSON.stringify(res.body)).not.toMatch(/9434765918|blue|Marsh/);
  });

  it('an s.136 detention in a dwelling is recorded and flagged, never refused (DOMAIN §2)', async () => {
    const message = fhirMessage('ambulance-s136');
    encounterOf(message).extension![0]!.extension!.find((s) => s.url === 'detainedAtLocationType')!.valueCode = 'home';
    const res = await postMessage(api, tokens.ambulance!, message);
    expect(res.status).toBe(200);
    const full = await readReferral(api, tokens.lead!, taskIn(res.body).id);
    expect(full.flags.map((f: any) => f.code)).toContain('s136-in-dwelling');
  });

  it('refuses problem+json bodies of the wrong media type as an OperationOutcome (415)', async () => {
    const res = await api.fetch('/fhir/R4/$process-message', {
      method: 'POST',
      token: tokens.ambulance!,
      body: '<Bundle/>',
      headers: { 'Content-Type': 'application/xml', 'X-Request-ID': randomUUID() },
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).resourceType).toBe('OperationOutcome');
  });

  it('nothing of a refused message was stored', async () => {
    expect(refusedReferences.length).toBe(refusals.length);
    // The change feed serves changes older than its 5 s safety lag.
    await new Promise((r) => setTimeout(r, 5_500));
    const seen: string[] = [];
    let next: string | undefined = `/fhir/R4/Task?_lastUpdated=gt${startedAt}&_count=100`;
    while (next) {
      const page = await getFhir(next, tokens.ambulance!);
      expect(page.status).toBe(200);
      for (const e of page.body.entry ?? []) seen.push(...e.resource.identifier.map((i: any) => i.value));
      next = page.body.link.find((l: any) => l.relation === 'next')?.url;
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((r) => refusedReferences.includes(r))).toEqual([]);
  });
});

describe('status as a Task', () => {
  it('follows triage, allocation and outcome, and carries no AMHP notes', async () => {
    const created = await postMessage(api, tokens.ambulance!, fhirMessage('ambulance-s136'));
    const id = taskIn(created.body).id as string;
    const task = async () => (await getFhir(`/fhir/R4/Task/${id}`, tokens.ambulance!)).body;
    const etag = (await api.fetch(`/v1/referrals/${id}`, { token: tokens.lead! })).headers.get('etag')!;

    let step = await postEvent(api, tokens.lead!, id, { type: 'start-review' }, etag);
    expect(await task()).toMatchObject({ status: 'received', businessStatus: { coding: [{ code: 'under-review' }] } });
    step = await postEvent(
      api,
      tokens.lead!,
      id,
      { type: 'accept', reason: 'Internal triage note ZX-ACCEPT-NOTE' },
      step.etag!,
    );
    expect(await task()).toMatchObject({ status: 'accepted', businessStatus: { coding: [{ code: 'accepted' }] } });
    const attendance = new Date(Date.now() + 3_600_000).toISOString();
    step = await postEvent(
      api,
      tokens.lead!,
      id,
      { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: attendance },
      step.etag!,
    );
    const allocated = await task();
    expect(allocated).toMatchObject({ status: 'in-progress', businessStatus: { coding: [{ code: 'allocated' }] } });
    expect(allocated.output).toContainEqual({
      type: { coding: [expect.objectContaining({ code: 'expected-attendance' })] },
      valueDateTime: attendance,
    });
    step = await postEvent(api, tokens.sam!, id, { type: 'start-assessment' }, step.etag!);
    expect(await task()).toMatchObject({
      status: 'in-progress',
      businessStatus: { coding: [{ code: 'assessment-in-progress' }] },
    });
    step = await postEvent(
      api,
      tokens.sam!,
      id,
      {
        type: 'record-outcome',
        outcome: 'detained-s2',
        nextSteps: 'Conveyance to an adult acute bed.',
        reasonsInWriting: 'ZX-INTERNAL-REASONS',
      },
      step.etag!,
    );
    expect(step.status).toBe(200);
    const done = await task();
    expect(done).toMatchObject({ status: 'completed', businessStatus: { coding: [{ code: 'outcome-recorded' }] } });
    expect(done.output).toContainEqual({
      type: { coding: [expect.objectContaining({ code: 'outcome' })] },
      valueString: 'detained-s2',
    });
    expect(JSON.stringify(done)).not.toMatch(/ZX-ACCEPT-NOTE|ZX-INTERNAL-REASONS|Marsh|Test/);

    const sr = await getFhir(`/fhir/R4/ServiceRequest/${id}`, tokens.ambulance!);
    expect(sr).toMatchObject({
      status: 200,
      body: { resourceType: 'ServiceRequest', status: 'completed', priority: 'stat' },
    });
    expect(sr.contentType).toContain(FHIR_JSON);
    expect(sr.body.subject.extension[0].valueCode).toBe('masked');
  });

  it('declined and withdrawn referrals read as rejected and cancelled', async () => {
    const a = taskIn((await postMessage(api, tokens.ae!, fhirMessage('ae-s5-2'))).body).id as string;
    const etagA = (await api.fetch(`/v1/referrals/${a}`, { token: tokens.lead! })).headers.get('etag')!;
    const step = await postEvent(api, tokens.lead!, a, { type: 'start-review' }, etagA);
    await postEvent(
      api,
      tokens.lead!,
      a,
      { type: 'not-accept', reason: 'ZX-REASON', disposition: 'signposted', nextSteps: 'Crisis team to review today.' },
      step.etag!,
    );
    const declined = (await getFhir(`/fhir/R4/Task/${a}`, tokens.ae!)).body;
    expect(declined).toMatchObject({
      status: 'rejected',
      businessStatus: { coding: [{ code: 'declined' }] },
      statusReason: { text: 'signposted' },
    });
    expect(JSON.stringify(declined)).not.toContain('ZX-REASON');

    const b = taskIn((await postMessage(api, tokens.ae!, fhirMessage('ae-s5-2'))).body).id as string;
    const etagB = (await api.fetch(`/v1/referrals/${b}`, { token: tokens.ae! })).headers.get('etag')!;
    expect(
      (await postEvent(api, tokens.ae!, b, { type: 'withdraw', reason: 'Agreed to stay informally' }, etagB)).status,
    ).toBe(200);
    expect((await getFhir(`/fhir/R4/Task/${b}`, tokens.ae!)).body).toMatchObject({
      status: 'cancelled',
      businessStatus: { coding: [{ code: 'withdrawn' }] },
    });
  });
});
