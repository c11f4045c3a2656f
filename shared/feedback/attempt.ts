/**
 * One webhook delivery attempt (DOMAIN §6): one signed POST, Standard Webhooks headers, 5 s to
 * answer, 2xx = delivered; anything else is retried with exponential backoff and jitter for 24 h,
 * then parked. Shared by the minute sweep (functions/feedback/deliver.ts) and the operational
 * stream consumer's first attempt (functions/stream/operational.ts), so no handler imports
 * another (#18).
 */
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  claimDelivery,
  recordAttempt,
  DeliveryChanged,
  type AttemptRecord,
  type AttemptResolution,
  type Delivery,
} from '../data/delivery-repository.js';
import { getSubscription, secretContextOf, type Subscription } from '../data/subscription-repository.js';
import { nextAttempt, RETRY_WINDOW_MS, webhookHeaders } from '../domain/feedback.js';
import { BlockedAddressError, checkUrlShape, guardedLookup, urlPolicyFromEnv, type UrlPolicy } from '../domain/ssrf.js';
import { openSecret } from '../secrets/webhook-secrets.js';
import { logger } from '../logger.js';

export const DELIVERY_TIMEOUT_MS = 5_000;
/** Long enough for the POST and the write after it; a worker that dies leaves it to expire. */
export const DELIVERY_LEASE_MS = 30_000;
const USER_AGENT = 'AMHP-Referral-Hub-Webhooks/1 (+Standard Webhooks)';

export type SendResult = { statusCode: number } | { error: 'timeout' | 'connection-error' | 'blocked-address' };

/**
 * POST without following redirects (a 3xx is a failure: a redirect could point anywhere) and
 * with the SSRF guard as the connection's DNS lookup; a fresh connection each time, so every
 * attempt is checked against what the name resolves to then.
 */
export function postWebhook(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; loopbackAllowed: boolean },
): Promise<SendResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const requestOptions: RequestOptions & { minVersion?: 'TLSv1.2' } = {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': USER_AGENT,
        ...headers,
      },
      lookup: guardedLookup(options.loopbackAllowed) as unknown as LookupFunction,
      agent: false,
      ...(url.protocol === 'https:' ? { minVersion: 'TLSv1.2' as const } : {}),
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, requestOptions, (res) => {
      // The status is all that matters; the body is read and dropped (never logged or stored).
      res.on('error', () => undefined);
      res.resume();
      done({ statusCode: res.statusCode ?? 0 });
    });
    const timer = setTimeout(() => {
      done({ error: 'timeout' });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      done({
        error:
          error instanceof BlockedAddressError || error.code === 'EBLOCKEDADDRESS'
            ? 'blocked-address'
            : 'connection-error',
      });
    });
    req.end(body);
  });
}

export interface DeliveryDeps {
  /** Time for scheduling decisions (attempt log, backoff, window). */
  readonly now: Date;
  readonly random?: () => number;
  readonly policy?: UrlPolicy;
  readonly timeoutMs?: number;
  /** Subscriptions looked up once per run. */
  readonly subscriptions?: Map<string, Promise<Subscription | undefined>>;
  readonly send?: typeof postWebhook;
  /** Asked after the claim: false cancels the delivery unsent (an acknowledged safety alert's repeat). */
  readonly stillWanted?: (d: Delivery) => Promise<boolean>;
}

/** A FHIR delivery says so and carries the conversation's X-Correlation-ID (BaRS). */
const fhirHeaders = (d: Delivery): Record<string, string> =>
  d.format === 'fhir'
    ? { 'content-type': 'application/fhir+json', ...(d.correlationId ? { 'x-correlation-id': d.correlationId } : {}) }
    : {};

export type AttemptOutcome = 'delivered' | 'retry' | 'parked' | 'cancelled' | 'skipped' | 'lost-lease';

const subscriptionOf = (d: Delivery, cache: Map<string, Promise<Subscription | undefined>>) => {
  const key = `${d.organisationId}|${d.subscriptionId}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = getSubscription(d.organisationId, d.subscriptionId);
    cache.set(key, hit);
  }
  return hit;
};

/** Failed attempts in the current window, this one included: the backoff step. */
const failuresInWindow = (d: Delivery): number => {
  const windowStart = Date.parse(d.windowEndsAt) - RETRY_WINDOW_MS;
  return d.attemptLog.filter((a) => a.result !== 'delivered' && Date.parse(a.at) >= windowStart).length + 1;
};

/** One attempt at one delivery, if this worker can claim it. Never throws for the receiver's faults. */
export async function attemptDelivery(delivery: Delivery, deps: DeliveryDeps): Promise<AttemptOutcome> {
  const now = deps.now;
  const claimed = await claimDelivery(delivery, now, DELIVERY_LEASE_MS);
  if (!claimed) return 'skipped';
  const cache = deps.subscriptions ?? new Map();
  const subscription = await subscriptionOf(claimed, cache);
  const settle = async (attempt: AttemptRecord | undefined, resolution: AttemptResolution): Promise<AttemptOutcome> => {
    try {
      await recordAttempt(claimed, attempt, resolution, now);
    } catch (error) {
      if (error instanceof DeliveryChanged) return 'lost-lease';
      throw error;
    }
    return resolution.kind === 'delivered'
      ? 'delivered'
      : resolution.kind === 'retry'
        ? 'retry'
        : resolution.kind === 'park'
          ? 'parked'
          : 'cancelled';
  };
  // Deleted since: nobody is listening; the service still sees it as cancelled.
  if (subscription?.status !== 'active' || !subscription.secret) return settle(undefined, { kind: 'cancel' });
  if (deps.stillWanted && !(await deps.stillWanted(claimed))) return settle(undefined, { kind: 'cancel' });

  const started = performance.now();
  let result: string;
  let statusCode: number | undefined;
  const policy = deps.policy ?? urlPolicyFromEnv();
  const shape = checkUrlShape(subscription.url, policy);
  if (!shape.ok) {
    result = 'blocked-address';
  } else {
    let secret: string | undefined;
    try {
      secret = await openSecret(subscription.secret, secretContextOf(subscription));
    } catch (error) {
      logger.error('webhook secret could not be opened', {
        subscriptionId: subscription.id,
        errorName: (error as Error).name,
      });
    }
    if (!secret) {
      result = 'no-secret';
    } else {
      // The signature's timestamp is the real time of sending: receivers check it against their clock.
      const headers = webhookHeaders({
        id: claimed.messageId,
        timestamp: Math.floor(Date.now() / 1000),
        body: claimed.body,
        secret,
      });
      const sent = await (deps.send ?? postWebhook)(
        shape.url,
        claimed.body,
        { ...headers, ...fhirHeaders(claimed) },
        { timeoutMs: deps.timeoutMs ?? DELIVERY_TIMEOUT_MS, loopbackAllowed: shape.loopbackAllowed },
      );
      if ('statusCode' in sent) {
        statusCode = sent.statusCode;
        result = sent.statusCode >= 200 && sent.statusCode < 300 ? 'delivered' : `http-${sent.statusCode}`;
      } else {
        result = sent.error;
      }
    }
  }
  const attempt: AttemptRecord = {
    at: now.toISOString(),
    result,
    ...(statusCode !== undefined ? { statusCode } : {}),
    durationMs: Math.round(performance.now() - started),
  };
  if (result === 'delivered') return settle(attempt, { kind: 'delivered' });
  const step = nextAttempt({
    failures: failuresInWindow(claimed),
    now,
    windowEndsAt: new Date(claimed.windowEndsAt),
    random: deps.random ?? Math.random,
  });
  return settle(attempt, step.kind === 'retry' ? { kind: 'retry', at: step.at } : { kind: 'park' });
}
