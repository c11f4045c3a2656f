/**
 * The in-process API with a signing key the test holds, so it can sign hand-made tokens with the
 * issuer's own key (startTestApi generates its key inside). Wired as test/support/api.ts wires
 * the local adapter: the route table, the local identity, the real handlers, DynamoDB Local.
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { ROUTES } from '../../functions/routes.js';
import { createHttpAdapter } from '../../infra/local/http-adapter.js';
import { createLocalIdentity } from '../../infra/local/identity.js';
import { loadRegistry } from '../../infra/local/seed.js';
import { ROOT, testApiHandle, type TestApi } from './api.js';

export const KEYED_ISSUER = 'http://localhost/local-user-pool';

export interface KeyedTestApi extends TestApi {
  /** The kid the issuer puts in its tokens' header. */
  readonly kid: string;
  /** Signs these claims (exactly as given) with the issuer's private key (RS256); `kid: null` leaves the kid out. */
  sign(claims: JWTPayload, header?: { kid?: string | null }): Promise<string>;
  /** Decodes an issued token, lets `mutate` change its claims, and signs the result with the issuer's key. */
  resign(token: string, mutate: (claims: Record<string, unknown>) => Record<string, unknown>): Promise<string>;
}

export async function startKeyedTestApi(): Promise<KeyedTestApi> {
  const keyPair = await generateKeyPair('RS256', { extractable: true });
  let offset = 0;
  const identity = await createLocalIdentity({
    registry: loadRegistry(),
    issuer: KEYED_ISSUER,
    now: () => Date.now() + offset,
    keyPair,
  });
  const adapter = createHttpAdapter({ routes: ROUTES, identity, root: ROOT });
  const url = await adapter.listen(0);
  const kid = String(identity.jwks().keys[0]!.kid);

  const sign = (claims: JWTPayload, header: { kid?: string | null } = {}) => {
    const protectedHeader: { alg: string; kid?: string } = { alg: 'RS256' };
    if (header.kid !== null) protectedHeader.kid = header.kid ?? kid;
    return new SignJWT(claims).setProtectedHeader(protectedHeader).sign(keyPair.privateKey);
  };

  return {
    ...testApiHandle(url, identity, adapter, (ms) => {
      offset += ms;
    }),
    kid,
    sign,
    resign: async (token, mutate) => {
      if (decodeProtectedHeader(token).kid !== kid) throw new Error('not a token of this issuer');
      return sign(mutate({ ...decodeJwt(token), jti: randomUUID() }) as JWTPayload);
    },
  };
}
