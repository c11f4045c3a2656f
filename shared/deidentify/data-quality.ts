/**
 * The data-quality extract (DOMAIN §3.1 "counts in data-quality extracts", issue #22): per fixed
 * period, how many referrals received in it ever raised each flag — every code of FLAG_CODES,
 * and every period of the range, a zero where none did (a missing row would read as unknown,
 * and 0 is published as 0 anyway, §7). Counts are controlled after summing, never per day, and
 * the share is computed from the controlled figures. Pure.
 */
import {
  controlCount,
  controlPercentage,
  NHS_SMALL_NUMBERS,
  type Controlled,
  type DisclosureRule,
  type Figure,
} from './disclosure.js';
import { daysBetween, periodOf, type Period } from './generalise.js';
import type { RollupDay } from './extracts.js';
import { FLAG_CODES, type FlagCode } from '../domain/vocabulary.js';

export interface DataQualityRow {
  period: string;
  flag: FlagCode;
  /** Referrals received in the period that ever raised the flag. */
  referrals: Controlled;
  /** Referrals received in the period (the denominator). */
  received: Controlled;
  /** `referrals` as a percentage of `received`, from the controlled figures; null when none were received. */
  percentOfReceived: Figure;
}

export function dataQualityRows(
  days: readonly RollupDay[],
  range: { from: string; to: string },
  period: Period,
  rule: DisclosureRule = NHS_SMALL_NUMBERS,
): DataQualityRow[] {
  const periods = [...new Set(daysBetween(range.from, range.to).map((d) => periodOf(d, period)))];
  const flagged = new Map<string, number>();
  const received = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, n: number) => {
    if (!Number.isSafeInteger(n)) throw new RangeError(`counter ${key}: not an integer`);
    map.set(key, (map.get(key) ?? 0) + n);
  };
  for (const day of days) {
    const start = periodOf(day.day, period);
    for (const [name, n] of Object.entries(day.counters)) {
      if (name.startsWith('n|')) add(received, start, n);
      else if (name.startsWith('f|')) add(flagged, `${start}|${name.slice(2)}`, n);
    }
  }
  return periods.flatMap((start) =>
    FLAG_CODES.map((flag) => {
      const n = flagged.get(`${start}|${flag}`) ?? 0;
      const total = received.get(start) ?? 0;
      // A negative total means deltas were applied twice or out of order: a defect, not data.
      if (n < 0 || total < 0) throw new RangeError(`negative total for ${start} ${flag}`);
      return {
        period: start,
        flag,
        referrals: controlCount(n, rule),
        received: controlCount(total, rule),
        percentOfReceived: controlPercentage(n, total, rule),
      };
    }),
  );
}
