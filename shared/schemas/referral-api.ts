/** Path, query and response shapes of the referral routes (bodies: referral.ts, referral-events.ts). */
import * as z from 'zod/mini';
import './zod-locale.js';
import { Cursor, Limit } from './common.js';
import { FLAG_CODES } from '../domain/vocabulary.js';
import { LETTER_KINDS } from '../domain/letters.js';
import { WAIT_CAUSES } from '../domain/logistics.js';

/** A flag the Hub raised (DOMAIN §2, §3.1): open until `resolvedAt`. */
export const FlagView = z.object({
  code: z.enum(FLAG_CODES),
  raisedAt: z.string(),
  seq: z.number().check(z.int()),
  resolvedAt: z.optional(z.string()),
  resolution: z.optional(z.enum(['facts-changed', 'acknowledged'])),
});

export const ReferralIdParams = z.object({
  id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a referral id')),
});
/** A letter the Hub renders for a referral (shared/domain/letters.ts); an unknown kind is 404 like any unknown path. */
export const ReferralLetterParams = z.extend(ReferralIdParams, { kind: z.enum(LETTER_KINDS) });

export const ReferralListQuery = z
  .strictObject({
    /** The short reference read out on the phone, e.g. R-7K3M-9Q2P. */
    reference: z.optional(z.string().check(z.minLength(8), z.maxLength(16))),
    /** `board`: the AMHP service's open referrals; `feed`: the referrer's change feed. */
    view: z.optional(z.enum(['board', 'feed'])),
    /** Change-feed cursor (from `nextCursor`); implies `view=feed`. */
    after: z.optional(Cursor),
    /** Board page cursor. */
    cursor: z.optional(Cursor),
    limit: Limit,
  })
  .check(
    z.refine(
      (q) =>
        [q.reference !== undefined, q.view === 'board', q.view === 'feed' || q.after !== undefined].filter(Boolean)
          .length === 1,
      {
        message: 'give exactly one of reference, view=board, or view=feed / after',
        path: ['view'],
      },
    ),
  );
export type ReferralListQuery = z.infer<typeof ReferralListQuery>;

const Clock = z.object({
  power: z.string(),
  startsAt: z.string(),
  expiresAt: z.string(),
  extendedUntil: z.optional(z.string()),
  state: z.enum(['running', 'warning', 'breached', 'ended']),
  endedAt: z.optional(z.string()),
});

/** The referring organisation's minimised view; the AMHP service's view adds the full referral. */
export const ReferralView = z.looseObject({
  id: z.string(),
  reference: z.string(),
  referrerReference: z.optional(z.string()),
  status: z.string(),
  version: z.number().check(z.int()),
  receivedAt: z.string(),
  responsibleLssa: z.string(),
  basis: z.string(),
  clocks: z.array(Clock),
  possibleDuplicateOf: z.optional(z.array(z.string())),
  /** The AMHP service's view only. */
  flags: z.optional(z.array(FlagView)),
  /**
   * `minimal`: the board-level view an AMHP gets of a referral not allocated to them (DOMAIN §1): no identifiable
   * field.
   */
  detail: z.optional(z.literal('minimal')),
});

export const ReferralPage = z.object({ items: z.array(ReferralView), nextCursor: z.nullable(z.string()) });

export const BoardRow = z.object({
  id: z.string(),
  reference: z.string(),
  status: z.string(),
  urgency: z.string(),
  legalStatus: z.string(),
  responsibleLssa: z.string(),
  receivedAt: z.string(),
  timeOpenMinutes: z.number().check(z.int()),
  clocks: z.array(
    z.object({ power: z.string(), expiresAt: z.string(), state: z.enum(['running', 'warning', 'breached', 'ended']) }),
  ),
  allocatedAmhpId: z.optional(z.string()),
  /** Open flags: they stand on the row until resolved. */
  flags: z.array(z.enum(FLAG_CODES)),
  /** Open requests (DOMAIN §9): a doctor, police, conveyance, an interpreter or a bed asked for and not yet there. */
  waitingFor: z.array(z.object({ cause: z.enum(WAIT_CAUSES), since: z.string() })),
  lastEvent: z.object({ type: z.string(), at: z.string() }),
  version: z.number().check(z.int()),
});

export const ReferralEventView = z.object({
  seq: z.number().check(z.int()),
  type: z.string(),
  at: z.string(),
  occurredAt: z.optional(z.string()),
  organisationId: z.optional(z.string()),
  data: z.record(z.string(), z.unknown()),
});
export const ReferralEventList = z.object({ items: z.array(ReferralEventView) });
