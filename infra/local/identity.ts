/**
 * The local identity provider: stands in for the Cognito user pool (token endpoint, JWKS) and for
 * API Gateway's Cognito user-pool authorizer (token verification) when running locally.
 *
 * - `POST /oauth2/token`, `grant_type=client_credentials`: machine clients authenticate with HTTP
 *   Basic only (`Authorization: Basic base64(client_id:client_secret)`), as Cognito's token
 *   endpoint documents for confidential clients; credentials in the body are refused.
 * - `grant_type=password`: LOCAL ONLY sign-in for seeded people through the people app client
 *   (public, no secret). In AWS people sign in through Cognito's managed login with
 *   authorization code + PKCE; Cognito's token endpoint has no password grant.
 * - Access tokens are RS256 with a `kid`, shaped like Cognito's access tokens (no custom claims).
 * - `verify()` does what the REST API's Cognito authorizer does and hands back the claims the way
 *   it puts them in `event.requestContext.authorizer.claims`: every value a string, `exp` and `iat`
 *   rendered as dates (`Fri Jul 29 18:52:53 UTC 2016`), `auth_time` as epoch seconds.
 *
 * Error bodies follow RFC 6749 §5.2 and never echo submitted values.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { RESOURCE_SERVER, ROLE_SCOPES, SCOPES, fullScope, type Role, type Scope } from '../../shared/identity/roles.js';
import type { MachineClient, Person, Registry } from '../../shared/schemas/registry.js';

export interface TokenResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type VerifyResult = { ok: true; claims: Record<string, string> } | { ok: false; reason: string };

export interface LocalIdentity {
  readonly issuer: string;
  /** Public key(s) only. */
  jwks(): { keys: JWK[] };
  /** POST /oauth2/token: body is the raw request body (application/x-www-form-urlencoded), headers lower-cased. */
  handleTokenRequest(request: { headers: Record<string, string | undefined>; body: string }): Promise<TokenResponse>;
  /**
   * The authorizer: Authorization header value (raw token or `Bearer <token>`), the method's accepted scopes (short
   * names like 'referrals.write').
   */
  verify(authorization: string | undefined, acceptedScopes: readonly string[]): Promise<VerifyResult>;
  /**
   * Convenience for tests and the README: issue a token directly (scopes: short or full names; default all the
   * client's).
   */
  issueClientToken(clientId: string, scopes?: readonly string[]): Promise<string>;
  issuePersonToken(username: string): Promise<string>;
}

export interface LocalIdentityOptions {
  registry: Registry;
  issuer: string;
  /** Access token lifetime; Cognito's default is one hour. */
  tokenTtlSeconds?: number;
  /** Clock in milliseconds, for expiry tests. */
  now?: () => number;
  /** Signing key pair (tests sign hand-made tokens with it); generated when absent. */
  keyPair?: { publicKey: CryptoKey; privateKey: CryptoKey };
}

const ALG = 'RS256';
/** Clock skew allowed on `exp`, `nbf` and `iat`. */
const CLOCK_TOLERANCE_SECONDS = 5;
const MAX_BODY_LENGTH = 8 * 1024;
const OPENID = 'openid';

const tokenHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({
  'content-type': 'application/json;charset=UTF-8',
  'cache-control': 'no-store',
  pragma: 'no-cache',
  ...extra,
});

type OAuthError = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope';

const oauthError = (error: OAuthError): TokenResponse =>
  error === 'invalid_client'
    ? {
        status: 401,
        headers: tokenHeaders({ 'www-authenticate': 'Basic realm="hub"' }),
        body: JSON.stringify({ error }),
      }
    : { status: 400, headers: tokenHeaders(), body: JSON.stringify({ error }) };

/** Constant-time comparison: both sides hashed first so lengths always match. */
const sameSecret = (given: string, expected: string): boolean =>
  timingSafeEqual(
    createHash('sha256').update(given, 'utf8').digest(),
    createHash('sha256').update(expected, 'utf8').digest(),
  );

/** Compared against when the client or user does not exist, so both paths take the same time. */
const DUMMY_SECRET = randomUUID();

const toFullScope = (scope: string): string => (scope.includes('/') ? scope : `${RESOURCE_SERVER}/${scope}`);

/** Full scopes in a stable order (the order of SCOPES). */
const scopesOf = (role: Role, extra: readonly Scope[] = []): string[] => {
  const granted = new Set<Scope>([...ROLE_SCOPES[role], ...extra]);
  return SCOPES.filter((s) => granted.has(s)).map(fullScope);
};
const clientScopes = (client: MachineClient): string[] => scopesOf(client.role, client.extraScopes);
const personScopes = (person: Person): string[] => [OPENID, ...scopesOf(person.role)];

/** `scope` request parameter against the allowed set; undefined means "all allowed". */
const grantScopes = (requested: string | undefined, allowed: readonly string[]): string[] | 'invalid_scope' => {
  if (requested === undefined) return [...allowed];
  const wanted = new Set(requested.split(' ').filter((s) => s.length > 0));
  if (wanted.size === 0) return 'invalid_scope';
  for (const s of wanted) if (!allowed.includes(s)) return 'invalid_scope';
  return allowed.filter((s) => wanted.has(s));
};

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const pad = (n: number): string => String(n).padStart(2, '0');
/** How API Gateway's REST Cognito authorizer renders `exp` and `iat` (Java's Date#toString in UTC). */
export const authorizerDate = (epochSeconds: number): string => {
  const d = new Date(epochSeconds * 1000);
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
};

const flattenClaims = (payload: JWTPayload): Record<string, string> => {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') claims[name] = authorizerDate(value);
    else if (typeof value === 'string') claims[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') claims[name] = String(value);
    else if (Array.isArray(value)) claims[name] = `[${value.map(String).join(', ')}]`;
    else claims[name] = JSON.stringify(value);
  }
  return claims;
};

/** jose error codes to fixed reasons (never token content). */
const reasonFor = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'token expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = (error as { claim?: unknown }).claim;
      if (claim === 'nbf') return 'token not yet valid';
      if (claim === 'iss') return 'wrong issuer';
      return `invalid claim ${typeof claim === 'string' ? claim : ''}`.trim();
    }
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'invalid signature';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'algorithm not allowed';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'unknown signing key';
    default:
      return 'malformed token';
  }
};

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Parses an x-www-form-urlencoded body; repeated parameters are an error (RFC 6749 §3.2). */
const parseForm = (body: string): Map<string, string> | undefined => {
  if (body.length > MAX_BODY_LENGTH) return undefined;
  const params = new Map<string, string>();
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
    if (params.has(name)) return undefined;
    params.set(name, value);
  }
  return params;
};

/** `Basic base64(client_id:client_secret)`; undefined when absent or not decodable. */
const parseBasic = (header: string): { clientId: string; clientSecret: string } | undefined => {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
};

export async function createLocalIdentity(options: LocalIdentityOptions): Promise<LocalIdentity> {
  const { registry, issuer } = options;
  const ttl = options.tokenTtlSeconds ?? 3600;
  const now = options.now ?? Date.now;
  const nowSeconds = (): number => Math.floor(now() / 1000);

  const { publicKey, privateKey } = options.keyPair ?? (await generateKeyPair(ALG, { extractable: true }));
  const exported = await exportJWK(publicKey);
  if (exported.kty !== 'RSA' || !exported.n || !exported.e) throw new Error('the signing key must be an RSA key');
  const kid = await calculateJwkThumbprint({ kty: 'RSA', n: exported.n, e: exported.e });
  const publicJwk: JWK = { kty: 'RSA', n: exported.n, e: exported.e, kid, alg: ALG, use: 'sig' };
  const keySet = createLocalJWKSet({ keys: [publicJwk] });

  const clientsById = new Map(registry.clients.map((c) => [c.clientId, c] as const));
  const peopleByUsername = new Map(registry.people.map((p) => [p.username, p] as const));

  const sign = async (claims: Record<string, unknown>): Promise<string> => {
    const iat = nowSeconds();
    return new SignJWT({ ...claims, token_use: 'access', auth_time: iat, jti: randomUUID(), version: 2 })
      .setProtectedHeader({ alg: ALG, kid })
      .setIssuer(issuer)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .sign(privateKey);
  };

  const clientToken = (client: MachineClient, scopes: readonly string[]): Promise<string> =>
    sign({ sub: client.clientId, client_id: client.clientId, scope: scopes.join(' ') });

  const personToken = (person: Person, scopes: readonly string[]): Promise<string> =>
    sign({ sub: person.sub, client_id: registry.peopleClientId, username: person.username, scope: scopes.join(' ') });

  const success = (accessToken: string): TokenResponse => ({
    status: 200,
    headers: tokenHeaders(),
    body: JSON.stringify({ access_token: accessToken, expires_in: ttl, token_type: 'Bearer' }),
  });

  const clientCredentials = async (
    authorization: string | undefined,
    params: Map<string, string>,
  ): Promise<TokenResponse> => {
    // Basic only: a secret in the body is not a supported authentication method here.
    if (params.has('client_secret')) return oauthError(authorization ? 'invalid_request' : 'invalid_client');
    const credentials = authorization ? parseBasic(authorization) : undefined;
    if (!credentials) return oauthError('invalid_client');
    if (params.has('client_id') && params.get('client_id') !== credentials.clientId)
      return oauthError('invalid_request');
    const client = clientsById.get(credentials.clientId);
    const secretMatches = sameSecret(credentials.clientSecret, client?.clientSecret ?? DUMMY_SECRET);
    if (!client || !secretMatches) return oauthError('invalid_client');
    const scopes = grantScopes(params.get('scope'), clientScopes(client));
    if (scopes === 'invalid_scope') return oauthError('invalid_scope');
    return success(await clientToken(client, scopes));
  };

  const passwordGrant = async (
    authorization: string | undefined,
    params: Map<string, string>,
  ): Promise<TokenResponse> => {
    const clientId = params.get('client_id');
    const username = params.get('username');
    const password = params.get('password');
    if (!clientId || username === undefined || password === undefined) return oauthError('invalid_request');
    // The people client is public: it has no secret to present.
    if (authorization || params.has('client_secret')) return oauthError('invalid_request');
    if (clientId !== registry.peopleClientId) return oauthError('invalid_client');
    const person = peopleByUsername.get(username);
    const passwordMatches = sameSecret(password, person?.password ?? DUMMY_SECRET);
    if (!person || !passwordMatches) return oauthError('invalid_grant');
    const scopes = grantScopes(params.get('scope'), personScopes(person));
    if (scopes === 'invalid_scope') return oauthError('invalid_scope');
    return success(await personToken(person, scopes));
  };

  return {
    issuer,

    jwks: () => ({ keys: [{ ...publicJwk }] }),

    async handleTokenRequest({ headers, body }) {
      const contentType = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
      if (contentType !== 'application/x-www-form-urlencoded') return oauthError('invalid_request');
      const params = parseForm(body);
      if (!params) return oauthError('invalid_request');
      const grantType = params.get('grant_type');
      if (!grantType) return oauthError('invalid_request');
      const authorization = headers['authorization'];
      switch (grantType) {
        case 'client_credentials':
          return clientCredentials(authorization, params);
        case 'password':
          return passwordGrant(authorization, params);
        default:
          return oauthError('unsupported_grant_type');
      }
    },

    async verify(authorization, acceptedScopes) {
      if (!authorization || authorization.trim() === '') return { ok: false, reason: 'missing token' };
      const token = authorization.trim().replace(/^Bearer\s+/i, '');
      if (!JWT_SHAPE.test(token)) return { ok: false, reason: 'malformed token' };
      let payload: JWTPayload;
      try {
        const result = await jwtVerify(token, keySet, {
          algorithms: [ALG],
          issuer,
          currentDate: new Date(now()),
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', 'iat', 'token_use'],
        });
        if (!result.protectedHeader.kid) return { ok: false, reason: 'unknown signing key' };
        payload = result.payload;
      } catch (error) {
        return { ok: false, reason: reasonFor(error) };
      }
      if (typeof payload.iat !== 'number' || payload.iat > nowSeconds() + CLOCK_TOLERANCE_SECONDS) {
        return { ok: false, reason: 'token not yet valid' };
      }
      if (payload['token_use'] !== 'access') return { ok: false, reason: 'not an access token' };
      const scopeClaim = payload['scope'];
      const tokenScopes = typeof scopeClaim === 'string' ? scopeClaim.split(' ').filter((s) => s.length > 0) : [];
      if (acceptedScopes.length > 0 && !acceptedScopes.some((s) => tokenScopes.includes(toFullScope(s)))) {
        return { ok: false, reason: 'insufficient scope' };
      }
      return { ok: true, claims: flattenClaims(payload) };
    },

    async issueClientToken(clientId, scopes) {
      const client = clientsById.get(clientId);
      if (!client) throw new Error('unknown client');
      const granted = scopes?.length === 0 ? [] : grantScopes(scopes?.map(toFullScope).join(' '), clientScopes(client));
      if (granted === 'invalid_scope') throw new Error('scope not allowed for this client');
      return clientToken(client, granted);
    },

    async issuePersonToken(username) {
      const person = peopleByUsername.get(username);
      if (!person) throw new Error('unknown person');
      return personToken(person, personScopes(person));
    },
  };
}
