/**
 * Token edges through the real path, with tokens signed by the issuer's own key (so only the
 * claims are wrong, never the signature): the wrong token_use, tokens not yet valid, clients and
 * people the registry does not know, and scopes the caller's role does not carry. Each is a 401
 * or a 403, never a 2xx and never a 5xx (checked after every file: token-edges.fixture.ts). The
 * caller kind (a system client where a person must decide) is in token-edges-caller-kind.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { uniqueId } from '../support/api.js';
import { j1Body } from '../support/referrals.js';
import { KEYED_ISSUER } from '../support/security-api.js';
import { api, call, dana, nowSeconds, readRegister, registry, t } from './token-edges.fixture.js';

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
