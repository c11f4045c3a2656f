/**
 * Token edges through the real path, with tokens signed by the issuer's own key (so only the
 * claims are wrong, never the signature): the wrong token_use, tokens not yet valid, clients and
 * people the registry does not know, scopes the caller's role does not carry, and the caller kind
 * (a system client where a person must decide, and the reverse). Each is a 401 or a 403, never a
 * 2xx and never a 5xx.
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.js';
import { newAlertId, raiseAlert } from '../../shared/safety/alerts.js';
import { loadRegistry } from '../../infra/local/seed.js';
import { DECISION_EVENT_TYPES } from '../../shared/schemas/referral-events.js';
import { PEOPLE, uniqueId } from '../support/api.js';
import { tokensFor } from '../support/tokens.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import { KEYED_ISSUER, startKeyedTestApi, type KeyedTestApi } from '../support/security-api.js';

let api: KeyedTestApi;
const registry = loadRegistry();
const dana = registry.people.find((p) => p.username === PEOPLE.lead)!;
const t = {} as Record<'lead' | 'sam' | 'alex' | 'leadSystem' | 'policeA', string>;
/** Every status this file saw: none may be a 5xx. */
const seen: { name: string; status: number }[] = [];

beforeAll(async () => {
  api = await startKeyedTestApi();
  Object.assign(t, await tokensFor(api, ['lead', 'sam', 'alex', 'leadSystem', 'policeA']));
});
afterAll(async () => api?.close());

const nowSeconds = () => Math.floor(Date.now() / 1000);
const call = async (
  name: string,
  path: string,
  token: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
) => {
  const res = await api.fetch(path, { token, ...init });
  const text = await res.text();
  seen.push({ name, status: res.status });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    body: text ? (JSON.parse(text) as Record<string, any>) : {},
  };
};
/** GET /v1/amhps/amhp-sam: 200 for the lead of its service with a good token. */
const readRegister = (name: string, token: string) => call(name, '/v1/amhps/amhp-sam', token);

describe('the signing is the issuer’s: hand-made tokens are accepted when their claims are right', () => {
  it('a re-signed copy of a real person token and of a real client token → 200', async () => {
    expect((await readRegister('resigned person', await api.resign(t.lead, (c) => c))).status).toBe(200);
    expect((await readRegister('resigned client', await api.resign(t.leadSystem, (c) => c))).status).toBe(200);
  });

  it('nbf and iat within the 5 s clock tolerance → 200', async () => {
    const token = await api.resign(t.lead, (c) => ({ ...c, nbf: nowSeconds() + 2, iat: nowSeconds() + 2 }));
    expect((await readRegister('within tolerance', token)).status).toBe(200);
  });
});

describe('401: the token is not an access token the Hub accepts', () => {
  const edits: [string, (c: Record<string, unknown>) => Record<string, unknown>][] = [
    ["token_use 'id' (an ID token's use, access-token claims)", (c) => ({ ...c, token_use: 'id' })],
    ['no token_use', ({ token_use: _u, ...c }) => c],
    ['nbf a minute in the future', (c) => ({ ...c, nbf: nowSeconds() + 60 })],
    ['iat a minute in the future', (c) => ({ ...c, iat: nowSeconds() + 60, exp: nowSeconds() + 3660 })],
    [
      'issued in the future and not yet valid',
      (c) => ({ ...c, iat: nowSeconds() + 600, nbf: nowSeconds() + 600, exp: nowSeconds() + 4200 }),
    ],
    ['no iat', ({ iat: _i, ...c }) => c],
    ['no exp', ({ exp: _e, ...c }) => c],
    ['expired a minute ago', (c) => ({ ...c, iat: nowSeconds() - 3660, exp: nowSeconds() - 60 })],
    ['another issuer', (c) => ({ ...c, iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_other' })],
    ['no client_id', ({ client_id: _c, ...c }) => c],
    ['no sub', ({ sub: _s, ...c }) => c],
    ['a person nobody registered (unknown sub, the people client)', (c) => ({ ...c, sub: randomUUID() })],
    [
      'the people client with a machine client as its sub',
      (c) => ({ ...c, sub: 'amhp-case-system', username: 'amhp-case-system' }),
    ],
    ['scope as a JSON array', (c) => ({ ...c, scope: String(c.scope).split(' ') })],
    ['the scope of another resource server', (c) => ({ ...c, scope: String(c.scope).replace(/hub\//g, 'other/') })],
  ];

  it.each(edits)('%s → 401 problem+json', async (name, edit) => {
    const res = await readRegister(name, await api.resign(t.lead, edit));
    expect(res.status).toBe(401);
    expect(res.contentType).toContain('application/problem+json');
  });

  it('a realistic Cognito ID token (aud, cognito:username, no scope) → 401', async () => {
    const iat = nowSeconds();
    const idToken = await api.sign({
      sub: dana.sub,
      aud: registry.peopleClientId,
      iss: KEYED_ISSUER,
      token_use: 'id',
      'cognito:username': dana.username,
      email_verified: true,
      auth_time: iat,
      iat,
      exp: iat + 3600,
      jti: randomUUID(),
    });
    expect((await readRegister('id token', idToken)).status).toBe(401);
  });

  it('a machine client the registry does not know, signed with the issuer key and every scope → 401', async () => {
    const iat = nowSeconds();
    const scope = [
      'referrals.read',
      'referrals.manage',
      'referrals.write',
      'capacity.read',
      'capacity.write',
      'places.read',
      'feedback.manage',
      'extracts.read',
      'extracts.records',
      'audit.read',
    ]
      .map((s) => `hub/${s}`)
      .join(' ');
    const rogue = await api.sign({
      sub: 'rogue-system',
      client_id: 'rogue-system',
      scope,
      token_use: 'access',
      auth_time: iat,
      iat,
      exp: iat + 3600,
      iss: KEYED_ISSUER,
      jti: randomUUID(),
      version: 2,
    });
    for (const [path, init] of [
      ['/v1/amhps/amhp-sam', {}],
      ['/v1/audit?organisationId=amhp-service', {}],
      ['/v1/referrals', { method: 'POST', json: j1Body(), headers: { 'Idempotency-Key': randomUUID() } }],
      ['/v1/extracts/records?month=2026-01', {}],
    ] as const) {
      const res = await call(`rogue ${path}`, path, rogue, init);
      expect(res.status, path).toBe(401);
      expect(res.body.title).toBe('Unauthorized');
    }
  });

  it('no kid, or a kid the JWKS does not have → 401', async () => {
    const claims = decodeJwt(t.lead);
    expect((await readRegister('no kid', await api.sign(claims, { kid: null }))).status).toBe(401);
    expect((await readRegister('unknown kid', await api.sign(claims, { kid: 'some-other-key' }))).status).toBe(401);
  });
});

describe('403: a valid token whose caller may not do this', () => {
  it('a scope the client’s role does not carry passes the authorizer but not the role check', async () => {
    // Force A's referral system with the AMHP service's and the auditor's scopes in its token.
    const inflated = await api.resign(t.policeA, (c) => ({
      ...c,
      scope: `${String(c.scope)} hub/referrals.manage hub/audit.read hub/extracts.records hub/capacity.write`,
    }));
    // Another service's register entry stays invisible: 404 comes before the role's 403.
    expect((await call('inflated register', '/v1/amhps/amhp-sam', inflated)).status).toBe(404);
    expect((await call('inflated audit', '/v1/audit?organisationId=police-a', inflated)).status).toBe(403);
    expect((await call('inflated records', '/v1/extracts/records?month=2026-01', inflated)).status).toBe(403);
    const unit = await call('inflated unit', '/v1/bed-units/p-oak-ward/availability', inflated, {
      method: 'PUT',
      json: {
        asOf: new Date().toISOString(),
        beds: [{ bedType: 'adult-acute', sex: 'male', available: 1, total: 18 }],
      },
    });
    expect(unit.status).toBe(403);
  });

  it('a person’s sub under a machine client_id is the machine client, not the person', async () => {
    const token = await api.resign(t.leadSystem, (c) => ({ ...c, sub: dana.sub, username: dana.username }));
    const res = await call('sub of a person, client of a system', `/v1/amhps/${uniqueId('amhp')}`, token, {
      method: 'PUT',
      json: { displayName: 'Not Dana', active: true, authorisedLssas: ['E06000055'], dutyReviewer: false },
    });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/person/);
  });
});

describe('caller kind: person-only and system-only routes of the route table', () => {
  let alertId = '';
  const personOnly = ROUTES.filter((r) => r.auth !== 'public' && 'caller' in r.auth && r.auth.caller === 'person').map(
    (r) => r.id,
  );
  const systemOnly = ROUTES.filter(
    (r) => r.auth !== 'public' && 'caller' in r.auth && (r.auth as { caller?: string }).caller === 'system',
  ).map((r) => r.id);

  /**
   * For each person-only route: the call, by a system client of a role the route allows, and by a person of the same
   * organisation.
   */
  const PERSON_ONLY: Record<
    string,
    {
      path: () => string;
      method: string;
      json: unknown;
      system: string;
      person: string;
      /** What the call needs to exist first; what undoes it after (the table is shared by every test file). */
      before?: () => Promise<void>;
      after?: (token: string) => Promise<void>;
      /** Why the system client is refused, when not for being a system (no machine client has the route's role). */
      systemRefusal?: RegExp;
    }
  > = {
    // DOMAIN §9: whereabouts are a person's own. Kim (no referral of the tests) goes on shift and off again.
    postWhereaboutsEvent: {
      path: () => '/v1/whereabouts/events',
      method: 'POST',
      json: {
        type: 'on-shift',
        plannedEndAt: new Date(Date.now() + 8 * 3_600_000).toISOString(),
        onCallManager: 'Caller kind test',
      },
      system: 'amhp-case-system',
      person: PEOPLE.unallocated,
      // No machine client carries the `amhp` role, so the service's system client is refused by role first.
      systemRefusal: /amhp-lead role may not/,
      after: async (token) => {
        const off = await call('off-shift', '/v1/whereabouts/events', token, {
          method: 'POST',
          json: { type: 'off-shift' },
        });
        expect(off.status).toBe(200);
      },
    },
    getWhereabouts: {
      path: () => '/v1/whereabouts',
      method: 'GET',
      json: undefined,
      system: 'amhp-case-system',
      person: PEOPLE.lead,
    },
    putAlertChannel: {
      path: () => '/v1/alert-channel',
      method: 'PUT',
      json: { url: 'http://127.0.0.1:9/caller-kind-alerts', graceMinutes: 30 },
      system: 'amhp-case-system',
      person: PEOPLE.lead,
    },
    acknowledgeAlert: {
      path: () => `/v1/alerts/${alertId}/acknowledge`,
      method: 'POST',
      json: undefined,
      system: 'amhp-case-system',
      person: PEOPLE.lead,
      // An alert of the service, raised as the sweep and the stream consumer raise them.
      before: async () => {
        const now = new Date();
        const raised = await raiseAlert(
          {
            alertId: newAlertId(now),
            serviceId: 'amhp-service',
            kind: 'clock-warning',
            referralId: 'none',
            reference: 'CALLER-KIND',
          },
          [],
          now,
        );
        alertId = raised.alert.alertId;
      },
    },
    putAmhp: {
      path: () => `/v1/amhps/${uniqueId('amhp')}`,
      method: 'PUT',
      json: { displayName: 'Caller Kind Test', active: true, authorisedLssas: ['E06000055'], dutyReviewer: false },
      system: 'amhp-case-system',
      person: PEOPLE.lead,
    },
  };
  /** For each system-only route, the same with the roles swapped. There are none today. */
  const SYSTEM_ONLY: Record<string, never> = {};

  it('every person-only route has a case here, and so would every system-only route', () => {
    expect(Object.keys(PERSON_ONLY).sort()).toEqual([...personOnly].sort());
    // No route of the table is `caller: 'system'` today, so the reverse case has nothing to call.
    expect(Object.keys(SYSTEM_ONLY).sort()).toEqual([...systemOnly].sort());
  });

  it.each(Object.entries(PERSON_ONLY))(
    '%s: a system client → 403; a person of the same organisation → 2xx',
    async (id, c) => {
      await c.before?.();
      const system = await call(`${id} by system`, c.path(), await api.clientToken(c.system), {
        method: c.method,
        json: c.json,
      });
      expect(system.status).toBe(403);
      expect(system.body.detail).toMatch(c.systemRefusal ?? /signed-in person/);
      const person = await call(`${id} by person`, c.path(), await api.personToken(c.person), {
        method: c.method,
        json: c.json,
      });
      expect(person.status).toBeGreaterThanOrEqual(200);
      expect(person.status).toBeLessThan(300);
      await c.after?.(await api.personToken(c.person));
    },
  );

  it(
    'every decision on a referral (triage, allocation, outcome, amendment) needs a person: the lead’s system ' +
      'client → 403 in the state where the person’s succeeds',
    async () => {
      const inHour = () => new Date(Date.now() + 3_600_000).toISOString();
      /** In lifecycle order on one referral; `not-accept` on a second one. */
      const referrals = {
        a: await createReferral(api, t.policeA),
        b: await createReferral(api, t.policeA),
        c: await createReferral(api, t.policeA, j1Body({ legalStatus: { detainedAtLocationType: 'home' } })),
      };
      const etags = { a: referrals.a.etag, b: referrals.b.etag, c: referrals.c.etag };
      const plan: {
        type: (typeof DECISION_EVENT_TYPES)[number];
        event: Record<string, unknown>;
        person: string;
        referral: 'a' | 'b' | 'c';
        before?: { event: Record<string, unknown>; person: string };
      }[] = [
        { type: 'start-review', event: { type: 'start-review' }, person: t.lead, referral: 'a' },
        {
          type: 'accept',
          event: { type: 'accept', reason: 'Detained under s.136; assessment needed.' },
          person: t.lead,
          referral: 'a',
        },
        {
          type: 'allocate',
          event: { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: inHour() },
          person: t.lead,
          referral: 'a',
        },
        {
          type: 'co-allocate',
          event: { type: 'co-allocate', amhpId: 'amhp-alex', reason: 'Attending for safety.' },
          person: t.lead,
          referral: 'a',
        },
        {
          type: 'fact-corrected',
          event: {
            type: 'fact-corrected',
            eventSeq: 1,
            field: 'detainedAt',
            value: referrals.a.body.clocks[0].startsAt,
            reason: 'Custody record checked.',
          },
          person: t.sam,
          referral: 'a',
        },
        {
          type: 'handed-over',
          event: { type: 'handed-over', toAmhpId: 'amhp-alex', reason: 'Sam called to another assessment.' },
          person: t.sam,
          referral: 'a',
        },
        {
          type: 'record-outcome',
          event: {
            type: 'record-outcome',
            outcome: 'recommendations-made-no-bed',
            nextSteps: 'Bed search continues.',
            reasonsInWriting: 'No bed available tonight.',
          },
          person: t.alex,
          referral: 'a',
        },
        {
          type: 'application-made',
          event: { type: 'application-made', section: 's2', hospital: 'Oak Ward' },
          person: t.alex,
          referral: 'a',
        },
        {
          type: 'amend-outcome',
          event: {
            type: 'amend-outcome',
            outcome: 'detained-s2',
            reason: 'Bed found; application made.',
            nextSteps: 'Conveyance to Oak Ward.',
          },
          person: t.alex,
          referral: 'a',
        },
        {
          type: 'not-accept',
          event: {
            type: 'not-accept',
            reason: 'No assessment needed.',
            disposition: 'advice',
            nextSteps: 'GP follow-up.',
          },
          person: t.lead,
          referral: 'b',
          before: { event: { type: 'start-review' }, person: t.lead },
        },
        {
          type: 'flag-acknowledged',
          event: { type: 'flag-acknowledged', flag: 's136-in-dwelling', reason: 'Reviewed with the force.' },
          person: t.lead,
          referral: 'c',
        },
      ];
      expect(plan.map((p) => p.type).sort()).toEqual([...DECISION_EVENT_TYPES].sort());
      for (const step of plan) {
        const id = referrals[step.referral].id;
        if (step.before) {
          const pre = await postEvent(api, step.before.person, id, step.before.event, etags[step.referral]);
          expect(pre.status).toBe(200);
          etags[step.referral] = pre.etag!;
        }
        const bySystem = await postEvent(api, t.leadSystem, id, step.event, etags[step.referral]);
        seen.push({ name: `${step.type} by system`, status: bySystem.status });
        expect(bySystem.status, step.type).toBe(403);
        expect(bySystem.body.detail, step.type).toMatch(/signed-in person/);
        const byPerson = await postEvent(api, step.person, id, step.event, etags[step.referral]);
        seen.push({ name: `${step.type} by person`, status: byPerson.status });
        expect(byPerson.status, `${step.type}: ${JSON.stringify(byPerson.body)}`).toBe(200);
        etags[step.referral] = byPerson.etag!;
      }
    },
  );

  it('system events (clock warnings, breaches) cannot be posted by anyone: 400, not recorded', async () => {
    const { id, etag } = await createReferral(api, t.policeA);
    for (const token of [t.leadSystem, t.lead]) {
      for (const type of ['clock-warning', 'clock-breached', 'feedback-sent']) {
        const res = await postEvent(api, token, id, { type, power: 's136', threshold: 'breach' }, etag);
        seen.push({ name: `post ${type}`, status: res.status });
        expect(res.status, type).toBe(400);
      }
    }
    const history = await call('history', `/v1/referrals/${id}/events`, t.lead);
    expect(history.body.items.map((e: any) => e.type)).toEqual(['received']);
  });
});

describe('never a 5xx', () => {
  it('every answer in this file was below 500', () => {
    expect(seen.length).toBeGreaterThan(30);
    expect(seen.filter((s) => s.status >= 500)).toEqual([]);
  });
});
