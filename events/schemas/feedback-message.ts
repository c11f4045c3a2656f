/**
 * The webhook message sent to a referrer for each recorded event it hears about (Standard
 * Webhooks payload: `type`, `timestamp`, `data`). One schema per type, closed: a field not
 * listed for that type is never sent. The OpenAPI `webhooks` section is generated from these.
 */
import * as z from 'zod/mini';
import './zod-locale.js';
import { FEEDBACK_EVENT_TYPES } from './feedback-types.js';

// The list lives in feedback-types.ts (zod-free, for handlers that need only the constant).
export { FEEDBACK_EVENT_TYPES };
export const FeedbackEventType = z.enum(FEEDBACK_EVENT_TYPES);
export type FeedbackEventType = z.infer<typeof FeedbackEventType>;

const contact = z
  .strictObject({
    amhpServiceId: z.string(),
    quoteReference: z.string(),
    /** The referral's path in the API. */
    referral: z.string(),
  })
  .check(z.describe('How to reach the AMHP service about this referral'));

const common = {
  referralId: z.string(),
  reference: z.string(),
  referrerReference: z.string(),
  /** The referral's change sequence at this event: order messages of one referral by it. */
  sequence: z.number().check(z.int()).check(z.gt(0)),
  status: z.string(),
  contact,
};
const disposition = z.string().check(z.describe('Outcome code (outcome events) or triage disposition (not-accepted)'));
const nextSteps = z.string().check(z.describe('The plan the AMHP service wrote for the referrer'));
const expectedAttendanceAt = z.iso.datetime();
const clock = z.strictObject({ power: z.string(), expiresAt: z.optional(z.iso.datetime()) });

/** Every field any message may carry: the type `buildFeedbackMessage` fills in. */
export const FeedbackMessageData = z.strictObject({
  ...common,
  /** The recorded event this message reports. */
  event: FeedbackEventType,
  disposition: z.optional(disposition),
  nextSteps: z.optional(nextSteps),
  expectedAttendanceAt: z.optional(expectedAttendanceAt),
  clock: z.optional(clock),
});
export type FeedbackMessageData = z.infer<typeof FeedbackMessageData>;

export const FeedbackMessage = z.strictObject({
  type: z.templateLiteral(['referral.', FeedbackEventType]),
  timestamp: z.iso.datetime(),
  data: FeedbackMessageData,
});
export type FeedbackMessage = z.infer<typeof FeedbackMessage>;

/** The fields each type adds to the common ones. */
const EXTRA = {
  accepted: {},
  'not-accepted': { disposition: z.optional(disposition), nextSteps: z.optional(nextSteps) },
  allocated: { expectedAttendanceAt: z.optional(expectedAttendanceAt) },
  'outcome-recorded': { disposition: z.optional(disposition), nextSteps: z.optional(nextSteps) },
  'outcome-amended': { disposition: z.optional(disposition), nextSteps: z.optional(nextSteps) },
  withdrawn: {},
  'clock-breached': { clock: z.optional(clock) },
} as const satisfies Record<FeedbackEventType, z.core.$ZodLooseShape>;

const DESCRIPTION: Record<FeedbackEventType, string> = {
  accepted: 'The AMHP service accepted the referral for assessment.',
  'not-accepted':
    'The AMHP service did not accept the referral; the disposition and next steps say what happens instead.',
  allocated: 'An AMHP was allocated; the expected attendance time when known.',
  'outcome-recorded': 'The assessment outcome was recorded.',
  'outcome-amended': 'A recorded outcome was amended.',
  withdrawn: 'The referral was withdrawn.',
  'clock-breached': 'A statutory time limit passed without the referral being resolved.',
};

const messageOf = <T extends FeedbackEventType>(type: T) =>
  z
    .strictObject({
      type: z.literal(`referral.${type}` as const),
      /** When the event was recorded (UTC). */
      timestamp: z.iso.datetime(),
      data: z.strictObject({ ...common, event: z.literal(type), ...EXTRA[type] }),
    })
    .check(z.describe(DESCRIPTION[type]));

/** The message of each feedback type, closed to the fields that type may carry. */
export const FEEDBACK_MESSAGES = {
  accepted: messageOf('accepted'),
  'not-accepted': messageOf('not-accepted'),
  allocated: messageOf('allocated'),
  'outcome-recorded': messageOf('outcome-recorded'),
  'outcome-amended': messageOf('outcome-amended'),
  withdrawn: messageOf('withdrawn'),
  'clock-breached': messageOf('clock-breached'),
} as const satisfies Record<FeedbackEventType, z.core.$ZodType>;

/** The Standard Webhooks headers sent with every message (https://www.standardwebhooks.com/). */
export const WEBHOOK_HEADERS = {
  'webhook-id': 'The message id, the same on every attempt and replay: receivers deduplicate on it.',
  'webhook-timestamp':
    'Seconds since the epoch when this attempt was signed; reject it when more than 5 minutes from your clock.',
  'webhook-signature':
    'Space-separated `v1,<base64 HMAC-SHA256>` signatures of `<webhook-id>.<webhook-timestamp>.<body>` with the ' +
    'subscription secret (the base64 part after `whsec_`).',
} as const;
