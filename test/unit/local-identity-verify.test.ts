/** local-identity tests, verify: see ./local-identity.fixture.ts for what they run against. */
import { beforeAll, describe, expect, it } from 'vitest';
import { base64url, exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createLocalIdentity } from '../../infra/local/identity.js';
import { fullScope } from '../../shared/identity/roles.js';
import { registry, ISSUER, keyPair, identity, kid, handSign, validClaims } from './local-identity.fixture.js';

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
    for (const header of [
      undefined,
      '',
      '   ',
      'Bearer ',
      'Bearer',
      'garbage',
      'a.b',
      'a.b.c',
      'Basic abc',
      `${good}x.y`,
    ]) {
      const result = await identity.verify(header, []);
      expect(result.ok, String(header)).toBe(false);
    }
    expect(await identity.verify(undefined, [])).toEqual({ ok: false, reason: 'missing token' });
  });

  it('rejects an expired token and a not-yet-valid one (injected clock)', async () => {
    let clock = Date.UTC(2030, 0, 15, 9, 0, 0);
    const timed = await createLocalIdentity({
      registry,
      issuer: ISSUER,
      keyPair,
      tokenTtlSeconds: 300,
      now: () => clock,
    });
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
    expect(await identity.verify(await other.issueClientToken('police-a-triage'), [])).toEqual({
      ok: false,
      reason: 'wrong issuer',
    });
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
    expect(await identity.verify(`${header}.${forged}.${signature}`, ['audit.read'])).toEqual({
      ok: false,
      reason: 'invalid signature',
    });
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
      const token = await new SignJWT(validClaims())
        .setProtectedHeader({ alg: 'HS256', kid })
        .sign(new TextEncoder().encode(secret));
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
    expect(await identity.verify(narrow, ['referrals.manage', 'audit.read'])).toEqual({
      ok: false,
      reason: 'insufficient scope',
    });
    expect((await identity.verify(narrow, ['referrals.write', 'referrals.read'])).ok).toBe(true);
    const none = await identity.issueClientToken('police-a-triage', []);
    expect(await identity.verify(none, ['referrals.read'])).toEqual({ ok: false, reason: 'insufficient scope' });
    // A scope name without the resource server prefix is not the scope.
    expect(
      (await identity.verify(await handSign(validClaims({ scope: 'referrals.write' })), ['referrals.write'])).ok,
    ).toBe(false);
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
