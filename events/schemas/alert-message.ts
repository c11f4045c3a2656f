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
import * as z from 'zod';
import { ALERT_KINDS, SAFETY_ALERT_KINDS } from './alert-kinds.js';

// The lists live in alert-kinds.ts (zod-free, for handlers that need only the constants).
export { ALERT_KINDS, SAFETY_ALERT_KINDS };
export const AlertKind = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKind>;

export const AlertMessageData = z
  .object({
    alertId: z.string(),
    kind: AlertKind,
    /** The AMHP service whose channel this is. */
    serviceId: z.string(),
    raisedAt: z.iso.datetime(),
    /** 1 for the first message of this alert, then 2, 3 … for each 10-minute repeat. */
    repeat: z.number().int().positive(),
    /** True for safety alerts: they repeat until a lead acknowledges them in the Hub. */
    untilAcknowledged: z.boolean(),
    referralId: z.string().optional(),
    reference: z.string().optional(),
    /** The AMHP's register id (safety alerts). */
    amhpId: z.string().optional(),
    /** Statutory clock alerts: the power and its expiry. */
    power: z.string().optional(),
    expiresAt: z.iso.datetime().optional(),
    /** unlawful-place: the flag code of DOMAIN §2. */
    flag: z.string().optional(),
    /** escalated: the ladder step and the level escalated to. */
    ladderStep: z.union([z.number(), z.string()]).optional(),
    level: z.string().optional(),
    /** Where the lead acknowledges or reads more, as a path of the Hub's API. */
    link: z.string(),
  })
  .strict();
export type AlertMessageData = z.infer<typeof AlertMessageData>;

export const AlertMessage = z
  .object({
    type: z.templateLiteral(['alert.', AlertKind]),
    /** When the alert was raised (UTC); the same on every repeat. */
    timestamp: z.iso.datetime(),
    data: AlertMessageData,
  })
  .strict()
  .describe('An alert for the AMHP service duty lead (safety, clocks, unlawful place, escalations)');
export type AlertMessage = z.infer<typeof AlertMessage>;
