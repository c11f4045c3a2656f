/** The tenancy matrix's rows for the extracts, the register, audit, subscriptions, whereabouts and alerts. */
import { ulid } from 'ulid';
import { expect } from 'vitest';
import { PEOPLE } from '../support/api.js';
import {
  type NonPublicRouteId,
  type Fixture,
  by,
  fx,
  OTHER_LSSA,
  HOME_LSSA,
  is,
  ownsSubscription,
  randomDeliveryId,
  key,
  getAs,
  amhpBody,
  MONTH,
} from './tenancy.fixture.js';

/** Split out of tenancy-routes.fixture.ts, which spreads these into FIXTURES. */
export const LATER_FIXTURES = {
  getDemandExtract: {
    // An LSSA outside the analyst's data-sharing agreement.
    call: () => ({ method: 'GET', path: `/v1/extracts/demand?${MONTH}&lssa=${OTHER_LSSA}` }),
    expect: (p) => (p.lssas.includes(OTHER_LSSA) ? 'entitled' : 403),
    control: async () =>
      expect((await getAs('client:analytics-dashboard', `/v1/extracts/demand?${MONTH}&lssa=${HOME_LSSA}`)).status).toBe(
        200,
      ),
  },
  getTimingsExtract: {
    call: () => ({ method: 'GET', path: `/v1/extracts/timings?${MONTH}&lssa=${OTHER_LSSA}` }),
    expect: (p) => (p.lssas.includes(OTHER_LSSA) ? 'entitled' : 403),
    control: async () =>
      expect(
        (await getAs('client:analytics-dashboard', `/v1/extracts/timings?${MONTH}&lssa=${HOME_LSSA}`)).status,
      ).toBe(200),
  },
  getDataQualityExtract: {
    call: () => ({ method: 'GET', path: `/v1/extracts/data-quality?${MONTH}&lssa=${OTHER_LSSA}` }),
    expect: (p) => (p.lssas.includes(OTHER_LSSA) ? 'entitled' : 403),
    control: async () =>
      expect(
        (await getAs('client:analytics-dashboard', `/v1/extracts/data-quality?${MONTH}&lssa=${HOME_LSSA}`)).status,
      ).toBe(200),
  },
  getCapacityExtract: {
    call: () => ({ method: 'GET', path: `/v1/extracts/capacity?${MONTH}` }),
    expect: () => 'entitled',
  },
  getRecordsExtract: {
    call: () => ({ method: 'GET', path: `/v1/extracts/records?month=2026-01&lssa=${OTHER_LSSA}` }),
    expect: (p) => (p.lssas.includes(OTHER_LSSA) ? 'entitled' : 403),
    control: async () =>
      expect(
        (await getAs('client:analytics-pipeline', `/v1/extracts/records?month=2026-01&lssa=${HOME_LSSA}`)).status,
      ).toBe(200),
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
    reveals: (body) =>
      JSON.stringify(body).includes('amhp-sam') || body.items.some((e: any) => e.serviceId === 'amhp-service'),
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
    // Another service's register is not visible (404); in its own service only the lead, in person, may change it
    // (403).
    call: () => ({ method: 'PUT', path: '/v1/amhps/amhp-sam', json: amhpBody, headers: { 'If-Match': fx.amhpEtag } }),
    expect: (p) =>
      p.organisationId !== 'amhp-service' ? 404 : p.role === 'amhp-lead' && p.kind === 'person' ? 'entitled' : 403,
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
    call: () => ({
      method: 'POST',
      path: '/v1/subscriptions',
      json: { url: 'http://127.0.0.1:9/tenancy-not-theirs', events: ['accepted'] },
      headers: key(),
    }),
    expect: (p) => (p.role === 'referrer' ? 'entitled' : 403),
  },
  getSubscription: {
    call: () => ({ method: 'GET', path: `/v1/subscriptions/${fx.subscriptionId}` }),
    expect: (p) => (ownsSubscription(p) ? 'entitled' : 404),
    missing: () => ({ method: 'GET', path: `/v1/subscriptions/${ulid()}` }),
    control: async () =>
      expect((await getAs('client:police-a-triage', `/v1/subscriptions/${fx.subscriptionId}`)).status).toBe(200),
  },
  deleteSubscription: {
    call: () => ({ method: 'DELETE', path: `/v1/subscriptions/${fx.subscriptionId}` }),
    expect: (p) => (ownsSubscription(p) ? 'entitled' : 404),
    missing: () => ({ method: 'DELETE', path: `/v1/subscriptions/${ulid()}` }),
    control: async () =>
      expect((await getAs('client:police-a-triage', `/v1/subscriptions/${fx.subscriptionId}`)).status).toBe(200),
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
  // DOMAIN §9: whereabouts and alerts are the service's (the lead) and the AMHP's own, nobody else's.
  postWhereaboutsEvent: {
    // Only an AMHP records their own whereabouts; Sam is allocated (entitled), another AMHP is not (400); nobody else
    // (403).
    call: () => ({
      method: 'POST',
      path: '/v1/whereabouts/events',
      json: {
        type: 'checked-in',
        referralId: fx.referral.id,
        expectedFinishAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    }),
    expect: (p) =>
      p.role !== 'amhp' || p.kind !== 'person'
        ? 403
        : p.subject === by(`person:${PEOPLE.amhp}`).subject
          ? 'entitled'
          : 400,
  },
  getWhereabouts: {
    call: () => ({ method: 'GET', path: '/v1/whereabouts' }),
    expect: (p) => (p.kind !== 'person' ? 403 : is(p, 'amhp-service', 'amhp-lead') ? 'entitled' : 'hidden'),
    reveals: (body) => JSON.stringify(body).includes(fx.sessionId) || JSON.stringify(body).includes(fx.checkInId),
    control: async () => {
      const own = await getAs(`person:${PEOPLE.lead}`, '/v1/whereabouts');
      expect(own.body.checkIns.map((c: any) => c.checkInId)).toContain(fx.checkInId);
    },
  },
  listAlerts: {
    call: () => ({ method: 'GET', path: '/v1/alerts?limit=100' }),
    expect: (p) => (p.role !== 'amhp-lead' ? 403 : p.organisationId === 'amhp-service' ? 'entitled' : 'hidden'),
    reveals: (body) => JSON.stringify(body).includes(fx.alertId),
  },
  acknowledgeAlert: {
    call: () => ({ method: 'POST', path: `/v1/alerts/${fx.alertId}/acknowledge` }),
    expect: (p) =>
      p.organisationId !== 'amhp-service' ? 404 : p.role === 'amhp-lead' && p.kind === 'person' ? 'entitled' : 403,
    missing: () => ({ method: 'POST', path: `/v1/alerts/${ulid()}/acknowledge` }),
  },
  putAlertChannel: {
    // Always the caller's own service's channel: a lead in person sets it; nobody else.
    call: () => ({
      method: 'PUT',
      path: '/v1/alert-channel',
      json: { url: 'http://127.0.0.1:9/tenancy-alerts', graceMinutes: 30 },
    }),
    expect: (p) => (p.role === 'amhp-lead' && p.kind === 'person' ? 'entitled' : 403),
  },
  listAlertDeliveries: {
    call: () => ({ method: 'GET', path: '/v1/alert-channel/deliveries?limit=100' }),
    expect: (p) => (p.role !== 'amhp-lead' ? 403 : p.organisationId === 'amhp-service' ? 'entitled' : 'hidden'),
    reveals: (body) => JSON.stringify(body).includes(fx.alertDeliveryId),
  },
  replayAlertDelivery: {
    call: () => ({ method: 'POST', path: `/v1/alert-channel/deliveries/${fx.alertDeliveryId}/replay` }),
    expect: (p) => (p.organisationId !== 'amhp-service' ? 404 : p.role === 'amhp-lead' ? 'entitled' : 403),
    missing: () => ({ method: 'POST', path: `/v1/alert-channel/deliveries/${randomDeliveryId()}/replay` }),
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
} satisfies Partial<Record<NonPublicRouteId, Fixture>>;
