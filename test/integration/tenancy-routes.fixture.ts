/** The tenancy matrix's row per non-public route: the call, what each caller must get, controls. */
import { ulid } from 'ulid';
import { expect } from 'vitest';
import { PEOPLE } from '../support/api.js';
import { j1Body } from '../support/referrals.js';
import {
  type NonPublicRouteId,
  type Fixture,
  api,
  principals,
  by,
  fx,
  HOME_LSSA,
  UNIT,
  SITE,
  seesReferral,
  ownsCapacity,
  key,
  nowIso,
  json,
  getAs,
  unitBody,
  siteBody,
  referralUnchanged,
} from './tenancy.fixture.js';

import { LATER_FIXTURES } from './tenancy-routes-later.fixture.js';
export const FIXTURES: Record<NonPublicRouteId, Fixture> = {
  createReferral: {
    // Creating "as" another organisation: the organisation comes from the caller, never the body.
    call: () => {
      const body = j1Body();
      body.referrer = { ...body.referrer, organisationId: 'police-a' };
      return { method: 'POST', path: '/v1/referrals', json: body, headers: key() };
    },
    expect: () => 400,
    refusal: (problem) =>
      problem.errors?.some((e: any) => e.pointer === '/referrer/organisationId') &&
      !JSON.stringify(problem).includes('police-a'),
    control: async () => {
      const res = await api.fetch('/v1/referrals', {
        method: 'POST',
        token: by('client:police-b-hub').token,
        json: j1Body(),
        headers: key(),
      });
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
    call: () => ({
      method: 'POST',
      path: `/v1/referrals/${fx.referral.id}/events`,
      json: { type: 'information-added', note: 'Family have arrived at A&E.' },
      headers: { 'If-Match': fx.referral.etag },
    }),
    expect: (p) => (seesReferral(p) ? 'entitled' : 404),
    missing: () => ({
      method: 'POST',
      path: `/v1/referrals/${ulid()}/events`,
      json: { type: 'information-added', note: 'Family have arrived at A&E.' },
      headers: { 'If-Match': '"1"' },
    }),
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
    expect: (p) =>
      !seesReferral(p) ? 404 : p.role === 'amhp-lead' || p.key === `person:${PEOPLE.amhp}` ? 'entitled' : 403,
    missing: () => ({ method: 'GET', path: `/v1/referrals/${ulid()}/letters/gp` }),
    control: referralUnchanged,
  },
  putBedUnit: {
    // Units are visible to every capacity reader: another provider is refused (403), not hidden.
    call: () => ({
      method: 'PUT',
      path: `/v1/bed-units/${UNIT}`,
      json: { ...unitBody, name: 'Taken over' },
      headers: { 'If-Match': `"${fx.unitVersion}"` },
    }),
    expect: (p) => (ownsCapacity(p) ? 'entitled' : 403),
    control: async () => {
      const list = await getAs('client:provider-p-beds', `/v1/bed-availability?lssa=${HOME_LSSA}`);
      const unit = list.body.items.find((u: any) => u.unitId === UNIT);
      expect(unit).toMatchObject({ providerId: 'provider-p', name: unitBody.name });
    },
  },
  putBedAvailability: {
    call: () => ({
      method: 'PUT',
      path: `/v1/bed-units/${UNIT}/availability`,
      json: { asOf: nowIso(), beds: [{ bedType: 'adult-acute', sex: 'male', available: 9, total: 18 }] },
    }),
    expect: (p) => (ownsCapacity(p) ? 'entitled' : 403),
    missing: () => ({
      method: 'PUT',
      path: `/v1/bed-units/no-such-unit-${ulid()}/availability`,
      json: { asOf: nowIso(), beds: [{ bedType: 'adult-acute', sex: 'male', available: 9, total: 18 }] },
    }),
    control: async () => {
      const history = await getAs(
        'client:provider-p-beds',
        `/v1/bed-units/${UNIT}/history?from=` +
          `${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&to=` +
          `${encodeURIComponent(nowIso())}`,
      );
      expect(history.status).toBe(200);
      // Nobody but provider P wrote this unit's figures in the last hour.
      const providerP = principals.filter(ownsCapacity).map((p) => p.subject);
      expect(history.body.items.filter((s: any) => !providerP.includes(s.updatedBy))).toEqual([]);
    },
  },
  getBedUnitHistory: {
    // Visible to every capacity reader by design (DOMAIN §5: out-of-area beds are searched too).
    call: () => ({
      method: 'GET',
      path: `/v1/bed-units/${UNIT}/history?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`,
    }),
    expect: () => 'entitled',
  },
  listBedAvailability: {
    call: () => ({ method: 'GET', path: `/v1/bed-availability?lssa=${HOME_LSSA}` }),
    expect: () => 'entitled',
  },
  putPlaceOfSafety: {
    call: () => ({
      method: 'PUT',
      path: `/v1/places-of-safety/${SITE}`,
      json: { ...siteBody, name: 'Taken over' },
      headers: { 'If-Match': `"${fx.siteVersion}"` },
    }),
    expect: (p) => (ownsCapacity(p) ? 'entitled' : 403),
    control: async () => {
      const list = await getAs('client:police-a-triage', `/v1/places-of-safety?lssa=${HOME_LSSA}`);
      expect(list.body.items.find((s: any) => s.siteId === SITE)).toMatchObject({ name: siteBody.name });
    },
  },
  putPlaceOfSafetyStatus: {
    call: () => ({
      method: 'PUT',
      path: `/v1/places-of-safety/${SITE}/status`,
      json: { asOf: nowIso(), status: 'closed', capacity: 7, emptySpaces: 7, acceptsUnder18: false },
    }),
    expect: (p) => (ownsCapacity(p) ? 'entitled' : 403),
    missing: () => ({
      method: 'PUT',
      path: `/v1/places-of-safety/no-such-site-${ulid()}/status`,
      json: { asOf: nowIso(), status: 'closed', capacity: 7, emptySpaces: 7, acceptsUnder18: false },
    }),
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
    reveals: (body) =>
      JSON.stringify(body).includes(fx.bedRequestId) || JSON.stringify(body).includes(fx.referral.reference),
    control: async () => {
      const list = await getAs('client:provider-p-beds', '/v1/bed-requests');
      expect(list.body.items.find((r: any) => r.id === fx.bedRequestId)).toMatchObject({
        status: 'open',
        responses: [],
      });
    },
  },
  respondBedRequest: {
    call: () => ({ method: 'POST', path: `/v1/bed-requests/${fx.bedRequestId}/responses`, json: { response: 'none' } }),
    expect: (p) => (p.role === 'bed-manager' && p.lssas.includes(HOME_LSSA) ? 'entitled' : 404),
    missing: () => ({ method: 'POST', path: `/v1/bed-requests/${ulid()}/responses`, json: { response: 'none' } }),
    control: async () => {
      const list = await getAs('client:provider-p-beds', '/v1/bed-requests');
      expect(list.body.items.find((r: any) => r.id === fx.bedRequestId)).toMatchObject({
        status: 'open',
        responses: [],
      });
    },
  },
  ...LATER_FIXTURES,
};
