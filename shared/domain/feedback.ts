/**
 * Feedback to referrers (DOMAIN §6), pure: which events the referrer hears about, the minimised
 * message for each, the retry schedule, and Standard Webhooks signing and verification
 * (https://www.standardwebhooks.com/). No AWS imports, no I/O; randomness and time come in as
 * arguments.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FeedbackEventType, FeedbackMessage, FeedbackMessageData } from '../../events/schemas/feedback-message.js';
// The constant from its zod-free module: the consumer and the schedule need no message schemas at start-up (#21).
import { FEEDBACK_EVENT_TYPES } from '../../events/schemas/feedback-types.js';
import type { StoredEvent } from '../../events/schemas/referral-event.js';

// The message schemas live in events/schemas/feedback-message.ts (the one source).
export { FEEDBACK_EVENT_TYPES };
export type { FeedbackEventType, FeedbackMessage, FeedbackMessageData };
export const isFeedbackEvent = (type: unknown): type is FeedbackEventType =>
  (FEEDBACK_EVENT_TYPES as readonly unknown[]).includes(type);

/** The part of a stored referral event a message is built from. */
export type FeedbackSource = Readonly<Pick<StoredEvent, 'seq' | 'type' | 'at' | 'data' | 'subject'>>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const utc = (v: unknown): string | undefined => {
  const s = str(v);
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
};

/**
 * The minimised message for one referral event, or undefined when the referrer is not told of
 * it. An allow-list per event type: reasons, notes, written reasons, AMHP identities and
 * everything about the person stay out whatever the event's data holds.
 */
export function buildFeedbackMessage(event: FeedbackSource): FeedbackMessage | undefined {
  if (!isFeedbackEvent(event.type)) return undefined;
  const { subject, data } = event;
  const out: FeedbackMessageData = {
    referralId: subject.referralId,
    reference: subject.reference,
    referrerReference: subject.referrerReference,
    event: event.type,
    sequence: event.seq,
    status: subject.status,
    contact: {
      amhpServiceId: subject.serviceId,
      quoteReference: subject.reference,
      referral: `/v1/referrals/${subject.referralId}`,
    },
  };
  switch (event.type) {
    case 'not-accepted': {
      const disposition = str(data.disposition);
      const nextSteps = str(data.nextSteps);
      if (disposition) out.disposition = disposition;
      if (nextSteps) out.nextSteps = nextSteps;
      break;
    }
    case 'allocated': {
      const expected = utc(data.expectedAttendanceAt);
      if (expected) out.expectedAttendanceAt = expected;
      break;
    }
    case 'outcome-recorded':
    case 'outcome-amended': {
      const outcome = str(data.outcome);
      const nextSteps = str(data.nextSteps);
      if (outcome) out.disposition = outcome;
      if (nextSteps) out.nextSteps = nextSteps;
      break;
    }
    case 'clock-breached': {
      const power = str(data.power);
      const expiresAt = utc(data.expiresAt);
      if (power) out.clock = { power, ...(expiresAt ? { expiresAt } : {}) };
      break;
    }
    default:
      break;
  }
  return { type: `referral.${event.type}`, timestamp: utc(event.at) ?? event.at, data: out };
}

/** webhook-id: one per message, the same on every attempt and replay (receivers dedupe on it). */
export const messageIdOf = (referralId: string, seq: number): string => `msg_${referralId}_${seq}`;

// ---------------------------------------------------------------------------------------------
// Retry schedule.

/** Attempts continue for this long after the message was created (or replayed), then it is parked. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const BACKOFF_BASE_MS = 60_000;
export const BACKOFF_MAX_MS = 2 * 60 * 60 * 1000;

/**
 * Delay before the next attempt after `failures` failed attempts (1 = the first failed):
 * exponential (1 min, 2, 4, … capped at 2 h) with "equal jitter": uniformly within the upper
 * half of the step, so receivers coming back are not hit by every sender at once and no delay
 * collapses to nothing. `random` returns [0, 1).
 */
export function backoffDelayMs(failures: number, random: () => number): number {
  const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  const r = Math.min(Math.max(random(), 0), 0.999_999);
  return Math.round(step / 2 + r * (step / 2));
}

export type NextStep = { kind: 'retry'; at: Date } | { kind: 'park' };

/** After a failed attempt: when to try again, or park (the next try would fall after the window). */
export function nextAttempt(input: {
  failures: number;
  now: Date;
  windowEndsAt: Date;
  random: () => number;
}): NextStep {
  if (input.now.getTime() >= input.windowEndsAt.getTime()) return { kind: 'park' };
  const at = new Date(input.now.getTime() + backoffDelayMs(input.failures, input.random));
  return at.getTime() > input.windowEndsAt.getTime() ? { kind: 'park' } : { kind: 'retry', at };
}

// ---------------------------------------------------------------------------------------------
// Standard Webhooks.

export const SECRET_PREFIX = 'whsec_';
/** The spec asks for 24 to 64 random bytes. */
export const SECRET_BYTES = 32;

/** `whsec_` + base64 of the key bytes (the caller supplies the random bytes). */
export const formatSecret = (key: Uint8Array): string => {
  if (key.length < 24 || key.length > 64) throw new RangeError('A webhook secret is 24 to 64 bytes');
  return `${SECRET_PREFIX}${Buffer.from(key).toString('base64')}`;
};

/** The HMAC key: the base64-decoded part after `whsec_`. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new TypeError('A webhook secret starts with whsec_');
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  if (key.length < 24) throw new TypeError('A webhook secret holds at least 24 bytes');
  return key;
}

/** `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`. */
export function signWebhook(input: { id: string; timestamp: number; body: string; secret: string }): string {
  const mac = createHmac('sha256', secretKey(input.secret))
    .update(`${input.id}.${input.timestamp}.${input.body}`, 'utf8')
    .digest('base64');
  return `v1,${mac}`;
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export const webhookHeaders = (input: {
  id: string;
  timestamp: number;
  body: string;
  secret: string;
}): WebhookHeaders => ({
  'webhook-id': input.id,
  'webhook-timestamp': String(input.timestamp),
  'webhook-signature': signWebhook(input),
});

export type VerifyResult =
  | { ok: true }
  | {
      ok: false;
      reason:
        | 'missing-header'
        | 'invalid-timestamp'
        | 'timestamp-out-of-tolerance'
        | 'no-matching-signature'
        | 'invalid-secret';
    };

/**
 * What a receiver does: headers present, timestamp within tolerance (5 min), and one of the
 * space-separated `v1,` signatures matching in constant time.
 */
export function verifyWebhook(input: {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  secret: string;
  nowSeconds: number;
  toleranceSeconds?: number;
}): VerifyResult {
  const h = (name: string) => {
    const v = input.headers[name] ?? input.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = h('webhook-id');
  const ts = h('webhook-timestamp');
  const sig = h('webhook-signature');
  if (!id || !ts || !sig) return { ok: false, reason: 'missing-header' };
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'invalid-timestamp' };
  const timestamp = Number(ts);
  if (Math.abs(input.nowSeconds - timestamp) > (input.toleranceSeconds ?? 300))
    return { ok: false, reason: 'timestamp-out-of-tolerance' };
  let expected: Buffer;
  try {
    expected = Buffer.from(signWebhook({ id, timestamp, body: input.body, secret: input.secret }).slice(3), 'base64');
  } catch {
    return { ok: false, reason: 'invalid-secret' };
  }
  for (const candidate of sig.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no-matching-signature' };
}
