/**
 * The alert kinds as plain constants, apart from their zod schemas in alert-message.ts: the
 * safety sweep needs only the lists, and importing them from here keeps zod and the message
 * schemas out of its bundle's start-up (#21).
 */

export const ALERT_KINDS = [
  /** A checked-in AMHP has not checked out by the expected finish plus the service's grace. */
  'safety-check-overdue',
  /** A duty session has run past 12 hours (once per session). */
  'over-hours',
  /** A statutory clock is 2 hours from expiry (the `clock-warning` event at `warning-2h`). */
  'clock-warning',
  /** A statutory clock expired (`clock-breached`). */
  'clock-breached',
  /** DOMAIN §2: held where the law forbids (a child, or an adult without authorisation, at a police station). */
  'unlawful-place',
  /** The bed-finding ladder escalated (`escalated`, reason `no-bed`). */
  'escalated',
] as const;

/** Safety alerts repeat until acknowledged; the others are sent once. */
export const SAFETY_ALERT_KINDS = [
  'safety-check-overdue',
  'over-hours',
] as const satisfies readonly (typeof ALERT_KINDS)[number][];
