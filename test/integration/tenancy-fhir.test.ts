/**
 * Tenancy over the FHIR facade's routes (the same principle as tenancy.test.ts, which covers
 * the problem+json routes): every identity of the registry at a referral another organisation
 * made through FHIR. Expected: 401 without the route's scope (the gateway's answer), 404 when
 * the referral is not visible (the same OperationOutcome as for an id that exists nowhere), 403
 * when visible but the role may not use the facade, and Task search never showing it.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { registryPrincipals, type Principal } from '../support/security-principals.js';
import { FHIR_JSON, fhirMessage, postMessage, taskIn } from '../support/fhir.js';
import { readReferral } from '../support/referrals.js';

let api: TestApi;
let principals: Principal[];
let referralId = '';
let createdAt = '';
const OWNER = 'client:ambulance-cad';

type AuthorisedRoute = Exclude<(typeof ROUTES)[number], { auth: 'public' }>;
const FHIR_ROUTES = ROUTES.filter((r): r is AuthorisedRoute => r.path.startsWith('/fhir/') && r.auth !== 'public');
type Expectation = 'entitled' | 403 | 404 | 'hidden';
const isOwner = (p: Principal) => p.organisationId === 'ambulance' && p.role === 'referrer';
const isService = (p: Principal) =>
  p.organisationId === 'amhp-service' && (p.role === 'amhp-lead' || p.role === 'amhp');

const MATRIX: Record<string, { path: () => string; missing?: () => string; expect: (p: Principal) => Expectation }> = {
  getFhirTask: {
    path: () => `/fhir/R4/Task/${referralId}`,
    missing: () => `/fhir/R4/Task/${ulid()}`,
    expect: (p) => (isOwner(p) ? 'entitled' : isService(p) ? 403 : 404),
  },
  getFhirServiceRequest: {
    path: () => `/fhir/R4/ServiceRequest/${referralId}`,
    missing: () => `/fhir/R4/ServiceRequest/${ulid()}`,
    expect: (p) => (isOwner(p) ? 'entitled' : isService(p) ? 403 : 404),
  },
  searchFhirTasks: {
    path: () => `/fhir/R4/Task?_lastUpdated=gt${createdAt}&_count=100`,
    expect: (p) => (isOwner(p) ? 'entitled' : p.role === 'referrer' ? 'hidden' : 403),
  },
};

const send = async (p: Principal, path: string) => {
  const res = await api.fetch(path, { token: p.token });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    body: text ? (JSON.parse(text) as Record<string, any>) : {},
  };
};
/** An OperationOutcome without its per-request id (the correlation id). */
const shape = (body: Record<string, any>) => ({ ...body, id: undefined });

beforeAll(async () => {
  api = await startTestApi();
  principals = await registryPrincipals(api);
  createdAt = new Date(Date.now() - 60_000).toISOString();
  const owner = principals.find((p) => p.key === OWNER)!;
  const created = await postMessage(api, owner.token, fhirMessage('ambulance-s136'));
  expect(created.status).toBe(200);
  referralId = taskIn(created.body).id;
  // The feed serves changes older than its 5 s safety lag: the owner must see it in search.
  await new Promise((r) => setTimeout(r, 5_500));
});
afterAll(async () => api?.close());

describe('tenancy over the FHIR routes', () => {
  it('has a row for every authorised FHIR read route', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(
      FHIR_ROUTES.filter((r) => r.method === 'GET')
        .map((r) => r.id)
        .sort(),
    );
  });

  it.each(Object.keys(MATRIX))(
    '%s: 401 without the scope, 404 when not visible, 403 for the AMHP service, hidden in search',
    async (id) => {
      const route = FHIR_ROUTES.find((r) => r.id === id)!;
      const row = MATRIX[id]!;
      const owner = await send(principals.find((p) => p.key === OWNER)!, row.path());
      expect(owner.status).toBe(200);
      if (id === 'searchFhirTasks') expect(owner.body.entry.map((e: any) => e.resource.id)).toContain(referralId);
      const wrong: string[] = [];
      for (const p of principals) {
        const hasScope = (route.auth.scopes as readonly string[]).some((s) => p.scopes.has(s));
        const expected = hasScope ? row.expect(p) : 401;
        if (expected === 'entitled') continue;
        const res = await send(p, row.path());
        if (expected === 'hidden') {
          if (res.status !== 200 || JSON.stringify(res.body).includes(referralId))
            wrong.push(`${p.key}: ${res.status} revealed`);
          continue;
        }
        if (res.status !== expected) wrong.push(`${p.key}: expected ${expected}, got ${res.status}`);
        // Past the gateway, every refusal is an OperationOutcome.
        if (expected !== 401) {
          expect(res.contentType, p.key).toContain(FHIR_JSON);
          expect(res.body.resourceType, p.key).toBe('OperationOutcome');
        }
        if (expected === 404 && row.missing) {
          const missing = await send(p, row.missing());
          expect(missing.status, p.key).toBe(404);
          expect(shape(res.body), `${p.key}: the same answer as for an id that exists nowhere`).toEqual(
            shape(missing.body),
          );
        }
      }
      expect(wrong).toEqual([]);
    },
  );

  it('$process-message takes the organisation from the caller, never from the message', async () => {
    const policeA = principals.find((p) => p.key === 'client:police-a-triage')!;
    const message = fhirMessage('ae-s5-2');
    (message.entry![0]!.resource as any).sender = {
      identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'ambulance' },
    };
    const created = await postMessage(api, policeA.token, message);
    expect(created.status).toBe(200);
    const id = taskIn(created.body).id;
    expect((await readReferral(api, policeA.token, id)).id).toBe(id);
    const owner = principals.find((p) => p.key === OWNER)!;
    expect((await send(owner, `/fhir/R4/Task/${id}`)).status).toBe(404);
    // Callers without referrals.write never reach the handler.
    for (const p of principals.filter((x) => !x.scopes.has('referrals.write'))) {
      expect((await postMessage(api, p.token, fhirMessage('ae-s5-2'))).status, p.key).toBe(401);
    }
  });
});
