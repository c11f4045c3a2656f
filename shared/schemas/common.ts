import * as z from 'zod';

/** RFC 3339 input: an explicit offset is required (a local time without one is ambiguous). */
export const Rfc3339 = z.iso.datetime({ offset: true, message: 'an RFC 3339 date-time with a UTC offset' });
/** Output timestamps are UTC with `Z`. */
export const UtcTimestamp = z.iso.datetime();
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an identifier of letters, digits, ".", "_" or "-"');
/** An ONS local authority code (an LSSA). */
export const LssaCode = z.string().regex(/^E0[6-9]\d{6}$/, 'an ONS local authority code such as E06000055');
export const Limit = z.coerce.number().int().min(1).max(100).default(50);
export const Cursor = z
  .string()
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/, 'an opaque cursor from nextCursor');

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * How a webhook delivery is getting on, as the feedback and alert delivery views both show it.
 * `status` is passed in so that each view keeps its own (named or inline) status schema.
 */
export const deliveryProgressShape = <S extends z.ZodType>(status: S) => ({
  /** The Standard Webhooks `webhook-id`: the same on every attempt and replay. */
  messageId: z.string(),
  status,
  attempts: z.number().int(),
  replays: z.number().int(),
  createdAt: UtcTimestamp,
  retryUntil: UtcTimestamp,
  nextAttemptAt: UtcTimestamp.optional(),
  deliveredAt: UtcTimestamp.optional(),
  parkedAt: UtcTimestamp.optional(),
  cancelledAt: UtcTimestamp.optional(),
});
