import * as z from 'zod/mini';
import './zod-locale.js';

/** RFC 3339 input: an explicit offset is required (a local time without one is ambiguous). */
export const Rfc3339 = z.iso.datetime({ offset: true, message: 'an RFC 3339 date-time with a UTC offset' });
/** Output timestamps are UTC with `Z`. */
export const UtcTimestamp = z.iso.datetime();
export const Id = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an identifier of letters, digits, ".", "_" or "-"'));
/** An ONS local authority code (an LSSA). */
export const LssaCode = z.string().check(z.regex(/^E0[6-9]\d{6}$/, 'an ONS local authority code such as E06000055'));
export const Limit = z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50);
export const Cursor = z
  .string()
  .check(z.maxLength(512), z.regex(/^[A-Za-z0-9_-]+$/, 'an opaque cursor from nextCursor'));

export const page = <T extends z.core.$ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });

/**
 * How a webhook delivery is getting on, as the feedback and alert delivery views both show it.
 * `status` is passed in so that each view keeps its own (named or inline) status schema.
 */
export const deliveryProgressShape = <S extends z.core.$ZodType>(status: S) => ({
  /** The Standard Webhooks `webhook-id`: the same on every attempt and replay. */
  messageId: z.string(),
  status,
  attempts: z.number().check(z.int()),
  replays: z.number().check(z.int()),
  createdAt: UtcTimestamp,
  retryUntil: UtcTimestamp,
  nextAttemptAt: z.optional(UtcTimestamp),
  deliveredAt: z.optional(UtcTimestamp),
  parkedAt: z.optional(UtcTimestamp),
  cancelledAt: z.optional(UtcTimestamp),
});
