/** Extract queries (DOMAIN §7): fixed calendar periods only, bounded ranges. */
import * as z from 'zod/mini';
import './zod-locale.js';
import { DIMENSIONS } from '../deidentify/facts.js';
import { isWholePeriods } from '../deidentify/generalise.js';
// From common.ts, where it is defined: registry.ts re-exports it but builds the registry's schemas.
import { Cursor, LssaCode } from './common.js';

const Day = z.iso.date('a date as YYYY-MM-DD');
const Period = z.enum(['day', 'week', 'month']);
/** Longest range per period: enough for a service-year of days, five years of months. */
export const MAX_RANGE_DAYS = { day: 366, week: 3 * 366, month: 5 * 366 } as const;

const range = <T extends { from: string; to: string; period: keyof typeof MAX_RANGE_DAYS }>(
  q: T,
  ctx: z.core.$RefinementCtx,
) => {
  const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1;
  if (days < 1) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
  else if (days > MAX_RANGE_DAYS[q.period])
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `at most ${MAX_RANGE_DAYS[q.period]} days for period=${q.period}`,
    });
  // Overlapping partial periods could be subtracted to expose small numbers (DOMAIN §7).
  else if (!isWholePeriods(q.from, q.to, q.period))
    ctx.addIssue({
      code: 'custom',
      path: ['from'],
      message: `from and to must bound whole ${q.period}s (ISO weeks Monday to Sunday, months 1st to last day)`,
    });
};

const By = z
  .pipe(
    z.pipe(
      z.string().check(z.maxLength(200)),
      z.transform((s: string) =>
        s
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
      ),
    ),
    z.array(z.enum(DIMENSIONS)).check(z.maxLength(3, 'at most 3 dimensions')),
  )
  // Documents the accepted values (the transform hides them from the JSON Schema of the input).
  .check(
    z.meta({
      description: `Up to three dimensions, comma-separated, from: ${DIMENSIONS.join(', ')}.`,
      pattern: `^(${DIMENSIONS.join('|')})(,(${DIMENSIONS.join('|')})){0,2}$`,
    }),
  );

export const DemandQuery = z
  .strictObject({ period: Period, from: Day, to: Day, by: z.optional(By), lssa: z.optional(LssaCode) })
  .check(z.superRefine(range));
export const TimingsQuery = z
  .strictObject({ period: Period, from: Day, to: Day, lssa: z.optional(LssaCode) })
  .check(z.superRefine(range));
export const DataQualityQuery = z
  .strictObject({ period: Period, from: Day, to: Day, lssa: z.optional(LssaCode) })
  .check(z.superRefine(range));
export const CapacityExtractQuery = z.strictObject({ period: Period, from: Day, to: Day }).check(z.superRefine(range));
export const RecordsQuery = z.strictObject({
  month: z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM')),
  lssa: z.optional(LssaCode),
  cursor: z.optional(Cursor),
  limit: z._default(z.coerce.number().check(z.int()).check(z.gte(1)).check(z.lte(1000)), 500),
});

/** A published cell (shared/deidentify/tidy.ts): codes, numbers, `…Suppressed` flags, null when empty. */
const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const ExtractResponse = z.object({
  rule: z.object({ id: z.string(), description: z.string() }),
  period: z.optional(z.string()),
  /**
   * The column names, in order: the CSV header row, present even when there are no rows (see /docs#data-dictionary).
   */
  columns: z.array(z.string()),
  rows: z.array(z.record(z.string(), Cell)),
  nextCursor: z.optional(z.nullable(z.string())),
});
