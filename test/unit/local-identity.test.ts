import { beforeAll, describe, expect, it } from 'vitest';
import { base64url, exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createLocalIdentity, type LocalIdentity, type TokenResponse } from '../../infra/local/identity.js';
import { loadRegistry } from '../../infra/local/seed.js';
import { ROLE_SCOPES, SCOPES, fullScope } from '../../shared/identity/roles.js';

const registry = loadRegistry();
const ISSUER = 'http://localhost:4010/local-user-pool';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JAVA_DATE = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/;

const form = (params: Record<string, string>): string => new URLSearchParams(params).toString();
const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const json = (response: TokenResponse): Record<string, unknown> => JSON.parse(response.body) as Record<string, unknown>;
const secrets = [...registry.clients.map((c) => c.clientSecret), ...registry.people.map((p) => p.password)];

/** Every error body seen, to check none leaks a secret or a submitted value. */
const errorBodies: string[] = [];
const expectError = (response: TokenResponse, status: number, error: string): void => {
  errorBodies.push(response.body);
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(json(response)).toEqual({ error });
  if (status === 401) expect(response.headers['www-authenticate']).toMatch(/^Basic/);
};

let keyPair: { publicKey: CryptoKey; privateKey: CryptoKey };
let identity: LocalIdentity;
let kid: string;

/** Signs arbitrary claims with the identity's own key (or another), for hand-made bad tokens. */
const handSign = (claims: Record<string, unknown>, key: CryptoKey = keyPair.privateKey, header: Record<string, unknown> = {}): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, ...header }).sign(key);

const validClaims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => {
  const iat = Math.floor(Date.now() / 1000);
  return {
    sub: 'police-a-triage',
    client_id: 'police-a-triage',
    token_use: 'access',
    scope: fullScope('referrals.write'),
    auth_time: iat,
    iss: ISSUER,
    iat,
    exp: iat + 3600,
    jti: crypto.randomUUID(),
    version: 2,
    ...overrides,
  };
};

beforeAll(async () => {
  keyPair = await generateKeyPair('RS256', { extractable: true });
  identity = await createLocalIdentity({ registry, issuer: ISSUER, keyPair });
  kid = identity.jwks().keys[0]!.kid!;
});

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
  it.each(registry.clients.map((c) => [c.clientId, c] as const))('issues a verifiable token for %s', async (_id, client) => {
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
    expect(claims).toMatchObject({ sub: client.clientId, client_id: client.clientId, token_use: 'access', iss: ISSUER, version: '2' });
    expect(claims['scope']!.split(' ').sort()).toEqual(allowed.map(fullScope).sort());
    expect(claims['jti']).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims['auth_time']).toMatch(/^\d+$/);
    expect(claims['exp']).toMatch(JAVA_DATE);
    expect(claims['iat']).toMatch(JAVA_DATE);
    expect(claims).not.toHaveProperty('username');
  });

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
    for (const scope of ['hub/capacity.write', 'hub/referrals.write hub/audit.read', 'hub/nope', 'referrals.write', ' ']) {
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
      const response = await identity.handleTokenRequest({ headers: { ...FORM, ...headers }, body: form({ grant_type: 'client_credentials' }) });
      expectError(response, 401, 'invalid_client');
      bodies.add(response.body);
    }
    expect(bodies.size).toBe(1);
  });

  it('accepts Basic only: credentials in the body are refused', async () => {
    const bodyOnly = await identity.handleTokenRequest({
      headers: FORM,
      body: form({ grant_type: 'client_credentials', client_id: 'police-a-triage', client_secret: 'local-secret-police-a-triage' }),
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
  it.each(registry.people.map((p) => [p.username, p] as const))('issues a verifiable token for %s', async (_u, person) => {
    const response = await identity.handleTokenRequest({
      headers: FORM,
      body: form({ grant_type: 'password', client_id: registry.peopleClientId, username: person.username, password: person.password }),
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
    expect(result.claims['scope']!.split(' ').sort()).toEqual(['openid', ...ROLE_SCOPES[person.role].map(fullScope)].sort());
    expect(result.claims['exp']).toMatch(JAVA_DATE);
  });

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
      body: form({ grant_type: 'password', client_id: 'console', username: 'nobody.here', password: 'local-password-1' }),
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
        body: form({ grant_type: 'password', client_id: 'police-a-triage', username: person.username, password: person.password }),
      }),
      401,
      'invalid_client',
    );
    expectError(
      await identity.handleTokenRequest({
        headers: FORM,
        body: form({ grant_type: 'password', client_id: 'console', client_secret: 'x', username: person.username, password: person.password }),
      }),
      400,
      'invalid_request',
    );
    expectError(
      await identity.handleTokenRequest({ headers: FORM, body: form({ grant_type: 'password', client_id: 'console', username: person.username }) }),
      400,
      'invalid_request',
    );
  });
});

describe('token endpoint request errors', () => {
  const auth = { authorization: basic('police-a-triage', 'local-secret-police-a-triage') };

  it('answers an unsupported grant with unsupported_grant_type', async () => {
    for (const grant of ['authorization_code', 'refresh_token', 'implicit', 'urn:ietf:params:oauth:grant-type:jwt-bearer']) {
      expectError(await identity.handleTokenRequest({ headers: { ...FORM, ...auth }, body: form({ grant_type: grant }) }), 400, 'unsupported_grant_type');
    }
  });

  it('answers a missing grant, a wrong content type, an unparsable body and a repeated parameter with invalid_request', async () => {
    const cases: { headers: Record<string, string | undefined>; body: string }[] = [
      { headers: { ...FORM, ...auth }, body: '' },
      { headers: { ...FORM, ...auth }, body: form({ scope: 'hub/referrals.read' }) },
      { headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ grant_type: 'client_credentials' }) },
      { headers: { ...auth }, body: form({ grant_type: 'client_credentials' }) },
      { headers: { ...FORM, ...auth }, body: 'grant_type=client_credentials&scope=%E0%A4%A' },
      { headers: { ...FORM, ...auth }, body: 'grant_type=client_credentials&grant_type=password' },
      { headers: { ...FORM, ...auth }, body: `grant_type=client_credentials&pad=${'x'.repeat(10_000)}` },
    ];
    for (const request of cases) expectError(await identity.handleTokenRequest(request), 400, 'invalid_request');
  });

  it('accepts a charset parameter on the content type', async () => {
    const response = await identity.handleTokenRequest({
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', ...auth },
      body: form({ grant_type: 'client_credentials' }),
    });
    expect(response.status).toBe(200);
  });
});

describe('verify (the Cognito authorizer)', () => {
  let good: string;
  beforeAll(async () => {
    good = await identity.issueClientToken('police-a-triage');
  });

  it('accepts a raw token and a Bearer token; no accepted scopes means any valid token', async () => {
    expect((await identity.verify(good, ['referrals.write'])).ok).toBe(true);
    expect((await identity.verify(`Bearer ${good}`, ['referrals.write'])).ok).toBe(true);
    expect((await identity.verify(`bearer ${good}`, ['referrals.write'])).ok).toBe(true);
    expect((await identity.verify(good, [])).ok).toBe(true);
    expect((await identity.verify(good, ['capacity.write', 'referrals.read'])).ok).toBe(true);
  });

  it('rejects a missing header and garbage', async () => {
    for (const header of [undefined, '', '   ', 'Bearer ', 'Bearer', 'garbage', 'a.b', 'a.b.c', 'Basic abc', `${good}x.y`]) {
      const result = await identity.verify(header, []);
      expect(result.ok, String(header)).toBe(false);
    }
    expect(await identity.verify(undefined, [])).toEqual({ ok: false, reason: 'missing token' });
  });

  it('rejects an expired token and a not-yet-valid one (injected clock)', async () => {
    let clock = Date.UTC(2030, 0, 15, 9, 0, 0);
    const timed = await createLocalIdentity({ registry, issuer: ISSUER, keyPair, tokenTtlSeconds: 300, now: () => clock });
    const token = await timed.issueClientToken('police-a-triage');
    expect((await timed.verify(token, ['referrals.write'])).ok).toBe(true);
    clock += 299_000;
    expect((await timed.verify(token, ['referrals.write'])).ok).toBe(true);
    clock += 10_000;
    expect(await timed.verify(token, ['referrals.write'])).toEqual({ ok: false, reason: 'token expired' });

    // Issued in the future (iat beyond the tolerance).
    clock = Date.UTC(2030, 0, 15, 9, 0, 0);
    clock += 120_000;
    const future = await timed.issueClientToken('police-a-triage');
    clock -= 120_000;
    expect(await timed.verify(future, ['referrals.write'])).toEqual({ ok: false, reason: 'token not yet valid' });
    // Within the small tolerance it is accepted.
    clock += 3_000;
    const slightlyAhead = await timed.issueClientToken('police-a-triage');
    clock -= 3_000;
    expect((await timed.verify(slightlyAhead, ['referrals.write'])).ok).toBe(true);
  });

  it('rejects a token whose nbf is in the future', async () => {
    const token = await handSign(validClaims({ nbf: Math.floor(Date.now() / 1000) + 600 }));
    expect(await identity.verify(token, [])).toEqual({ ok: false, reason: 'token not yet valid' });
  });

  it('accepts a hand-signed token with the real key (control for the cases below)', async () => {
    expect((await identity.verify(await handSign(validClaims()), ['referrals.write'])).ok).toBe(true);
  });

  it('rejects a wrong issuer (same key)', async () => {
    const other = await createLocalIdentity({ registry, issuer: 'http://elsewhere/local-user-pool', keyPair });
    expect(await identity.verify(await other.issueClientToken('police-a-triage'), [])).toEqual({ ok: false, reason: 'wrong issuer' });
    expect((await identity.verify(await handSign(validClaims({ iss: `${ISSUER}/` })), [])).ok).toBe(false);
    const noIss = validClaims();
    delete noIss['iss'];
    expect((await identity.verify(await handSign(noIss), [])).ok).toBe(false);
  });

  it('rejects a tampered payload', async () => {
    const [header, payload, signature] = good.split('.') as [string, string, string];
    // Flip one character in the middle of the payload segment.
    const at = Math.floor(payload.length / 2);
    const flipped = payload.slice(0, at) + (payload[at] === 'A' ? 'B' : 'A') + payload.slice(at + 1);
    expect((await identity.verify(`${header}.${flipped}.${signature}`, [])).ok).toBe(false);
    // A well-formed but altered payload (more scopes) keeps the old signature: bad signature.
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as Record<string, unknown>;
    claims['scope'] = `${String(claims['scope'])} ${fullScope('audit.read')}`;
    const forged = base64url.encode(JSON.stringify(claims));
    expect(await identity.verify(`${header}.${forged}.${signature}`, ['audit.read'])).toEqual({ ok: false, reason: 'invalid signature' });
  });

  it('rejects an unsecured (alg none) token', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', kid }));
    const payload = base64url.encode(JSON.stringify(validClaims()));
    for (const token of [`${header}.${payload}.`, `${header}.${payload}`]) {
      expect((await identity.verify(token, [])).ok).toBe(false);
    }
    const noneUpper = base64url.encode(JSON.stringify({ alg: 'None', kid }));
    expect((await identity.verify(`${noneUpper}.${payload}.`, [])).ok).toBe(false);
  });

  it('rejects HS256 tokens signed with the public key material as the secret (algorithm confusion)', async () => {
    const pem = await exportSPKI(keyPair.publicKey);
    const jwkBytes = JSON.stringify(identity.jwks().keys[0]);
    const nBytes = identity.jwks().keys[0]!.n!;
    for (const secret of [pem, jwkBytes, nBytes]) {
      const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'HS256', kid }).sign(new TextEncoder().encode(secret));
      expect(await identity.verify(token, [])).toEqual({ ok: false, reason: 'algorithm not allowed' });
    }
  });

  it('rejects a token from a different key pair carrying the same kid', async () => {
    const attacker = await generateKeyPair('RS256', { extractable: true });
    const token = await handSign(validClaims(), attacker.privateKey);
    expect(await identity.verify(token, [])).toEqual({ ok: false, reason: 'invalid signature' });
    // And with an embedded jwk header trying to supply its own key.
    const embedded = await handSign(validClaims(), attacker.privateKey, { jwk: await exportJWK(attacker.publicKey) });
    expect((await identity.verify(embedded, [])).ok).toBe(false);
  });

  it('rejects an unknown kid and a token with no kid', async () => {
    expect(await identity.verify(await handSign(validClaims(), keyPair.privateKey, { kid: 'other-kid' }), [])).toEqual({
      ok: false,
      reason: 'unknown signing key',
    });
    const noKid = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'RS256' }).sign(keyPair.privateKey);
    expect((await identity.verify(noKid, [])).ok).toBe(false);
  });

  it('rejects an ID token and a token with no token_use', async () => {
    expect(await identity.verify(await handSign(validClaims({ token_use: 'id', aud: 'console' })), [])).toEqual({
      ok: false,
      reason: 'not an access token',
    });
    const noUse = validClaims();
    delete noUse['token_use'];
    expect((await identity.verify(await handSign(noUse), [])).ok).toBe(false);
  });

  it('rejects a valid token without any accepted scope', async () => {
    const narrow = await identity.issueClientToken('police-a-triage', ['referrals.read']);
    expect(await identity.verify(narrow, ['referrals.write'])).toEqual({ ok: false, reason: 'insufficient scope' });
    expect(await identity.verify(narrow, ['referrals.manage', 'audit.read'])).toEqual({ ok: false, reason: 'insufficient scope' });
    expect((await identity.verify(narrow, ['referrals.write', 'referrals.read'])).ok).toBe(true);
    const none = await identity.issueClientToken('police-a-triage', []);
    expect(await identity.verify(none, ['referrals.read'])).toEqual({ ok: false, reason: 'insufficient scope' });
    // A scope name without the resource server prefix is not the scope.
    expect((await identity.verify(await handSign(validClaims({ scope: 'referrals.write' })), ['referrals.write'])).ok).toBe(false);
  });

  it('issueClientToken refuses unknown clients and scopes the client does not hold', async () => {
    await expect(identity.issueClientToken('nobody')).rejects.toThrow();
    await expect(identity.issueClientToken('police-a-triage', ['audit.read'])).rejects.toThrow();
  });

  it('renders claims as API Gateway does: all strings, exp/iat as dates, auth_time as seconds', async () => {
    const iat = Math.floor(Date.UTC(2030, 6, 5, 8, 4, 3) / 1000);
    const fixed = await createLocalIdentity({ registry, issuer: ISSUER, keyPair, now: () => iat * 1000 });
    const result = await fixed.verify(await fixed.issueClientToken('police-a-triage'), []);
    if (!result.ok) throw new Error(result.reason);
    expect(result.claims['iat']).toBe('Fri Jul 05 08:04:03 UTC 2030');
    expect(result.claims['exp']).toBe('Fri Jul 05 09:04:03 UTC 2030');
    expect(result.claims['auth_time']).toBe(String(iat));
    expect(result.claims['version']).toBe('2');
    expect(result.claims['scope']).toContain(' ');
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
