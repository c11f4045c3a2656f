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
 */
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type HttpMethod } from '../../functions/routes.js';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDelivery, newDelivery } from '../../shared/data/delivery-repository.js';
import { ddb, tableName } from '../../shared/data/client.js';
import { referralKeys } from '../../shared/data/referral-repository.js';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import { problemShape, registryPrincipals, type Principal } from '../support/security-principals.js';

// Subscriptions seal their signing secret with this key locally (in AWS: KMS).
process.env.FEEDBACK_SECRET_KEY ??= Buffer.alloc(32, 11).toString('base64');

// The FHIR facade's routes answer OperationOutcome, not problem+json: their matrix is tenancy-fhir.test.ts.
type NonPublicRoute = Exclude<(typeof ROUTES)[number], { auth: 'public' } | { tags: readonly ['fhir'] }>;
type NonPublicRouteId = NonPublicRoute['id'];

interface Call {
  readonly method: HttpMethod;
  readonly path: string;
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
}

/** What a caller whose token carries the route's scope must get. */
type Expectation = 'entitled' | 400 | 403 | 404 | 'hidden';

interface Fixture {
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

let api: TestApi;
let principals: Principal[];
const by = (key: string) => principals.find((p) => p.key === key)!;

/** The resources the matrix aims at, built once. */
const fx = {
  referral: { id: '', reference: '', etag: '', version: 0 },
  bedRequestId: '',
  amhpEtag: '',
  unitVersion: 1,
  siteVersion: 1,
  subscriptionId: '',
  deliveryId: '',
};

const OTHER_LSSA = 'E06000057'; // Southvale: outside the analytics team's data-sharing agreement
const HOME_LSSA = 'E06000055'; // Bedford: the referral's LSSA, Northshire AMHP service
const UNIT = 'p-oak-ward'; // provider-p's
const SITE = 'p-hbpos'; // provider-p's

const is = (p: Principal, organisationId: string, ...roles: string[]) => p.organisationId === organisationId && roles.includes(p.role);
/** DOMAIN §1: the referring organisation and the AMHP service acting for the LSSA. */
const seesReferral = (p: Principal) => is(p, 'police-a', 'referrer') || is(p, 'amhp-service', 'amhp-lead', 'amhp');
const ownsCapacity = (p: Principal) => is(p, 'provider-p', 'bed-manager');
const ownsSubscription = (p: Principal) => is(p, 'police-a', 'referrer');

const randomDeliveryId = () => `${ulid()}_${ulid()}_1`;
const key = () => ({ 'Idempotency-Key': randomUUID() });
const nowIso = () => new Date().toISOString();
const json = async (res: Response) => {
  const text = await res.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
};
const getAs = async (p: string, path: string) => {
  const res = await api.fetch(path, { token: by(p).token });
  return { status: res.status, etag: res.headers.get('etag'), body: await json(res) };
};

const unitBody = { name: 'Oak Ward (adult acute, male)', site: 'Northshire Mental Health Centre', icb: 'QHG', lssas: [HOME_LSSA], s140Designated: true, acceptsUnder18: false, contactRoute: 'Bed management 24h: +44 1234 500100' };
const siteBody = { name: 'Northshire s.136 suite', lssas: [HOME_LSSA], acceptsUnder18: true, contactRoute: 's.136 suite 24h: +44 1234 500136' };
const amhpBody = { displayName: 'Sam Patel', active: true, authorisedLssas: [HOME_LSSA, 'E06000056'], dutyReviewer: false };
const MONTH = 'period=month&from=2026-01-01&to=2026-01-31';

/** The referral is unchanged (nobody in the matrix got an event through). */
const referralUnchanged = async () => {
  const own = await getAs('client:police-a-triage', `/v1/referrals/${fx.referral.id}`);
  expect(own.status).toBe(200);
  expect(own.body.version).toBe(fx.referral.version);
  const service = await getAs('person:dana.lead', `/v1/referrals/${fx.referral.id}/events`);
  expect(service.status).toBe(200);
  expect(service.body.items.at(-1).type).toBe('bed-requested');
};

const FIXTURES: Record<NonPublicRouteId, Fixture> = {
  createReferral: {
    // Creating "as" another organisation: the organisation comes from the caller, never the body.
    call: () => {
      const body = j1Body();
      body.referrer = { ...body.referrer, organisationId: 'police-a' };
      return { method: 'POST', path: '/v1/referrals', json: body, headers: key() };
    },
    expect: () => 400,
    refusal: (problem) => problem.errors?.some((e: any) => e.pointer === '/referrer/organisationId') && !JSON.stringify(problem).includes('police-a'),
    control: async () => {
      const res = await api.fetch('/v1/referrals', { method: 'POST', token: by('client:police-b-hub').token, json: j1Body(), headers: key() });
      expect(res.status).toBe(201);
      expect(((await json(res)) as any).referrerReference).toBeDefined();
    },
  },
  listReferrals: {
    call: () => ({ method: 'GET', path: `/v1/referrals?reference=${fx.referral.reference}` }),
    expect: (p) => (seesReferral(p) ? 'entitled' : 'hidden'),
    reveals: (body) => JSON.stringify(body).includes(fx.referral.id) || body.items.length > 0,
    control: async () => {
      const own = await getAs('client:police-a-triage', `/v1/referrals?reference=${fx.referral.reference}`);
      expect(own.body.items.map((r: any) => r.id)).toEqual([fx.referral.id]);
    },
  },
  getReferral: {
    call: () => ({ method: 'GET', path: `/v1/referrals/${fx.referral.id}` }),
    expect: (p) => (seesReferral(p) ? 'entitled' : 404),
    missing: () => ({ method: 'GET', path: `/v1/referrals/${ulid()}` }),
    control: referralUnchanged,
  },
  postReferralEvent: {
    // An event a referrer may send, with the current ETag: only visibility can refuse it.
    call: () => ({ method: 'POST', path: `/v1/referrals/${fx.referral.id}/events`, json: { type: 'information-added', note: 'Family have arrived at A&E.' }, headers: { 'If-Match': fx.referral.etag } }),
    expect: (p) => (seesReferral(p) ? 'entitled' : 404),
    missing: () => ({ method: 'POST', path: `/v1/referrals/${ulid()}/events`, json: { type: 'information-added', note: 'Family have arrived at A&E.' }, headers: { 'If-Match': '"1"' } }),
    control: referralUnchanged,
  },
  listReferralEvents: {
    call: () => ({ method: 'GET', path: `/v1/referrals/${fx.referral.id}/events` }),
    expect: (p) => (seesReferral(p) ? 'entitled' : 404),
    missing: () => ({ method: 'GET', path: `/v1/referrals/${ulid()}/events` }),
    control: referralUnchanged,
  },
  getReferralLetter: {
    // Letters carry the person's and the nearest relative's details: the full referral's callers
    // only (the lead, the allocated AMHP); the referrer and AMHPs at board level are refused.
    call: () => ({ method: 'GET', path: `/v1/referrals/${fx.referral.id}/letters/gp` }),
    expect: (p) => (!seesReferral(p) ? 404 : p.role === 'amhp-lead' || p.key === `person:${PEOPLE.amhp}` ? 'entitled' : 403),
    missing: () => ({ method: 'GET', path: `/v1/referrals/${ulid()}/letters/gp` }),
    control: referralUnchanged,
  },
  putBedUnit: {
    // Units are visible to every capacity reader: another provider is refused (403), not hidden.
    call: () => ({ method: 'PUT', path: `/v1/bed-units/${UNIT}`, json: { ...unitBody, name: 'Taken over' }, headers: { 'If-Match': `"${fx.unitVersion}"` } }),
    expect: (p) => (ownsCapacity(p) ? 'entitled' : 403),
    control: async () => {
      const list = await getAs('client:provider-p-beds', `/v1/bed-availability?lssa=${HOME_LSSA}`);
      const unit = list.body.items.find((u: any) => u.unitId === UNIT);
      expect(unit).toMatchObject({ providerId: 'provider-p', name: unitBody.name });
    },
  },
  putBedAvailability: {
    call: () => ({ method: 'PUT', path: `/v1/bed-units/${UNIT}/availability`, json: { asOf: nowIso(), beds: [{ bedType: 'adult-acute', sex: 'male', available: 9, total: 18 }] } }),
    expect: (p) => (ownsCapacity(p) ? 'entitled' : 403),
    missing: () => ({ method: 'PUT', path: `/v1/bed-units/no-such-unit-${ulid()}/availability`, json: { asOf: nowIso(), beds: [{ bedType: 'adult-acute', sex: 'male', available: 9, total: 18 }] } }),
    control: async () => {
      const history = await getAs('client:provider-p-beds', `/v1/bed-units/${UNIT}/history?from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&to=${encodeURIComponent(nowIso())}`);
      expect(history.status).toBe(200);
      // Nobody but provider P wrote this unit's figures in the last hour.
      const providerP = principals.filter(ownsCapacity).map((p) => p.subject);
      expect(history.body.items.filter((s: any) => !providerP.includes(s.updatedBy))).toEqual([]);
    },
  },
  getBedUnitHistory: {
    // Visible to every capacity reader by design (DOMAIN §5: out-of-area beds are searched too).
    call: () => ({ method: 'GET', path: `/v1/bed-units/${UNIT}/history?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z` }),
    expect: () => 'entitled',
  },
  listBedAvailability: {
    call: () => ({ method: 'GET', path: `/v1/bed-availability?lssa=${HOME_LSSA}` }),
    expect: () => 'entitled',
  },
  putPlaceOfSafety: {
    call: () => ({ method: 'PUT', path: `/v1/places-of-safety/${SITE}`, json: { ...siteBody, name: 'Taken over' }, headers: { 'If-Match': `"${fx.siteVersion}"` } }),
    expect: (p) => (ownsCapacity(p) ? 'entitled' : 403),
    control: async () => {
      const list = await getAs('client:police-a-triage', `/v1/places-of-safety?lssa=${HOME_LSSA}`);
      expect(list.body.items.find((s: any) => s.siteId === SITE)).toMatchObject({ name: siteBody.name });
    },
  },
  putPlaceOfSafetyStatus: {
    call: () => ({ method: 'PUT', path: `/v1/places-of-safety/${SITE}/status`, json: { asOf: nowIso(), status: 'closed', capacity: 7, emptySpaces: 7, acceptsUnder18: false } }),
    expect: (p) => (ownsCapacity(p) ? 'entitled' : 403),
    missing: () => ({ method: 'PUT', path: `/v1/places-of-safety/no-such-site-${ulid()}/status`, json: { asOf: nowIso(), status: 'closed', capacity: 7, emptySpaces: 7, acceptsUnder18: false } }),
    control: async () => {
      const list = await getAs('client:police-a-triage', `/v1/places-of-safety?lssa=${HOME_LSSA}`);
      expect(list.body.items.find((s: any) => s.siteId === SITE)?.capacity).not.toBe(7);
    },
  },
  listPlacesOfSafety: {
    call: () => ({ method: 'GET', path: `/v1/places-of-safety?lssa=${HOME_LSSA}` }),
    expect: () => 'entitled',
  },
  getS140Register: {
    // Registry data (DOMAIN §9), the same for every lead and bed manager.
    call: () => ({ method: 'GET', path: '/v1/s140-register' }),
    expect: () => 'entitled',
  },
  listBedRequests: {
    // Open requests "in your area": an organisation not serving the LSSA does not see them.
    call: () => ({ method: 'GET', path: '/v1/bed-requests' }),
    expect: (p) => (p.lssas.includes(HOME_LSSA) ? 'entitled' : 'hidden'),
    reveals: (body) => JSON.stringify(body).includes(fx.bedRequestId) || JSON.stringify(body).includes(fx.referral.reference),
    control: async () => {
      const list = await getAs('client:provider-p-beds', '/v1/bed-requests');
      expect(list.body.items.find((r: any) => r.id === fx.bedRequestId)).toMatchObject({ status: 'open', responses: [] });
    },
  },
  respondBedRequest: {
    call: () => ({ method: 'POST', path: `/v1/bed-requests/${fx.bedRequestId}/responses`, json: { response: 'none' } }),
    expect: (p) => (p.role === 'bed-manager' && p.lssas.includes(HOME_LSSA) ? 'entitled' : 404),
    missing: () => ({ method: 'POST', path: `/v1/bed-requests/${ulid()}/responses`, json: { response: 'none' } }),
    control: async () => {
      const list = await getAs('client:provider-p-beds', '/v1/bed-requests');
      expect(list.body.items.find((r: any) => r.id === fx.bedRequestId)).toMatchObject({ status: 'open', responses: [] });
    },
  },
  getDemandExtract: {
    // An LSSA outside the analyst's data-sharing agreement.
    call: () => ({ method: 'GET', path: `/v1/extracts/demand?${MONTH}&lssa=${OTHER_LSSA}` }),
    expect: (p) => (p.lssas.includes(OTHER_LSSA) ? 'entitled' : 403),
    control: async () => expect((await getAs('client:analytics-dashboard', `/v1/extracts/demand?${MONTH}&lssa=${HOME_LSSA}`)).status).toBe(200),
  },
  getTimingsExtract: {
    call: () => ({ method: 'GET', path: `/v1/extracts/timings?${MONTH}&lssa=${OTHER_LSSA}` }),
    expect: (p) => (p.lssas.includes(OTHER_LSSA) ? 'entitled' : 403),
    control: async () => expect((await getAs('client:analytics-dashboard', `/v1/extracts/timings?${MONTH}&lssa=${HOME_LSSA}`)).status).toBe(200),
  },
  getDataQualityExtract: {
    call: () => ({ method: 'GET', path: `/v1/extracts/data-quality?${MONTH}&lssa=${OTHER_LSSA}` }),
    expect: (p) => (p.lssas.includes(OTHER_LSSA) ? 'entitled' : 403),
    control: async () => expect((await getAs('client:analytics-dashboard', `/v1/extracts/data-quality?${MONTH}&lssa=${HOME_LSSA}`)).status).toBe(200),
  },
  getCapacityExtract: {
    call: () => ({ method: 'GET', path: `/v1/extracts/capacity?${MONTH}` }),
    expect: () => 'entitled',
  },
  getRecordsExtract: {
    call: () => ({ method: 'GET', path: `/v1/extracts/records?month=2026-01&lssa=${OTHER_LSSA}` }),
    expect: (p) => (p.lssas.includes(OTHER_LSSA) ? 'entitled' : 403),
    control: async () => expect((await getAs('client:analytics-pipeline', `/v1/extracts/records?month=2026-01&lssa=${HOME_LSSA}`)).status).toBe(200),
  },
  getMe: {
    // No resource: every caller may ask who the Hub takes it to be, and learns only that.
    call: () => ({ method: 'GET', path: '/v1/me' }),
    expect: () => 'entitled',
  },
  listAmhps: {
    // Only the caller's own service register is listed.
    call: () => ({ method: 'GET', path: '/v1/amhps' }),
    expect: (p) => (is(p, 'amhp-service', 'amhp-lead', 'amhp') ? 'entitled' : 'hidden'),
    reveals: (body) => JSON.stringify(body).includes('amhp-sam') || body.items.some((e: any) => e.serviceId === 'amhp-service'),
    control: async () => {
      const own = await getAs('person:dana.lead', '/v1/amhps');
      expect(own.body.items.map((e: any) => e.amhpId)).toContain('amhp-sam');
    },
  },
  getAmhp: {
    call: () => ({ method: 'GET', path: '/v1/amhps/amhp-sam' }),
    expect: (p) => (is(p, 'amhp-service', 'amhp-lead', 'amhp') ? 'entitled' : 404),
    missing: () => ({ method: 'GET', path: `/v1/amhps/no-such-amhp-${ulid()}` }),
    control: async () => {
      const own = await getAs('person:dana.lead', '/v1/amhps/amhp-sam');
      expect(own.status).toBe(200);
      expect(own.etag).toBe(fx.amhpEtag);
    },
  },
  putAmhp: {
    // Another service's register is not visible (404); in its own service only the lead, in person, may change it (403).
    call: () => ({ method: 'PUT', path: '/v1/amhps/amhp-sam', json: amhpBody, headers: { 'If-Match': fx.amhpEtag } }),
    expect: (p) => (p.organisationId !== 'amhp-service' ? 404 : p.role === 'amhp-lead' && p.kind === 'person' ? 'entitled' : 403),
    control: async () => {
      const own = await getAs('person:dana.lead', '/v1/amhps/amhp-sam');
      expect(own.etag).toBe(fx.amhpEtag);
    },
  },
  listAudit: {
    // An auditor reads its own organisation's trail: the referring force's and the council's
    // (whose AMHP service it falls to) include it; Southvale's auditor sees none of it.
    call: () => ({ method: 'GET', path: `/v1/audit?referralId=${fx.referral.id}` }),
    expect: (p) => (p.organisationId === 'police-a' || p.organisationId === 'ig-team' ? 'entitled' : 'hidden'),
    reveals: (body) => body.items.length > 0,
    control: async () => {
      const own = await getAs('person:pat.audit', `/v1/audit?referralId=${fx.referral.id}`);
      expect(own.body.items.length).toBeGreaterThan(0);
    },
  },
  createSubscription: {
    call: () => ({ method: 'POST', path: '/v1/subscriptions', json: { url: 'http://127.0.0.1:9/tenancy-not-theirs', events: ['accepted'] }, headers: key() }),
    expect: (p) => (p.role === 'referrer' ? 'entitled' : 403),
  },
  getSubscription: {
    call: () => ({ method: 'GET', path: `/v1/subscriptions/${fx.subscriptionId}` }),
    expect: (p) => (ownsSubscription(p) ? 'entitled' : 404),
    missing: () => ({ method: 'GET', path: `/v1/subscriptions/${ulid()}` }),
    control: async () => expect((await getAs('client:police-a-triage', `/v1/subscriptions/${fx.subscriptionId}`)).status).toBe(200),
  },
  deleteSubscription: {
    call: () => ({ method: 'DELETE', path: `/v1/subscriptions/${fx.subscriptionId}` }),
    expect: (p) => (ownsSubscription(p) ? 'entitled' : 404),
    missing: () => ({ method: 'DELETE', path: `/v1/subscriptions/${ulid()}` }),
    control: async () => expect((await getAs('client:police-a-triage', `/v1/subscriptions/${fx.subscriptionId}`)).status).toBe(200),
  },
  listSubscriptionDeliveries: {
    call: () => ({ method: 'GET', path: `/v1/subscriptions/${fx.subscriptionId}/deliveries` }),
    expect: (p) => (ownsSubscription(p) ? 'entitled' : 404),
    missing: () => ({ method: 'GET', path: `/v1/subscriptions/${ulid()}/deliveries` }),
    control: async () => {
      const own = await getAs('client:police-a-triage', `/v1/subscriptions/${fx.subscriptionId}/deliveries`);
      expect(own.body.items.find((d: any) => d.id === fx.deliveryId)).toMatchObject({ status: 'pending', replays: 0 });
    },
  },
  listDeliveries: {
    // The AMHP service's view of feedback about its referrals: another service sees none of them.
    call: () => ({ method: 'GET', path: `/v1/deliveries?referralId=${fx.referral.id}` }),
    expect: (p) => (p.role !== 'amhp-lead' ? 403 : p.organisationId === 'amhp-service' ? 'entitled' : 'hidden'),
    reveals: (body) => JSON.stringify(body).includes(fx.deliveryId) || body.items.length > 0,
    control: async () => {
      const own = await getAs('client:amhp-case-system', `/v1/deliveries?referralId=${fx.referral.id}`);
      expect(own.body.items.map((d: any) => d.id)).toContain(fx.deliveryId);
    },
  },
  replayDelivery: {
    call: () => ({ method: 'POST', path: `/v1/deliveries/${fx.deliveryId}/replay` }),
    expect: (p) => (ownsSubscription(p) || is(p, 'amhp-service', 'amhp-lead') ? 'entitled' : 404),
    missing: () => ({ method: 'POST', path: `/v1/deliveries/${randomDeliveryId()}/replay` }),
    control: async () => {
      const own = await getAs('client:police-a-triage', `/v1/subscriptions/${fx.subscriptionId}/deliveries`);
      expect(own.body.items.find((d: any) => d.id === fx.deliveryId)).toMatchObject({ status: 'pending', replays: 0 });
    },
  },
};

const NON_PUBLIC = (ROUTES as readonly (typeof ROUTES)[number][]).filter((r): r is NonPublicRoute => r.auth !== 'public' && !r.tags.includes('fhir' as never));

interface Cell {
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
const cells: Cell[] = [];

const send = async (p: Principal, call: Call) => {
  const res = await api.fetch(call.path, { method: call.method, token: p.token, ...(call.json !== undefined ? { json: call.json } : {}), headers: call.headers ?? {} });
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
  step = await postEvent(api, lead, created.id, { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: new Date(Date.now() + 3_600_000).toISOString() }, step.etag!);
  step = await postEvent(api, sam, created.id, { type: 'bed-requested', bedType: 'adult-acute', sex: 'male' }, step.etag!);
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
  const sub = await api.fetch('/v1/subscriptions', { method: 'POST', token: policeA, json: { url: 'http://127.0.0.1:9/tenancy-proof', events: ['withdrawn'] }, headers: key() });
  expect(sub.status).toBe(201);
  fx.subscriptionId = ((await json(sub)) as any).id;
  // A delivery to it about the referral (as the stream consumer writes them), due long after this run.
  const delivery = newDelivery(
    { subscriptionId: fx.subscriptionId, organisationId: 'police-a', serviceId: 'amhp-service', referralId: created.id, reference: created.reference, seq: 99, eventType: 'withdrawn', messageId: `msg_${ulid()}`, body: '{}' },
    new Date(Date.now() + 90 * 86_400_000),
  );
  expect(await createDelivery(delivery)).toBe(true);
  fx.deliveryId = delivery.deliveryId;
});

afterAll(async () => {
  if (fx.subscriptionId) {
    // The owner can delete it: the last control.
    const res = await api.fetch(`/v1/subscriptions/${fx.subscriptionId}`, { method: 'DELETE', token: by('client:police-a-triage').token });
    expect(res.status).toBe(204);
  }
  await api?.close();
});

describe('tenancy over the route table', () => {
  it('has a fixture for every non-public route, and none for anything else', () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(NON_PUBLIC.map((r) => r.id).sort());
  });

  it('covers every role, and two organisations (or services) of the roles that have them', () => {
    const roles = new Set(principals.map((p) => p.role));
    expect([...roles].sort()).toEqual(['amhp', 'amhp-lead', 'analyst', 'auditor', 'bed-manager', 'referrer']);
    for (const role of ['referrer', 'amhp-lead', 'bed-manager']) {
      expect(new Set(principals.filter((p) => p.role === role).map((p) => p.organisationId)).size, role).toBeGreaterThanOrEqual(2);
    }
  });

  it.each(NON_PUBLIC.map((r) => [r.id, r] as const))('%s: 401 without the scope, 404 when not visible, 403 when not allowed, hidden in lists', async (id, route) => {
    const fixture = FIXTURES[id];
    await fixture.control?.();
    const rows = await Promise.all(
      principals.map(async (p): Promise<Cell | undefined> => {
        const hasScope = route.auth.scopes.some((s) => p.scopes.has(s));
        const expected = hasScope ? fixture.expect(p) : 401;
        if (expected === 'entitled') return undefined;
        const res = await send(p, fixture.call(p));
        const cell: Cell = { route: id, principal: p.key, expected, status: res.status, contentType: res.contentType };
        if (res.status >= 400) cell.problem = problemShape(res.body);
        if (expected === 'hidden' && res.status === 200) cell.revealed = fixture.reveals!(res.body);
        if (expected === 404 && fixture.missing) {
          const missing = await send(p, fixture.missing(p));
          cell.missingStatus = missing.status;
          cell.missingProblem = problemShape(missing.body);
        }
        return cell;
      }),
    );
    const mine = rows.filter((c): c is Cell => c !== undefined);
    cells.push(...mine);
    await fixture.control?.();

    const wrong = mine.filter((c) => (c.expected === 'hidden' ? c.status !== 200 || c.revealed !== false : c.status !== c.expected));
    expect(wrong.map((c) => `${c.principal}: expected ${c.expected}, got ${c.status}${c.revealed ? ' (revealed the resource)' : ''} ${c.problem?.detail ?? ''}`)).toEqual([]);
    for (const c of mine.filter((x) => x.status >= 400)) {
      expect(c.contentType, `${c.principal}`).toContain('application/problem+json');
      expect(c.problem?.status, `${c.principal}`).toBe(c.status);
      if (fixture.refusal && c.expected !== 401) expect(fixture.refusal(c.problem), `${c.principal}: ${JSON.stringify(c.problem)}`).toBe(true);
    }
    for (const c of mine.filter((x) => x.missingStatus !== undefined)) {
      // Another organisation's resource and one that exists nowhere are indistinguishable.
      expect(c.missingStatus, `${c.principal} at an id that exists nowhere`).toBe(404);
      expect(c.problem, `${c.principal}: the same problem as for an id that exists nowhere`).toEqual(c.missingProblem);
    }
  });

  it('the whole matrix: no 2xx at another organisation’s resource, no 5xx, one 404 for every hidden thing', () => {
    expect(cells.length).toBeGreaterThan(200);
    expect(cells.filter((c) => c.status >= 500).map((c) => `${c.route} ${c.principal} ${c.status}`)).toEqual([]);
    expect(cells.filter((c) => c.status < 300 && c.expected !== 'hidden').map((c) => `${c.route} ${c.principal} ${c.status}`)).toEqual([]);
    expect(cells.filter((c) => c.revealed).map((c) => `${c.route} ${c.principal}`)).toEqual([]);
    const notFound = cells.filter((c) => c.status === 404).flatMap((c) => [c.problem, ...(c.missingProblem ? [c.missingProblem] : [])]);
    expect(notFound.length).toBeGreaterThan(20);
    expect(new Set(notFound.map((p) => JSON.stringify(p))).size).toBe(1);
    // Each kind of answer the matrix is about actually occurs.
    const statuses = new Set(cells.map((c) => c.status));
    for (const s of [200, 400, 401, 403, 404]) expect(statuses, String(s)).toContain(s);
  });
});

/**
 * Inside the AMHP service (DOMAIN §1, amhp row): every caller of the service that may see a
 * referral at all, at three referrals — allocated to Sam (past triage), awaiting triage, and
 * allocated to Sam with Kim co-allocated — on every route that returns referral detail. Only the
 * lead, the allocated or co-allocated AMHP and the duty reviewer (while awaiting triage) get the
 * full referral; every other AMHP the minimal view with no identifiable field.
 */
describe('detail inside the AMHP service', () => {
  const awaiting = { id: '', reference: '' };
  const coAllocated = { id: '', reference: '' };
  const SECRETS = ['Marsh', '1992-03-08', 'parapet', 'knife', 'Needs assessment', 'Ruth', 'RC9-ED'];
  const MINIMAL_KEYS = ['id', 'reference', 'detail', 'status', 'version', 'receivedAt', 'updatedAt', 'responsibleLssa', 'basis', 'urgency', 'legalStatus', 'clocks', 'allocatedAmhpId', 'lastEvent'];

  beforeAll(async () => {
    const policeA = by('client:police-a-triage').token;
    const lead = by(`person:${PEOPLE.lead}`).token;
    const fresh = await createReferral(api, policeA, j1Body({ responsibleLssa: HOME_LSSA }));
    Object.assign(awaiting, { id: fresh.id, reference: fresh.reference });
    const other = await createReferral(api, policeA, j1Body({ responsibleLssa: HOME_LSSA }));
    let step = await postEvent(api, lead, other.id, { type: 'start-review' }, other.etag);
    step = await postEvent(api, lead, other.id, { type: 'accept', reason: 'Needs assessment' }, step.etag!);
    step = await postEvent(api, lead, other.id, { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: new Date(Date.now() + 3_600_000).toISOString() }, step.etag!);
    expect(step.status).toBe(200);
    // Co-allocation as the lifecycle records it (the event itself is the lifecycle's to add).
    await ddb().send(
      new UpdateCommand({
        TableName: tableName('hub'),
        Key: referralKeys.state(other.id),
        UpdateExpression: 'SET coAllocations = :c',
        ExpressionAttributeValues: { ':c': [{ amhpId: 'amhp-kim', at: new Date().toISOString(), byActorId: by(`person:${PEOPLE.lead}`).subject }] },
      }),
    );
    Object.assign(coAllocated, { id: other.id, reference: other.reference });
  });

  const service = () => principals.filter((p) => p.organisationId === 'amhp-service' && (p.role === 'amhp-lead' || p.role === 'amhp'));
  const full = (username: string) => (p: Principal) => p.role === 'amhp-lead' || p.key === `person:${username}`;
  const cases = () => [
    { name: 'allocated to Sam, past triage', ref: fx.referral, full: (p: Principal) => full(PEOPLE.amhp)(p) },
    { name: 'awaiting triage', ref: awaiting, full: (p: Principal) => full(PEOPLE.reviewer)(p) },
    { name: 'allocated to Sam, Kim co-allocated', ref: coAllocated, full: (p: Principal) => full(PEOPLE.amhp)(p) || p.key === `person:${PEOPLE.unallocated}` },
  ];

  it('covers the lead (person and system), the allocated AMHP, the duty reviewer and an AMHP who is neither', () => {
    expect(service().map((p) => p.key).sort()).toEqual(['client:amhp-case-system', `person:${PEOPLE.unallocated}`, `person:${PEOPLE.reviewer}`, `person:${PEOPLE.lead}`, `person:${PEOPLE.amhp}`].sort());
  });

  it('GET /v1/referrals/{id} and ?reference=: the full referral or the minimal view, never more', async () => {
    const wrong: string[] = [];
    for (const c of cases()) {
      for (const p of service()) {
        for (const path of [`/v1/referrals/${c.ref.id}`, `/v1/referrals?reference=${c.ref.reference}`]) {
          const res = await getAs(p.key, path);
          const body = path.includes('reference=') ? res.body.items[0] : res.body;
          const text = JSON.stringify(body);
          const got = res.status !== 200 ? `status ${res.status}` : body.person?.familyName === 'Marsh' ? 'full' : body.detail === 'minimal' ? 'minimal' : 'other';
          const want = c.full(p) ? 'full' : 'minimal';
          if (got !== want) wrong.push(`${c.name} ${p.key} ${path}: ${got}, expected ${want}`);
          if (want === 'minimal') {
            const extra = Object.keys(body ?? {}).filter((k) => !MINIMAL_KEYS.includes(k));
            const leaked = SECRETS.filter((s) => text.includes(s));
            if (extra.length || leaked.length) wrong.push(`${c.name} ${p.key} ${path}: extra keys ${extra}, leaked ${leaked.length}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('GET /v1/referrals/{id}/events: the full history or board-level entries without free text', async () => {
    const wrong: string[] = [];
    for (const c of cases()) {
      for (const p of service()) {
        const res = await getAs(p.key, `/v1/referrals/${c.ref.id}/events`);
        expect(res.status).toBe(200);
        const text = JSON.stringify(res.body);
        if (c.full(p)) {
          if (c.ref !== awaiting && !text.includes('Needs assessment')) wrong.push(`${c.name} ${p.key}: the full history lacks the triage reason`);
        } else {
          const leaked = SECRETS.filter((s) => text.includes(s));
          const dataKeys = res.body.items.flatMap((e: any) => Object.keys(e.data));
          if (leaked.length || dataKeys.some((k: string) => !['power', 'threshold', 'expiresAt', 'hours'].includes(k)) || res.body.items.some((e: any) => 'actorId' in e)) {
            wrong.push(`${c.name} ${p.key}: minimal history shows more (${leaked.length} secrets, keys ${dataKeys})`);
          }
          expect(res.body.items.length, `${c.name} ${p.key}`).toBeGreaterThan(0);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the duty-reviewer flag is read from the register on each request: marked and active, not otherwise', async () => {
    const lead = by(`person:${PEOPLE.lead}`).token;
    const kim = `person:${PEOPLE.unallocated}`;
    const entry = { displayName: 'Kim Adeyemi', authorisedLssas: [HOME_LSSA, 'E06000056'] };
    const setKim = async (active: boolean, dutyReviewer: boolean) => {
      const current = await getAs(`person:${PEOPLE.lead}`, '/v1/amhps/amhp-kim');
      const res = await api.fetch('/v1/amhps/amhp-kim', { method: 'PUT', token: lead, json: { ...entry, active, dutyReviewer }, headers: { 'If-Match': current.etag! } });
      expect(res.status).toBe(200);
    };
    const kimSees = async () => (await getAs(kim, `/v1/referrals/${awaiting.id}`)).body.detail ?? 'full';
    try {
      expect(await kimSees()).toBe('minimal');
      await setKim(true, true);
      expect(await kimSees()).toBe('full');
      // Not past triage: a duty reviewer sees the allocated referral at board level.
      expect((await getAs(kim, `/v1/referrals/${fx.referral.id}`)).body.detail).toBe('minimal');
      await setKim(false, true);
      expect(await kimSees()).toBe('minimal');
    } finally {
      await setKim(true, false);
    }
  });

  it('the board stays board-level for every AMHP of the service', async () => {
    for (const p of service().filter((x) => x.role === 'amhp')) {
      const res = await getAs(p.key, '/v1/referrals?view=board&limit=100');
      expect(res.status).toBe(200);
      expect(SECRETS.filter((s) => JSON.stringify(res.body).includes(s))).toEqual([]);
    }
  });
});
