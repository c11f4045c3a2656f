/** local-identity tests, grants: see ./local-identity.fixture.ts for what they run against. */
import { describe, expect, it } from 'vitest';
import { createLocalIdentity } from '../../infra/local/identity.js';
import { ROLE_SCOPES, SCOPES, fullScope } from '../../shared/identity/roles.js';
import {
  registry,
  ISSUER,
  FORM,
  JAVA_DATE,
  form,
  basic,
  json,
  secrets,
  errorBodies,
  expectError,
  identity,
  kid,
} from './local-identity.fixture.js';

describe('JWKS', () => {
  it('exposes one public RSA signing key with kid, alg and use, and no private parts', () => {
    const { keys } = identity.jwks();
    expect(keys).toHaveLength(1);
    const key = keys[0]!;
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(typeof key.kid).toBe('string');
    expect(key.kid!.length).toBeGreaterThan(0);
    for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) expect(key).not.toHaveProperty(part);
    expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('generates its own key pair when none is given', async () => {
    const own = await createLocalIdentity({ registry, issuer: ISSUER });
    expect(own.jwks().keys[0]!.kid).not.toBe(kid);
    expect(own.jwks().keys[0]).not.toHaveProperty('d');
  });
});

describe('client credentials grant', () => {
  it.each(registry.clients.map((c) => [c.clientId, c] as const))(
    'issues a verifiable token for %s',
    async (_id, client) => {
      const response = await identity.handleTokenRequest({
        headers: { ...FORM, authorization: basic(client.clientId, client.clientSecret) },
        body: form({ grant_type: 'client_credentials' }),
      });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const body = json(response);
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
      expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
      const token = body['access_token'] as string;

      const allowed = [...ROLE_SCOPES[client.role], ...client.extraScopes];
      for (const scope of allowed) {
        const result = await identity.verify(`Bearer ${token}`, [scope]);
        expect(result, scope).toMatchObject({ ok: true });
      }
      for (const scope of SCOPES.filter((s) => !allowed.includes(s))) {
        expect(await identity.verify(`Bearer ${token}`, [scope])).toEqual({ ok: false, reason: 'insufficient scope' });
      }

      const result = await identity.verify(token, []);
      if (!result.ok) throw new Error(result.reason);
      const { claims } = result;
      for (const value of Object.values(claims)) expect(typeof value).toBe('string');
      expect(claims).toMatchObject({
        sub: client.clientId,
        client_id: client.clientId,
        token_use: 'access',
        iss: ISSUER,
        version: '2',
      });
      expect(claims['scope']!.split(' ').sort()).toEqual(allowed.map(fullScope).sort());
      expect(claims['jti']).toMatch(/^[0-9a-f-]{36}$/);
      expect(claims['auth_time']).toMatch(/^\d+$/);
      expect(claims['exp']).toMatch(JAVA_DATE);
      expect(claims['iat']).toMatch(JAVA_DATE);
      expect(claims).not.toHaveProperty('username');
    },
  );

  it('grants extracts.records only to the client holding it by agreement', async () => {
    const pipeline = await identity.issueClientToken('analytics-pipeline');
    const dashboard = await identity.issueClientToken('analytics-dashboard');
    expect((await identity.verify(pipeline, ['extracts.records'])).ok).toBe(true);
    expect((await identity.verify(dashboard, ['extracts.records'])).ok).toBe(false);
  });

  it('narrows to a requested subset of scopes', async () => {
    const response = await identity.handleTokenRequest({
      headers: { ...FORM, authorization: basic('police-a-triage', 'local-secret-police-a-triage') },
      body: form({ grant_type: 'client_credentials', scope: 'hub/referrals.read  hub/places.read' }),
    });
    expect(response.status).toBe(200);
    const token = json(response)['access_token'] as string;
    const result = await identity.verify(token, ['referrals.read']);
    expect(result.ok && result.claims['scope']).toBe('hub/referrals.read hub/places.read');
    expect((await identity.verify(token, ['referrals.write'])).ok).toBe(false);
  });

  it('refuses a scope the client is not allowed, an unknown scope and an empty scope with invalid_scope', async () => {
    for (const scope of [
      'hub/capacity.write',
      'hub/referrals.write hub/audit.read',
      'hub/nope',
      'referrals.write',
      ' ',
    ]) {
      const response = await identity.handleTokenRequest({
        headers: { ...FORM, authorization: basic('police-a-triage', 'local-secret-police-a-triage') },
        body: form({ grant_type: 'client_credentials', scope }),
      });
      expectError(response, 400, 'invalid_scope');
    }
  });

  it('answers a wrong secret, an unknown client and missing credentials with 401 invalid_client', async () => {
    const attempts: Record<string, string | undefined>[] = [
      { authorization: basic('police-a-triage', 'local-secret-ambulance-cad-01') },
      { authorization: basic('police-a-triage', '') },
      { authorization: basic('no-such-client', 'local-secret-police-a-triage') },
      { authorization: basic(registry.peopleClientId, 'whatever-secret-value') },
      { authorization: 'Basic !!!' },
      { authorization: 'Bearer abc' },
      {},
    ];
    const bodies = new Set<string>();
    for (const headers of attempts) {
      const response = await identity.handleTokenRequest({
        headers: { ...FORM, ...headers },
        body: form({ grant_type: 'client_credentials' }),
      });
      expectError(response, 401, 'invalid_client');
      bodies.add(response.body);
    }
    expect(bodies.size).toBe(1);
  });

  it('accepts Basic only: credentials in the body are refused', async () => {
    const bodyOnly = await identity.handleTokenRequest({
      headers: FORM,
      body: form({
        grant_type: 'client_credentials',
        client_id: 'police-a-triage',
        client_secret: 'local-secret-police-a-triage',
      }),
    });
    expectError(bodyOnly, 401, 'invalid_client');
    const both = await identity.handleTokenRequest({
      headers: { ...FORM, authorization: basic('police-a-triage', 'local-secret-police-a-triage') },
      body: form({ grant_type: 'client_credentials', client_secret: 'local-secret-police-a-triage' }),
    });
    expectError(both, 400, 'invalid_request');
  });
});

describe('password grant (local people sign-in)', () => {
  it.each(registry.people.map((p) => [p.username, p] as const))(
    'issues a verifiable token for %s',
    async (_u, person) => {
      const response = await identity.handleTokenRequest({
        headers: FORM,
        body: form({
          grant_type: 'password',
          client_id: registry.peopleClientId,
          username: person.username,
          password: person.password,
        }),
      });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const token = json(response)['access_token'] as string;
      for (const scope of ROLE_SCOPES[person.role]) {
        expect((await identity.verify(`Bearer ${token}`, [scope])).ok, scope).toBe(true);
      }
      const result = await identity.verify(token, [ROLE_SCOPES[person.role][0]!]);
      if (!result.ok) throw new Error(result.reason);
      for (const value of Object.values(result.claims)) expect(typeof value).toBe('string');
      expect(result.claims).toMatchObject({
        sub: person.sub,
        client_id: registry.peopleClientId,
        username: person.username,
        token_use: 'access',
        iss: ISSUER,
        version: '2',
      });
      expect(result.claims['scope']!.split(' ').sort()).toEqual(
        ['openid', ...ROLE_SCOPES[person.role].map(fullScope)].sort(),
      );
      expect(result.claims['exp']).toMatch(JAVA_DATE);
    },
  );

  it('issuePersonToken gives the same shape', async () => {
    const token = await identity.issuePersonToken('dana.lead');
    const result = await identity.verify(token, ['referrals.manage']);
    expect(result.ok && result.claims['username']).toBe('dana.lead');
    await expect(identity.issuePersonToken('nobody')).rejects.toThrow();
  });

  it('answers a wrong password and an unknown user with the same invalid_grant body', async () => {
    const wrongPassword = await identity.handleTokenRequest({
      headers: FORM,
      body: form({ grant_type: 'password', client_id: 'console', username: 'dana.lead', password: 'local-password-2' }),
    });
    const unknownUser = await identity.handleTokenRequest({
      headers: FORM,
      body: form({
        grant_type: 'password',
        client_id: 'console',
        username: 'nobody.here',
        password: 'local-password-1',
      }),
    });
    expectError(wrongPassword, 400, 'invalid_grant');
    expectError(unknownUser, 400, 'invalid_grant');
    expect(wrongPassword.body).toBe(unknownUser.body);
    expect(wrongPassword.headers).toEqual(unknownUser.headers);
    for (const body of [wrongPassword.body, unknownUser.body]) {
      expect(body).not.toContain('dana.lead');
      expect(body).not.toContain('nobody.here');
    }
  });

  it('refuses another client id, a client secret and missing parameters', async () => {
    const person = registry.people[0]!;
    expectError(
      await identity.handleTokenRequest({
        headers: FORM,
        body: form({
          grant_type: 'password',
          client_id: 'police-a-triage',
          username: person.username,
          password: person.password,
        }),
      }),
      401,
      'invalid_client',
    );
    expectError(
      await identity.handleTokenRequest({
        headers: FORM,
        body: form({
          grant_type: 'password',
          client_id: 'console',
          client_secret: 'x',
          username: person.username,
          password: person.password,
        }),
      }),
      400,
      'invalid_request',
    );
    expectError(
      await identity.handleTokenRequest({
        headers: FORM,
        body: form({ grant_type: 'password', client_id: 'console', username: person.username }),
      }),
      400,
      'invalid_request',
    );
  });
});

describe('token endpoint request errors', () => {
  const auth = { authorization: basic('police-a-triage', 'local-secret-police-a-triage') };

  it('answers an unsupported grant with unsupported_grant_type', async () => {
    for (const grant of [
      'authorization_code',
      'refresh_token',
      'implicit',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    ]) {
      expectError(
        await identity.handleTokenRequest({ headers: { ...FORM, ...auth }, body: form({ grant_type: grant }) }),
        400,
        'unsupported_grant_type',
      );
    }
  });

  it(
    'answers a missing grant, a wrong content type, an unparsable body and a repeated parameter with ' +
      'invalid_request',
    async () => {
      const cases: { headers: Record<string, string | undefined>; body: string }[] = [
        { headers: { ...FORM, ...auth }, body: '' },
        { headers: { ...FORM, ...auth }, body: form({ scope: 'hub/referrals.read' }) },
        {
          headers: { 'content-type': 'application/json', ...auth },
          body: JSON.stringify({ grant_type: 'client_credentials' }),
        },
        { headers: { ...auth }, body: form({ grant_type: 'client_credentials' }) },
        { headers: { ...FORM, ...auth }, body: 'grant_type=client_credentials&scope=%E0%A4%A' },
        { headers: { ...FORM, ...auth }, body: 'grant_type=client_credentials&grant_type=password' },
        { headers: { ...FORM, ...auth }, body: `grant_type=client_credentials&pad=${'x'.repeat(10_000)}` },
      ];
      for (const request of cases) expectError(await identity.handleTokenRequest(request), 400, 'invalid_request');
    },
  );

  it('accepts a charset parameter on the content type', async () => {
    const response = await identity.handleTokenRequest({
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', ...auth },
      body: form({ grant_type: 'client_credentials' }),
    });
    expect(response.status).toBe(200);
  });
});

describe('secrets', () => {
  it('never appear in any error body', () => {
    expect(errorBodies.length).toBeGreaterThan(20);
    for (const body of errorBodies) {
      for (const secret of secrets) expect(body).not.toContain(secret);
      expect(Object.keys(JSON.parse(body) as object)).toEqual(['error']);
    }
  });
});
