/**
 * Duty sessions, whereabouts and alerts (DOMAIN §9): request and response shapes. The alert
 * deliveries' shapes, which carry the alert message schema, are in alert-deliveries.ts so the
 * other safety routes do not build it at start-up (#21).
 */
import * as z from 'zod/mini';
import './zod-locale.js';
import { ALERT_KINDS } from '../../events/schemas/alert-kinds.js';
import { MAX_URL_LENGTH } from '../domain/ssrf.js';
import { Limit, UtcTimestamp } from './common.js';

const Ulid = z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'an id'));
/** An instant with a UTC offset, stored as UTC. */
const Instant = z.iso.datetime({ offset: true, message: 'an RFC 3339 date-time with a UTC offset' });

export const IdParams = z.object({ id: Ulid });

/**
 * What an AMHP records about themself (DOMAIN §9), one tap each: `on-shift` (planned end,
 * on-call manager), `checked-in` (the referral, the expected finish), `checked-out` (safe) and
 * `off-shift`. The last two close the AMHP's open check-in or session: there is at most one.
 */
export const WhereaboutsEventInput = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('on-shift'),
      plannedEndAt: Instant,
      onCallManager: z.string().check(z.trim()).check(z.minLength(1)).check(z.maxLength(120)),
    }),
    z.strictObject({ type: z.literal('checked-in'), referralId: Ulid, expectedFinishAt: Instant }),
    z.strictObject({ type: z.literal('checked-out'), safe: z._default(z.boolean(), true) }),
    z.strictObject({ type: z.literal('off-shift') }),
  ])
  .check(
    z.meta({
      example: {
        type: 'checked-in',
        referralId: '01J9Z3V6M2Q8X4R7T1B5N0C2D3',
        expectedFinishAt: '2026-11-15T02:30:00Z',
      },
    }),
  );
export type WhereaboutsEventInput = z.infer<typeof WhereaboutsEventInput>;

export const DutySessionView = z.object({
  sessionId: z.string(),
  serviceId: z.string(),
  amhpId: z.string(),
  status: z.enum(['on-shift', 'off-shift']),
  startedAt: UtcTimestamp,
  plannedEndAt: UtcTimestamp,
  onCallManager: z.string(),
  endedAt: z.optional(UtcTimestamp),
  overHoursAlertId: z.optional(z.string()),
});

const Address = z.object({ lines: z.array(z.string()), postcode: z.optional(z.string()) });

export const CheckInView = z.object({
  checkInId: z.string(),
  serviceId: z.string(),
  amhpId: z.string(),
  referralId: z.string(),
  reference: z.string(),
  status: z.enum(['checked-in', 'checked-out']),
  checkedInAt: UtcTimestamp,
  expectedFinishAt: UtcTimestamp,
  graceMinutes: z.number().check(z.int()),
  overdueAt: UtcTimestamp,
  checkedOutAt: z.optional(UtcTimestamp),
  safe: z.optional(z.boolean()),
  overdueAlertId: z.optional(z.string()),
  /** The lead's panel only: where the AMHP is, so help can be sent. */
  location: z.optional(
    z.object({
      type: z.string(),
      address: z.optional(Address),
      siteId: z.optional(z.string()),
      description: z.optional(z.string()),
    }),
  ),
});

/** The answer to a whereabouts event: the session or check-in it opened or closed. */
export const WhereaboutsEventResult = z.object({
  type: z.enum(['on-shift', 'checked-in', 'checked-out', 'off-shift']),
  session: z.optional(DutySessionView),
  checkIn: z.optional(CheckInView),
});

export const WhereaboutsView = z.object({
  sessions: z.array(DutySessionView),
  checkIns: z.array(CheckInView),
});

export const AlertView = z.object({
  alertId: z.string(),
  serviceId: z.string(),
  kind: z.enum(ALERT_KINDS),
  raisedAt: UtcTimestamp,
  referralId: z.optional(z.string()),
  reference: z.optional(z.string()),
  amhpId: z.optional(z.string()),
  power: z.optional(z.string()),
  expiresAt: z.optional(z.string()),
  flag: z.optional(z.string()),
  ladderStep: z.optional(z.union([z.number(), z.string()])),
  level: z.optional(z.string()),
  /** Messages sent to the alert channel so far (repeats included). */
  sent: z.number().check(z.int()),
  nextRepeatAt: z.optional(UtcTimestamp),
  acknowledgedAt: z.optional(UtcTimestamp),
  acknowledgedByActorId: z.optional(z.string()),
  acknowledgedByAmhpId: z.optional(z.string()),
});

export const AlertListQuery = z.strictObject({ limit: Limit });
export const AlertPage = z.object({ items: z.array(AlertView) });

export const AlertChannelInput = z
  .strictObject({
    /** Where alerts are POSTed (a Teams, Slack or e-mail relay). https in AWS; never a private address. */
    url: z.string().check(z.minLength(1)).check(z.maxLength(MAX_URL_LENGTH)),
    /** Minutes past the expected finish before a check-in is overdue (default 30). */
    graceMinutes: z._default(z.number().check(z.int()).check(z.gte(5)).check(z.lte(240)), 30),
  })
  .check(z.meta({ example: { url: 'https://relay.amhp-service.example/hub-alerts', graceMinutes: 30 } }));

export const AlertChannelView = z.object({
  subscriptionId: z.string(),
  url: z.string(),
  graceMinutes: z.number().check(z.int()),
  createdAt: UtcTimestamp,
  /** Only in this answer, once: `whsec_` + base64. */
  secret: z.optional(z.string()),
});
