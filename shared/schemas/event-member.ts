/**
 * How a referral event member is built (DOMAIN §3): `decision` members take the Hub's time;
 * `fact` members may say when it happened (`occurredAt`). Shared by the member modules.
 */
import * as z from 'zod/mini';
import './zod-locale.js';
import { Rfc3339 } from './common.js';
import { textBlock } from './referral.js';

export const decision = <T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), ...shape });
export const fact = <T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), occurredAt: z.optional(Rfc3339), ...shape });

export const reason = textBlock(2000);
export const note = textBlock(4000);

/** A calendar date (examinations and signatures are dated, not timed, on the statutory forms). */
export const CalendarDate = z.iso.date('a date as YYYY-MM-DD');
