/**
 * A thin typed client for the Hub: openapi-fetch over the generated types (schema.ts), plus
 * what every integrator otherwise writes by hand:
 * - tokens: the client-credentials grant, cached until a minute before expiry, refreshed once
 *   on a 401;
 * - retries: 429 and 503 (after Retry-After) and network errors, re-sending the very same
 *   request, so a write keeps its Idempotency-Key and cannot happen twice; writes get a key when
 *   the caller gave none;
 * - webhooks: Standard Webhooks signature verification (the Hub's own implementation).
 */
import createClient, { type Client } from 'openapi-fetch';
import { verifyWebhook as verifySignature } from '../../shared/domain/feedback.js';
import type { components, paths } from './schema.js';

export type { components, paths };
export type Schemas = components['schemas'];

export interface HubClientOptions {
  /** The Hub's base URL, e.g. `http://localhost:3000` or `https://<api>.execute-api.<region>.amazonaws.com/live`. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Defaults to `<baseUrl>/oauth2/token` (the local stack); in AWS the Cognito domain's `/oauth2/token`. */
  readonly tokenUrl?: string;
  /** Space-separated scopes to ask for; all the client's scopes when absent. */
  readonly scope?: string;
  /** The usage-plan key (AWS only). */
  readonly apiKey?: string;
  /** Attempts per request, the first included. @default 4 */
  readonly maxAttempts?: number;
  readonly fetch?: typeof fetch;
  /** Waits between retries; tests pass a fast one. */
  readonly sleep?: (ms: number) => Promise<void>;
}

interface CachedToken {
  readonly value: string;
  readonly expiresAt: number;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const RETRYABLE = new Set([429, 502, 503, 504]);

/** Gets and caches client-credentials tokens. */
export class TokenSource {
  private cached: CachedToken | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly options: HubClientOptions) {}

  async token(): Promise<string> {
    if (this.cached && this.cached.expiresAt > Date.now() + 60_000) return this.cached.value;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const { clientId, clientSecret, scope } = this.options;
    const url = this.options.tokenUrl ?? `${this.options.baseUrl.replace(/\/+$/, '')}/oauth2/token`;
    const res = await (this.options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }).toString(),
    });
    if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
    const body = (await res.json()) as { access_token: string; expires_in?: number };
    this.cached = { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
    return body.access_token;
  }
}

const retryDelayMs = (res: Response | undefined, attempt: number): number => {
  const header = Number(res?.headers.get('Retry-After'));
  if (Number.isFinite(header) && header >= 0) return Math.min(header, 30) * 1000;
  return Math.min(250 * 2 ** attempt, 5000);
};

/**
 * A `fetch` that authenticates and retries the same request: the Idempotency-Key (set once,
 * before the first attempt) travels with every attempt.
 */
export function hubFetch(options: HubClientOptions, tokens = new TokenSource(options)): typeof fetch {
  const base = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = options.maxAttempts ?? 4;
  return async (input, init) => {
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    if (WRITE_METHODS.has(request.method) && !headers.has('Idempotency-Key'))
      headers.set('Idempotency-Key', crypto.randomUUID());
    if (options.apiKey) headers.set('x-api-key', options.apiKey);
    const body = request.body ? await request.arrayBuffer() : undefined;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      headers.set('Authorization', `Bearer ${await tokens.token()}`);
      let res: Response | undefined;
      try {
        res = await base(request.url, { method: request.method, headers, ...(body ? { body } : {}) });
      } catch (error) {
        if (attempt + 1 >= maxAttempts) throw error;
      }
      if (res?.status === 401 && !refreshed) {
        refreshed = true;
        tokens.invalidate();
        continue;
      }
      if (res && (!RETRYABLE.has(res.status) || attempt + 1 >= maxAttempts)) return res;
      await sleep(retryDelayMs(res, attempt));
    }
  };
}

export type HubClient = Client<paths>;

/**
 * The typed client: `hub.POST('/v1/referrals', { body })`, `hub.GET('/v1/referrals/{id}', { params: { path: { id } }
 * })`.
 */
export function createHubClient(options: HubClientOptions): HubClient {
  return createClient<paths>({ baseUrl: options.baseUrl.replace(/\/+$/, ''), fetch: hubFetch(options) });
}

/** The body of a webhook, verified: throws unless the signature and timestamp are good. */
export function verifyWebhook<T = Schemas[`Referral${string}Message` & keyof Schemas]>(input: {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  secret: string;
  nowSeconds?: number;
}): T {
  const result = verifySignature({ ...input, nowSeconds: input.nowSeconds ?? Math.floor(Date.now() / 1000) });
  if (!result.ok) throw new Error(`webhook not verified: ${result.reason}`);
  return JSON.parse(input.body) as T;
}
