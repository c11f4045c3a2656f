/**
 * How a referral event member is built (DOMAIN §3): `decision` members take the Hub's time;
 * `fact` members may say when it happened (`occurredAt`). Shared by the member modules.
 */
import * as z from 'zod';
import { Rfc3339 } from './common.js';
import { textBlock } from './referral.js';

export const decision = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...shape }).strict();
export const fact = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), occurredAt: z.optional(Rfc3339), ...shape }).strict();

export const reason = textBlock(2000);
export const note = textBlock(4000);

/** A calendar date (examinations and signatures are dated, not timed, on the statutory forms). */
export const CalendarDate = z.iso.date('a date as YYYY-MM-DD');
