/**
 * The alert message sent to an AMHP service's alert channel (DOMAIN §9 "Alerts"): a signed
 * webhook exactly like the feedback webhooks (Standard Webhooks payload: `type`, `timestamp`,
 * `data`), so a Teams, Slack or e-mail relay can forward it to the duty lead.
 *
 * Deliberately minimal: which alert, which referral (its id and reference, never the person or
 * the address) and which AMHP (their register id). The lead opens the Hub's "who is where"
 * panel for the address. A safety alert repeats every 10 minutes until a lead acknowledges it:
 * each repeat is its own message (`repeat` 1, 2 …) with its own webhook-id.
 */
import * as z from 'zod/mini';
import './zod-locale.js';
import { ALERT_KINDS, SAFETY_ALERT_KINDS } from './alert-kinds.js';

// The lists live in alert-kinds.ts (zod-free, for handlers that need only the constants).
export { ALERT_KINDS, SAFETY_ALERT_KINDS };
export const AlertKind = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKind>;

export const AlertMessageData = z.strictObject({
  alertId: z.string(),
  kind: AlertKind,
  /** The AMHP service whose channel this is. */
  serviceId: z.string(),
  raisedAt: z.iso.datetime(),
  /** 1 for the first message of this alert, then 2, 3 … for each 10-minute repeat. */
  repeat: z.number().check(z.int()).check(z.gt(0)),
  /** True for safety alerts: they repeat until a lead acknowledges them in the Hub. */
  untilAcknowledged: z.boolean(),
  referralId: z.optional(z.string()),
  reference: z.optional(z.string()),
  /** The AMHP's register id (safety alerts). */
  amhpId: z.optional(z.string()),
  /** Statutory clock alerts: the power and its expiry. */
  power: z.optional(z.string()),
  expiresAt: z.optional(z.iso.datetime()),
  /** unlawful-place: the flag code of DOMAIN §2. */
  flag: z.optional(z.string()),
  /** escalated: the ladder step and the level escalated to. */
  ladderStep: z.optional(z.union([z.number(), z.string()])),
  level: z.optional(z.string()),
  /** Where the lead acknowledges or reads more, as a path of the Hub's API. */
  link: z.string(),
});
export type AlertMessageData = z.infer<typeof AlertMessageData>;

export const AlertMessage = z
  .strictObject({
    type: z.templateLiteral(['alert.', AlertKind]),
    /** When the alert was raised (UTC); the same on every repeat. */
    timestamp: z.iso.datetime(),
    data: AlertMessageData,
  })
  .check(z.describe('An alert for the AMHP service duty lead (safety, clocks, unlawful place, escalations)'));
export type AlertMessage = z.infer<typeof AlertMessage>;
