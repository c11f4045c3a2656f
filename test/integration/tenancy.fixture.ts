/**
 * Tenancy proof over the ONE route table (DOMAIN §1, ARCHITECTURE "HTTP contract conventions"):
 * every non-public route, called by every identity of the registry (each role, and the other
 * organisation or service of the same role), at a resource owned by another organisation or
 * AMHP service. Expected:
 *   401 when the token lacks the route's scope (the authorizer, as API Gateway answers),
 *   404 when the resource is not visible to the caller (its existence not revealed: the same
 *       problem as for an id that exists nowhere),
 *   403 when it is visible but the caller's role or organisation may not act on it,
 *   and, for collection routes, a 200 that does not contain the other organisation's resource.
 * Never a 2xx at someone else's resource, never a 5xx. Callers entitled to the resource are not
 * part of the matrix: a control per route proves, before and after it, that the resource exists
 * for them (so a 404 means "not visible", not "broken fixture") and that nothing changed.
 *
 * FIXTURES is keyed by route id and typed over the route table: a new route without a row fails
 * to compile and fails the coverage test.
 *
 * Split by concern into tenancy-matrix.test.ts, tenancy-detail.test.ts.
 * This module holds their shared setup and helpers; its hooks run in every file that imports it.
 */
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { afterAll, beforeAll, expect } from 'vitest';
import { ROUTES, type HttpMethod } from '../../functions/routes.js';
import { createDelivery, newDelivery } from '../../shared/data/delivery-repository.js';
import { checkInItems, sessionStartItems } from '../../shared/data/safety-repository.js';
import { transact } from '../../shared/data/transact.js';
import { newAlertId, raiseAlert, alertDelivery } from '../../shared/safety/alerts.js';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import { registryPrincipals, type Principal } from '../support/security-principals.js';

// Subscriptions seal their signing secret with this key locally (in AWS: KMS).
process.env.FEEDBACK_SECRET_KEY ??= Buffer.alloc(32, 11).toString('base64');

// The FHIR facade's routes answer OperationOutcome, not problem+json: their matrix is tenancy-fhir.test.ts.
export type NonPublicRoute = Exclude<(typeof ROUTES)[number], { auth: 'public' } | { tags: readonly ['fhir'] }>;
export type NonPublicRouteId = NonPublicRoute['id'];

export interface Call {
  readonly method: HttpMethod;
  readonly path: string;
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
}

/** What a caller whose token carries the route's scope must get. */
export type Expectation = 'entitled' | 400 | 403 | 404 | 'hidden';

export interface Fixture {
  /** The call at the other organisation's resource. */
  call(p: Principal): Call;
  expect(p: Principal): Expectation;
  /** The same call at an id that exists nowhere (for the 404 comparison). Absent on create-or-replace routes. */
  missing?(p: Principal): Call;
  /** Collection routes: does this 200 body show the other organisation's resource? */
  reveals?(body: any): boolean;
  /** More about a refusal than its status. */
  refusal?(problem: any): boolean;
  /** Run before and after the matrix: the resource exists for its owner, unchanged. */
  control?(): Promise<void>;
}

export let api: TestApi;
export let principals: Principal[];
export const by = (key: string) => principals.find((p) => p.key === key)!;

/** The resources the matrix aims at, built once. */
export const fx = {
  referral: { id: '', reference: '', etag: '', version: 0 },
  bedRequestId: '',
  amhpEtag: '',
  unitVersion: 1,
  siteVersion: 1,
  subscriptionId: '',
  deliveryId: '',
  /** DOMAIN §9: a duty session, check-in, alert and alert delivery of Northshire (of an AMHP no principal is). */
  sessionId: '',
  checkInId: '',
  alertId: '',
  alertDeliveryId: '',
};

export const OTHER_LSSA = 'E06000057'; // Southvale: outside the analytics team's data-sharing agreement
export const HOME_LSSA = 'E06000055'; // Bedford: the referral's LSSA, Northshire AMHP service
export const UNIT = 'p-oak-ward'; // provider-p's
export const SITE = 'p-hbpos'; // provider-p's

export const is = (p: Principal, organisationId: string, ...roles: string[]) =>
  p.organisationId === organisationId && roles.includes(p.role);
/** DOMAIN §1: the referring organisation and the AMHP service acting for the LSSA. */
export const seesReferral = (p: Principal) =>
  is(p, 'police-a', 'referrer') || is(p, 'amhp-service', 'amhp-lead', 'amhp');
export const ownsCapacity = (p: Principal) => is(p, 'provider-p', 'bed-manager');
export const ownsSubscription = (p: Principal) => is(p, 'police-a', 'referrer');

export const randomDeliveryId = () => `${ulid()}_${ulid()}_1`;
export const key = () => ({ 'Idempotency-Key': randomUUID() });
export const nowIso = () => new Date().toISOString();
export const json = async (res: Response) => {
  const text = await res.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
};
export const getAs = async (p: string, path: string) => {
  const res = await api.fetch(path, { token: by(p).token });
  return { status: res.status, etag: res.headers.get('etag'), body: await json(res) };
};

export const unitBody = {
  name: 'Oak Ward (adult acute, male)',
  site: 'Northshire Mental Health Centre',
  icb: 'QHG',
  lssas: [HOME_LSSA],
  s140Designated: true,
  acceptsUnder18: false,
  contactRoute: 'Bed management 24h: +44 1234 500100',
};
export const siteBody = {
  name: 'Northshire s.136 suite',
  lssas: [HOME_LSSA],
  acceptsUnder18: true,
  contactRoute: 's.136 suite 24h: +44 1234 500136',
};
export const amhpBody = {
  displayName: 'Sam Patel',
  active: true,
  authorisedLssas: [HOME_LSSA, 'E06000056'],
  dutyReviewer: false,
};
export const MONTH = 'period=month&from=2026-01-01&to=2026-01-31';

/** The referral is unchanged (nobody in the matrix got an event through). */
export const referralUnchanged = async () => {
  const own = await getAs('client:police-a-triage', `/v1/referrals/${fx.referral.id}`);
  expect(own.status).toBe(200);
  expect(own.body.version).toBe(fx.referral.version);
  const service = await getAs('person:dana.lead', `/v1/referrals/${fx.referral.id}/events`);
  expect(service.status).toBe(200);
  expect(service.body.items.at(-1).type).toBe('bed-requested');
};

export const NON_PUBLIC = (ROUTES as readonly (typeof ROUTES)[number][]).filter(
  (r): r is NonPublicRoute => r.auth !== 'public' && !r.tags.includes('fhir' as never),
);

export interface Cell {
  route: string;
  principal: string;
  expected: 401 | Exclude<Expectation, 'entitled'>;
  status: number;
  problem?: Record<string, unknown>;
  missingStatus?: number;
  missingProblem?: Record<string, unknown>;
  revealed?: boolean;
  contentType: string;
}
export const cells: Cell[] = [];

export const send = async (p: Principal, call: Call) => {
  const res = await api.fetch(call.path, {
    method: call.method,
    token: p.token,
    ...(call.json !== undefined ? { json: call.json } : {}),
    headers: call.headers ?? {},
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await json(res) };
};

beforeAll(async () => {
  api = await startTestApi();
  principals = await registryPrincipals(api);
  const policeA = by('client:police-a-triage').token;
  const lead = by(`person:${PEOPLE.lead}`).token;
  const sam = by(`person:${PEOPLE.amhp}`).token;

  // A referral of force A for Bedford (Northshire AMHP service), allocated to Sam, with a bed request.
  const created = await createReferral(api, policeA, j1Body({ responsibleLssa: HOME_LSSA }));
  let step = await postEvent(api, lead, created.id, { type: 'start-review' }, created.etag);
  step = await postEvent(api, lead, created.id, { type: 'accept', reason: 'Needs assessment' }, step.etag!);
  step = await postEvent(
    api,
    lead,
    created.id,
    { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: new Date(Date.now() + 3_600_000).toISOString() },
    step.etag!,
  );
  step = await postEvent(
    api,
    sam,
    created.id,
    { type: 'bed-requested', bedType: 'adult-acute', sex: 'male' },
    step.etag!,
  );
  expect(step.status).toBe(200);
  fx.referral = { id: created.id, reference: created.reference, etag: step.etag!, version: step.body.version };

  const requests = await getAs('client:provider-p-beds', '/v1/bed-requests');
  fx.bedRequestId = requests.body.items.find((r: any) => r.referralReference === created.reference).id;

  const amhp = await getAs(`person:${PEOPLE.lead}`, '/v1/amhps/amhp-sam');
  fx.amhpEtag = amhp.etag!;
  const units = await getAs('client:provider-p-beds', `/v1/bed-availability?lssa=${HOME_LSSA}`);
  fx.unitVersion = units.body.items.find((u: any) => u.unitId === UNIT)?.version ?? 1;
  const sites = await getAs('client:police-a-triage', `/v1/places-of-safety?lssa=${HOME_LSSA}`);
  fx.siteVersion = sites.body.items.find((s: any) => s.siteId === SITE)?.version ?? 1;

  // Force A's subscription: only to withdrawals, so no other test's feedback reaches it.
  const sub = await api.fetch('/v1/subscriptions', {
    method: 'POST',
    token: policeA,
    json: { url: 'http://127.0.0.1:9/tenancy-proof', events: ['withdrawn'] },
    headers: key(),
  });
  expect(sub.status).toBe(201);
  fx.subscriptionId = ((await json(sub)) as any).id;
  // A delivery to it about the referral (as the stream consumer writes them), due long after this run.
  const delivery = newDelivery(
    {
      subscriptionId: fx.subscriptionId,
      organisationId: 'police-a',
      serviceId: 'amhp-service',
      referralId: created.id,
      reference: created.reference,
      seq: 99,
      eventType: 'withdrawn',
      messageId: `msg_${ulid()}`,
      body: '{}',
    },
    new Date(Date.now() + 90 * 86_400_000),
  );
  expect(await createDelivery(delivery)).toBe(true);
  fx.deliveryId = delivery.deliveryId;

  // Northshire's whereabouts and an alert, of an AMHP no principal is (so nobody's own), written as the routes write
  // them.
  const now = new Date();
  const amhpId = `amhp-tenancy-${ulid().toLowerCase()}`;
  fx.sessionId = ulid();
  fx.checkInId = ulid();
  await transact([
    ...sessionStartItems({
      sessionId: fx.sessionId,
      serviceId: 'amhp-service',
      amhpId,
      status: 'on-shift',
      startedAt: now.toISOString(),
      plannedEndAt: new Date(now.getTime() + 8 * 3_600_000).toISOString(),
      onCallManager: 'Tenancy proof',
    }),
  ]);
  await transact(
    checkInItems({
      checkInId: fx.checkInId,
      serviceId: 'amhp-service',
      amhpId,
      referralId: created.id,
      reference: created.reference,
      status: 'checked-in',
      checkedInAt: now.toISOString(),
      expectedFinishAt: new Date(now.getTime() + 90 * 86_400_000).toISOString(),
      graceMinutes: 30,
    }),
  );
  const raised = await raiseAlert(
    {
      alertId: newAlertId(now),
      serviceId: 'amhp-service',
      kind: 'clock-warning',
      referralId: created.id,
      reference: created.reference,
    },
    [],
    now,
  );
  fx.alertId = raised.alert.alertId;
  // A delivery to an alert channel of Northshire, due long after this run.
  const alertMessage = alertDelivery(
    raised.alert,
    1,
    { serviceId: 'amhp-service', graceMinutes: 30, alertSubscriptionId: ulid(), updatedAt: '' },
    new Date(Date.now() + 90 * 86_400_000),
  )!;
  expect(await createDelivery(alertMessage)).toBe(true);
  fx.alertDeliveryId = alertMessage.deliveryId;
});

afterAll(async () => {
  if (fx.subscriptionId) {
    // The owner can delete it: the last control.
    const res = await api.fetch(`/v1/subscriptions/${fx.subscriptionId}`, {
      method: 'DELETE',
      token: by('client:police-a-triage').token,
    });
    expect(res.status).toBe(204);
  }
  await api?.close();
});
