/** Feedback subscriptions and webhook deliveries (DOMAIN §6): request and response shapes. */
import * as z from 'zod/mini';
import './zod-locale.js';
import { FEEDBACK_EVENT_TYPES } from '../domain/feedback.js';
import { MAX_URL_LENGTH } from '../domain/ssrf.js';
import { Cursor, deliveryProgressShape, Limit, UtcTimestamp } from './common.js';

const Ulid = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'an id'));
export const FeedbackEvent = z.enum(FEEDBACK_EVENT_TYPES);

export const SubscriptionCreate = z
  .strictObject({
    /** Where to POST. https in AWS; never a private, loopback, link-local or metadata address. */
    url: z.string().check(z.minLength(1)).check(z.maxLength(MAX_URL_LENGTH)),
    /** The events to receive (each one message). */
    events: z
      .array(FeedbackEvent)
      .check(z.minLength(1))
      .check(z.maxLength(FEEDBACK_EVENT_TYPES.length))
      .check(z.refine((list) => new Set(list).size === list.length, { message: 'each event at most once' })),
    /**
     * `fhir`: each message is a FHIR R4 Bundle (MessageHeader + Task) with the referral's X-Correlation-ID
     * (docs/fhir.md).
     */
    format: z.optional(z.enum(['json', 'fhir'])),
  })
  .check(
    z.meta({
      example: {
        url: 'https://control-room.police-a.example/hub-webhooks',
        events: ['accepted', 'not-accepted', 'allocated', 'outcome-recorded', 'outcome-amended'],
      },
    }),
  );
export type SubscriptionCreate = z.infer<typeof SubscriptionCreate>;

export const SubscriptionIdParams = z.object({ id: Ulid });

export const SubscriptionView = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(FeedbackEvent),
    status: z.enum(['active']),
    format: z.optional(z.enum(['json', 'fhir'])),
    createdAt: UtcTimestamp,
    /** Only in the 201 of the create, once: `whsec_` + base64. Never again, not even on a replay. */
    secret: z.optional(z.string()),
  })
  .check(
    z.meta({
      example: {
        id: '01J9Z3V6M2Q8X4R7T1B5N0C2D3',
        url: 'https://control-room.police-a.example/hub-webhooks',
        events: ['accepted', 'outcome-recorded'],
        status: 'active',
        createdAt: '2026-03-14T22:10:00.000Z',
        secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3Ve3a2c6vYQ=',
      },
    }),
  );

export const DELIVERY_STATUSES = ['pending', 'delivered', 'parked', 'cancelled'] as const;
export const DeliveryStatus = z.enum(DELIVERY_STATUSES);

/** `<subscriptionId>_<referralId>_<sequence>`. */
export const DELIVERY_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}_[0-9A-HJKMNP-TV-Z]{26}_[1-9]\d{0,7}$/;
export const DeliveryIdParams = z.object({ id: z.string().check(z.regex(DELIVERY_ID_PATTERN, 'a delivery id')) });

export const SubscriptionDeliveriesQuery = z.strictObject({
  status: z.optional(DeliveryStatus),
  limit: Limit,
  cursor: z.optional(Cursor),
});

export const ServiceDeliveriesQuery = z.strictObject({
  status: z.optional(DeliveryStatus),
  referralId: z.optional(Ulid),
  limit: Limit,
  cursor: z.optional(Cursor),
});

const Attempt = z.object({
  at: UtcTimestamp,
  /** `delivered`, `http-<status>`, `timeout`, `connection-error`, `blocked-address`, `no-secret`. */
  result: z.string(),
  statusCode: z.optional(z.number().check(z.int())),
  durationMs: z.number().check(z.int()),
});

const Message = z.object({
  type: z.string(),
  timestamp: UtcTimestamp,
  data: z.object({
    referralId: z.string(),
    reference: z.string(),
    referrerReference: z.string(),
    event: FeedbackEvent,
    sequence: z.number().check(z.int()),
    status: z.string(),
    disposition: z.optional(z.string()),
    nextSteps: z.optional(z.string()),
    expectedAttendanceAt: z.optional(z.string()),
    clock: z.optional(z.object({ power: z.string(), expiresAt: z.optional(z.string()) })),
    contact: z.object({ amhpServiceId: z.string(), quoteReference: z.string(), referral: z.string() }),
  }),
});

export const DeliveryView = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  referrerOrganisationId: z.string(),
  referralId: z.string(),
  reference: z.string(),
  event: FeedbackEvent,
  sequence: z.number().check(z.int()),
  ...deliveryProgressShape(DeliveryStatus),
  /** The most recent attempts, newest last (at most 20). */
  attemptLog: z.array(Attempt),
  message: Message,
});

export const DeliveryPage = z.object({ items: z.array(DeliveryView), nextCursor: z.nullable(z.string()) });
