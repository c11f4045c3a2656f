/**
 * Shared setup and helpers of local-identity-grants.test.ts, local-identity-verify.test.ts; its hooks run in every file
 * that imports it.
 */
import { beforeAll, expect } from 'vitest';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createLocalIdentity, type LocalIdentity, type TokenResponse } from '../../infra/local/identity.js';
import { loadRegistry } from '../../infra/local/seed.js';
import { fullScope } from '../../shared/identity/roles.js';

export const registry = loadRegistry();
export const ISSUER = 'http://localhost:4010/local-user-pool';
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
export const JAVA_DATE =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/;

export const form = (params: Record<string, string>): string => new URLSearchParams(params).toString();
export const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
export const json = (response: TokenResponse): Record<string, unknown> =>
  JSON.parse(response.body) as Record<string, unknown>;
export const secrets = [...registry.clients.map((c) => c.clientSecret), ...registry.people.map((p) => p.password)];

/** Every error body seen, to check none leaks a secret or a submitted value. */
export const errorBodies: string[] = [];
export const expectError = (response: TokenResponse, status: number, error: string): void => {
  errorBodies.push(response.body);
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(json(response)).toEqual({ error });
  if (status === 401) expect(response.headers['www-authenticate']).toMatch(/^Basic/);
};

export let keyPair: { publicKey: CryptoKey; privateKey: CryptoKey };
export let identity: LocalIdentity;
export let kid: string;

/** Signs arbitrary claims with the identity's own key (or another), for hand-made bad tokens. */
export const handSign = (
  claims: Record<string, unknown>,
  key: CryptoKey = keyPair.privateKey,
  header: Record<string, unknown> = {},
): Promise<string> => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, ...header }).sign(key);

export const validClaims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => {
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
