/**
 * Foundation II through the real path: HTTP → local adapter (authorizer emulation) → the same
 * handlers Lambda runs → DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, base64url } from 'jose';
import { loadRegistry } from '../../infra/local/seed.js';
import { ROUTES } from '../../functions/routes.js';
import { PROBLEM_CONTENT_TYPE } from '../../shared/http/problem.js';
import { PEOPLE, startTestApi, uniqueId, type TestApi } from '../support/api.js';
import { boom, SECRET_LOOKING_MESSAGE, whoami } from '../support/fixtures.js';

let api: TestApi;
const registry = loadRegistry();

beforeAll(async () => {
  api = await startTestApi({ fixtures: [whoami, boom] });
});
afterAll(async () => api.close());

const expectProblem = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
  const body = (await res.json()) as {
    status: number;
    type: string;
    title: string;
    detail: string;
    errors?: { pointer: string }[];
  };
  expect(body.status).toBe(status);
  expect(body.type).toMatch(/^http:\/\/[^/]+\/problems\/[a-z-]+$/);
  return body;
};

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('tokens and callers', () => {
  it.each(registry.clients.map((c) => [c.clientId, c]))(
    'machine client %s gets a token from /oauth2/token that resolves to its organisation and role',
    async (_id, client) => {
      const tokenRes = await fetch(`${api.url}/oauth2/token`, {
        method: 'POST',
        headers: {
          Authorization: basic(client.clientId, client.clientSecret),
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      expect(tokenRes.status).toBe(200);
      const { access_token } = (await tokenRes.json()) as { access_token: string };
      const res = await api.fetch('/test/whoami', { token: access_token });
      expect(res.status).toBe(200);
      const caller = await res.json();
      expect(caller).toMatchObject({
        organisationId: client.organisationId,
        role: client.role,
        clientId: client.clientId,
      });
      expect(caller).not.toHaveProperty('actorId');
    },
  );

  it.each(registry.people.map((p) => [p.username, p]))(
    'person %s signs in locally and resolves with an actorId',
    async (_u, person) => {
      const tokenRes = await fetch(`${api.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: registry.peopleClientId,
          username: person.username,
          password: person.password,
        }).toString(),
      });
      expect(tokenRes.status).toBe(200);
      const { access_token } = (await tokenRes.json()) as { access_token: string };
      const caller = await (await api.fetch('/test/whoami', { token: access_token })).json();
      expect(caller).toMatchObject({ organisationId: person.organisationId, role: person.role, actorId: person.sub });
    },
  );

  it('serves the JWKS the adapter verifies with, without private parts', async () => {
    const jwks = (await (await fetch(`${api.url}/.well-known/jwks.json`)).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});

describe('401: the authorizer and caller resolution', () => {
  const forge = async (mutate: (token: string) => string | Promise<string>) =>
    mutate(await api.clientToken('amhp-case-system'));

  it.each<[string, () => Promise<string | undefined>]>([
    ['no token', async () => undefined],
    ['garbage', async () => 'not-a-jwt'],
    [
      'a tampered payload',
      () =>
        forge((t) => {
          const [h, p, s] = t.split('.');
          const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
          claims.client_id = 'ig-audit-tool';
          return `${h}.${base64url.encode(JSON.stringify(claims))}.${s}`;
        }),
    ],
    [
      'alg none',
      () =>
        forge((t) => {
          const [, p] = t.split('.');
          return `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${p}.`;
        }),
    ],
    [
      'HS256 signed with the public key',
      () =>
        forge(async (t) => {
          const jwk = api.identity.jwks().keys[0]!;
          const claims = JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString());
          return new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256', kid: String(jwk.kid) })
            .sign(new TextEncoder().encode(JSON.stringify(jwk)));
        }),
    ],
    ['a valid token without the method scope', () => api.clientToken('police-a-triage')],
  ])('%s → 401 problem+json', async (_name, make) => {
    const token = await make();
    const res = await api.fetch('/v1/amhps/amhp-sam', token ? { token } : {});
    const body = await expectProblem(res, 401);
    expect(body.title).toBe('Unauthorized');
  });

  it('an expired token → 401', async () => {
    const token = await api.personToken(PEOPLE.lead);
    expect((await api.fetch('/v1/amhps/amhp-sam', { token })).status).toBe(200);
    api.shiftClock(2 * 3600_000);
    try {
      await expectProblem(await api.fetch('/v1/amhps/amhp-sam', { token }), 401);
    } finally {
      api.shiftClock(-2 * 3600_000);
    }
  });

  it('a token from another issuer → 401', async () => {
    const other = await startTestApi();
    try {
      // Same claims shape, different signing key: the adapter's JWKS does not know it.
      await expectProblem(await api.fetch('/v1/amhps/amhp-sam', { token: await other.personToken(PEOPLE.lead) }), 401);
    } finally {
      await other.close();
    }
  });
});

describe('the body, validation and precedence', () => {
  let lead: string;
  beforeAll(async () => {
    lead = await api.personToken(PEOPLE.lead);
  });
  const put = (id: string, init: RequestInit & { json?: unknown }) =>
    api.fetch(`/v1/amhps/${id}`, { method: 'PUT', token: lead, ...init });
  const valid = { displayName: 'Test AMHP', active: true, authorisedLssas: ['E06000055'], dutyReviewer: false };

  it('malformed JSON → 400 with the place, not the value', async () => {
    const body = await expectProblem(
      await put(uniqueId('a'), {
        body: '{"displayName": "Jane Example", ',
        headers: { 'Content-Type': 'application/json' },
      }),
      400,
    );
    expect(JSON.stringify(body)).not.toContain('Jane');
  });

  it('a 70 KB body → 413', async () => {
    await expectProblem(await put(uniqueId('a'), { json: { ...valid, displayName: 'x'.repeat(70 * 1024) } }), 413);
  });

  it('text/plain → 415', async () => {
    await expectProblem(
      await put(uniqueId('a'), { body: JSON.stringify(valid), headers: { 'Content-Type': 'text/plain' } }),
      415,
    );
  });

  it('duplicate keys → 400 pointing at the key', async () => {
    const body = await expectProblem(
      await put(uniqueId('a'), {
        body:
          '{"displayName":"A","displayName":"B","active":true,' +
          '"authorisedLssas":["E06000055"],"dutyReviewer":false}',
        headers: { 'Content-Type': 'application/json' },
      }),
      400,
    );
    expect(body.errors).toEqual([{ pointer: '/displayName', message: 'duplicate key' }]);
  });

  it.each(['__proto__', 'constructor'])('a %s key → 400', async (key) => {
    const body = await expectProblem(
      await put(uniqueId('a'), {
        body:
          `{"displayName":"A","active":true,"authorisedLssas":["E06000055"],"dutyReviewer":false,"nested":{"` +
          `${key}":{"admin":true}}}`,
        headers: { 'Content-Type': 'application/json' },
      }),
      400,
    );
    expect(body.errors).toContainEqual({ pointer: `/nested/${key}`, message: 'this key name is not allowed' });
  });

  it('schema violations → 400 with a JSON Pointer per problem and no echoed values', async () => {
    const body = await expectProblem(
      await put(uniqueId('a'), {
        json: {
          displayName: '',
          active: 'yes',
          authorisedLssas: ['NOT-A-CODE'],
          dutyReviewer: false,
          extra: 'Jane Example',
        },
      }),
      400,
    );
    const pointers = body.errors!.map((e) => e.pointer).sort();
    expect(pointers).toEqual(['/active', '/authorisedLssas/0', '/displayName', '/extra']);
    expect(JSON.stringify(body)).not.toMatch(/NOT-A-CODE|Jane Example|yes/);
  });

  it('another service’s entry is 404 before anything about the body', async () => {
    await expectProblem(await put('amhp-sol', { body: 'garbage', headers: { 'Content-Type': 'text/plain' } }), 404);
  });

  it('403: a role that may not change the register, and a system client where a person must decide', async () => {
    const amhp = await api.personToken(PEOPLE.amhp);
    await expectProblem(
      await api.fetch(`/v1/amhps/${uniqueId('a')}`, { method: 'PUT', token: amhp, json: valid }),
      403,
    );
    const system = await api.clientToken('amhp-case-system');
    const body = await expectProblem(
      await api.fetch(`/v1/amhps/${uniqueId('a')}`, { method: 'PUT', token: system, json: valid }),
      403,
    );
    expect(body.detail).toMatch(/person/);
  });

  it('an LSSA outside the service → 400 at its index', async () => {
    const body = await expectProblem(
      await put(uniqueId('a'), { json: { ...valid, authorisedLssas: ['E06000055', 'E06000057'] } }),
      400,
    );
    expect(body.errors).toEqual([{ pointer: '/authorisedLssas/1', message: 'not an LSSA of this service' }]);
  });

  it('an unknown path → 404 problem+json; an unknown error → 500 with only a correlation id', async () => {
    await expectProblem(await api.fetch('/v1/nothing-here'), 404);
    const res = await api.fetch('/test/boom', { method: 'POST', token: lead });
    const body = await expectProblem(res, 500);
    expect(Object.keys(body).sort()).toEqual(['correlationId', 'detail', 'status', 'title', 'type']);
    expect(JSON.stringify(body)).not.toContain(SECRET_LOOKING_MESSAGE.slice(0, 10));
    expect(res.headers.get('x-correlation-id')).toBe((body as unknown as { correlationId: string }).correlationId);
  });

  it('echoes a sane X-Correlation-ID and sets security headers', async () => {
    const res = await api.fetch('/v1/amhps/amhp-sam', {
      token: lead,
      headers: { 'X-Correlation-ID': 'test-corr-12345' },
    });
    expect(res.headers.get('x-correlation-id')).toBe('test-corr-12345');
    // An id that could carry an NHS number (a long digit run) is replaced, never logged as sent.
    const nhs = await api.fetch('/v1/amhps/amhp-sam', {
      token: lead,
      headers: { 'X-Correlation-ID': 'ref-9434765919' },
    });
    expect(nhs.headers.get('x-correlation-id')).not.toContain('9434765919');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });
});

describe('idempotency and concurrency', () => {
  let lead: string;
  beforeAll(async () => {
    lead = await api.personToken(PEOPLE.lead);
  });
  const entry = { displayName: 'Idempotent AMHP', active: true, authorisedLssas: ['E06000056'], dutyReviewer: true };

  it('replays the first response for the same key and body; 422 for a different body', async () => {
    const id = uniqueId('amhp');
    const key = uniqueId('key');
    const first = await api.fetch(`/v1/amhps/${id}`, {
      method: 'PUT',
      token: lead,
      json: entry,
      headers: { 'Idempotency-Key': key },
    });
    expect(first.status).toBe(201);
    const again = await api.fetch(`/v1/amhps/${id}`, {
      method: 'PUT',
      token: lead,
      json: entry,
      headers: { 'Idempotency-Key': key },
    });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await again.json()).toEqual(await first.json());
    await expectProblem(
      await api.fetch(`/v1/amhps/${id}`, {
        method: 'PUT',
        token: lead,
        json: { ...entry, active: false },
        headers: { 'Idempotency-Key': key },
      }),
      422,
    );
  });

  it('20 concurrent creates with one key → one write, every answer the same', async () => {
    const id = uniqueId('amhp');
    const key = uniqueId('key');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.fetch(`/v1/amhps/${id}`, { method: 'PUT', token: lead, json: entry, headers: { 'Idempotency-Key': key } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const bodies = await Promise.all(answers.map((a) => a.json()));
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    const read = await (await api.fetch(`/v1/amhps/${id}`, { token: lead })).json();
    expect(read).toMatchObject({ version: 1 });
  });

  it('If-Match: missing on an existing entry → 428; stale → 412; current → 200 with a new ETag', async () => {
    const id = uniqueId('amhp');
    const created = await api.fetch(`/v1/amhps/${id}`, { method: 'PUT', token: lead, json: entry });
    expect(created.status).toBe(201);
    await expectProblem(await api.fetch(`/v1/amhps/${id}`, { method: 'PUT', token: lead, json: entry }), 428);
    await expectProblem(
      await api.fetch(`/v1/amhps/${id}`, { method: 'PUT', token: lead, json: entry, headers: { 'If-Match': '"7"' } }),
      412,
    );
    const updated = await api.fetch(`/v1/amhps/${id}`, {
      method: 'PUT',
      token: lead,
      json: { ...entry, active: false },
      headers: { 'If-Match': created.headers.get('etag')! },
    });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('"2"');
  });

  it('10 racing updates with the same If-Match → exactly one 200, the rest 412', async () => {
    const id = uniqueId('amhp');
    const created = await api.fetch(`/v1/amhps/${id}`, { method: 'PUT', token: lead, json: entry });
    const etag = created.headers.get('etag')!;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.fetch(`/v1/amhps/${id}`, {
          method: 'PUT',
          token: lead,
          json: { ...entry, displayName: `Racer ${i}` },
          headers: { 'If-Match': etag },
        }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(9);
  });
});

describe('the API description', () => {
  it('/openapi.json lists every route of the route table', async () => {
    const doc = (await (await api.fetch('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(doc.openapi).toMatch(/^3\.1/);
    for (const route of ROUTES) {
      expect(doc.paths[route.path]?.[route.method.toLowerCase()]?.operationId, `${route.method} ${route.path}`).toBe(
        route.id,
      );
    }
  });

  it('/docs renders HTML naming every operation', async () => {
    const res = await api.fetch('/docs');
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    for (const route of ROUTES) expect(html).toContain(route.id);
  });
});
