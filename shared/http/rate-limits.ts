/**
 * Rate limits, in one place: the usage plans CDK builds (infra/constructs/api.ts) and the
 * `RateLimit-Policy` header the middleware sends read the same figures. Each route's `throttle`
 * in the route table is the per-client limit; a usage plan multiplies it by the key owner's
 * scale (a partner system: 1 unless configured; the console's people share one key: 5).
 * Locally every caller gets the route's own figures (the adapter's per-client buckets).
 *
 * The header follows draft-ietf-httpapi-ratelimit-headers (structured-field list of policies
 * with `q` quota and `w` window in seconds). API Gateway does not tell the function how much of
 * the quota is left, so no `RateLimit` (remaining) field is sent rather than an invented one.
 */
import type { Throttle } from './route.js';

/** The owner name of the people client's API key and usage plan. */
export const PEOPLE_KEY_OWNER = 'people-console';

export const DEFAULT_RATE_LIMIT_SCALES = {
  /** The stage's per-method safety net, above every plan. */
  stage: 10,
  /** The people client's one shared key. */
  people: 5,
} as const;

/** A route's per-client limits (its `throttle`): writes, and reads (which a board polls). */
export const DEFAULT_THROTTLE: Throttle = { rateLimit: 10, burstLimit: 20 };
export const READ_THROTTLE: Throttle = { rateLimit: 20, burstLimit: 40 };

/** A partner system's limits across all methods. */
export const DEFAULT_CLIENT_THROTTLE: Throttle = { rateLimit: 50, burstLimit: 100 };

/** What a function is told about the plans (env RATE_LIMIT_SCALES, JSON); absent: the local stack's 1 for all. */
export interface RateLimitScales {
  readonly people: number;
  readonly clients: Readonly<Record<string, number>>;
}

export const LOCAL_RATE_LIMIT_SCALES: RateLimitScales = { people: 1, clients: {} };

export const scaledThrottle = (throttle: Throttle, scale: number): Throttle => ({
  rateLimit: throttle.rateLimit * scale,
  burstLimit: Math.ceil(throttle.burstLimit * scale),
});

/** The scale of the plan a caller's key belongs to. */
export const planScale = (
  scales: RateLimitScales,
  caller: { clientId: string; actorId?: string | undefined },
): number => (caller.actorId !== undefined ? scales.people : (scales.clients[caller.clientId] ?? 1));

export const parseRateLimitScales = (raw: string | undefined): RateLimitScales => {
  if (!raw) return LOCAL_RATE_LIMIT_SCALES;
  try {
    const parsed = JSON.parse(raw) as Partial<RateLimitScales>;
    const people = Number(parsed.people);
    const clients = Object.fromEntries(Object.entries(parsed.clients ?? {}).filter(([, v]) => Number(v) > 0)) as Record<
      string,
      number
    >;
    return { people: people > 0 ? people : LOCAL_RATE_LIMIT_SCALES.people, clients };
  } catch {
    return LOCAL_RATE_LIMIT_SCALES;
  }
};

/**
 * A token bucket of `rateLimit`/s and `burstLimit` as two policies: at most `burstLimit` in any
 * one second from a rested bucket, and about `rateLimit` × 60 in a minute.
 */
export const rateLimitPolicy = (throttle: Throttle): string =>
  `"burst";q=${throttle.burstLimit};w=1, "sustained";q=${Math.floor(throttle.rateLimit * 60)};w=60`;
