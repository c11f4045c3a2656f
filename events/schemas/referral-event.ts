/**
 * The stored referral event: one `EVENT#<changeSeq>` item per change in `hub`, written in the
 * same transaction as the state it describes. The DynamoDB stream carries it to the
 * operational consumer, which builds feedback from this one record.
 */
import * as z from 'zod/mini';
import './zod-locale.js';

/**
 * The referral as the event left it, minimised: enough for a stream consumer to address
 * feedback from this one record (no read-back of a state that may have moved on).
 */
export const EventSubject = z.object({
  referralId: z.string(),
  reference: z.string(),
  referrerReference: z.string(),
  status: z.string(),
  referrerOrganisationId: z.string(),
  serviceId: z.string(),
  /** The X-Correlation-ID the referral arrived with (FHIR intake): FHIR feedback carries it. */
  correlationId: z.optional(z.string()),
});
export type EventSubject = z.infer<typeof EventSubject>;

export const StoredEvent = z.object({
  /** The referral's change sequence at this event (the item's sort key). */
  seq: z.number().check(z.int()).check(z.gt(0)),
  /** Recorded event type, past tense (`received`, `accepted`, `clock-breached`, …). */
  type: z.string(),
  /** When the Hub recorded it (UTC). */
  at: z.string(),
  /** When it happened, when the sender said so. */
  occurredAt: z.optional(z.string()),
  organisationId: z.string(),
  clientId: z.string(),
  role: z.string(),
  actorId: z.optional(z.string()),
  amhpId: z.optional(z.string()),
  /** Appended by the Hub itself (clock sweep), not by a caller. */
  system: z.boolean(),
  data: z.record(z.string(), z.unknown()),
  subject: EventSubject,
});
export type StoredEvent = z.infer<typeof StoredEvent>;
