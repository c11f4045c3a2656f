/**
 * Statistical disclosure control of aggregates (DOMAIN §7): the small-numbers rule NHS England
 * applies to hospital and emergency-care statistics. Pure: no I/O, no ambient time.
 *
 * Thresholds are configuration per data-sharing agreement (§7), so every function takes the rule
 * and every extract response should state `rule.id` and `rule.description`.
 */

export interface DisclosureRule {
  readonly id: string;
  /** Counts 1..suppressBelow-1 are shown as `*` (8: counts 1..7 suppressed). */
  readonly suppressBelow: number;
  /** Other non-zero counts are shown to the nearest multiple of this (5). */
  readonly roundTo: number;
  /** A median or percentile over fewer records than this is `*` (20). */
  readonly minRecordsForQuantile: number;
  readonly description: string;
}

export const NHS_SMALL_NUMBERS: DisclosureRule = Object.freeze({
  id: 'nhs-small-numbers',
  suppressBelow: 8,
  roundTo: 5,
  minRecordsForQuantile: 20,
  description:
    '0 is shown as 0; counts 1-7 are suppressed (*); other counts are rounded to the nearest 5 (halves up); ' +
    'percentages are computed from the rounded numerator and denominator and suppressed when either is suppressed; ' +
    'medians and percentiles over 1-19 records are suppressed; a percentage of 0 or a median of no records is ' +
    'not applicable (empty, not suppressed).',
});

/** A published figure: the controlled value, or `*` when it is suppressed. */
export type Controlled = number | '*';
/**
 * A figure that may also be not applicable (`null`): a percentage of a true 0, a median of no
 * records. Kept apart from `*` so a reader can tell "withheld" from "nothing to measure"; the
 * extract writer (tidy.ts) publishes both as an empty value beside a `…Suppressed` flag.
 */
export type Figure = Controlled | null;

const SUPPRESSED = '*' as const;

const isCount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/**
 * Refuses a rule that would publish a true non-zero count as 0: the rule's promise is that 0
 * means none (§7 "0 stays 0"), so the smallest published count must round to at least `roundTo`.
 */
export function assertDisclosureRule(rule: DisclosureRule): void {
  const positive = (n: number) => Number.isSafeInteger(n) && n >= 1;
  if (!positive(rule.suppressBelow) || !positive(rule.roundTo) || !positive(rule.minRecordsForQuantile)) {
    throw new RangeError(`disclosure rule ${rule.id}: thresholds must be positive integers`);
  }
  if (rule.suppressBelow * 2 < rule.roundTo) {
    throw new RangeError(`disclosure rule ${rule.id}: a count of ${rule.suppressBelow} would be published as 0`);
  }
}

/**
 * A count under the rule. Rounding is to the nearest multiple of `roundTo` with halves rounded
 * up (away from zero). With the NHS rule (roundTo 5) and whole counts a half never occurs, so the
 * result is simply the nearest 5 (1234 → 1235, 1232 → 1230, 12 → 10, 13 → 15); halves matter only
 * for an even `roundTo` such as 10 (15 → 20).
 */
export function controlCount(n: number, rule: DisclosureRule = NHS_SMALL_NUMBERS): Controlled {
  assertDisclosureRule(rule);
  if (!isCount(n)) throw new RangeError(`a count must be a non-negative integer: ${n}`);
  if (n === 0) return 0;
  if (n < rule.suppressBelow) return SUPPRESSED;
  // Integer arithmetic: floor((n + roundTo/2) / roundTo) without a fractional half for odd roundTo.
  return Math.floor((2 * n + rule.roundTo) / (2 * rule.roundTo)) * rule.roundTo;
}

/**
 * A percentage from the controlled numerator and denominator (§7), so that the published
 * percentage can always be recomputed from published counts and reveals nothing they do not.
 * One decimal place, halves up.
 */
export function controlPercentage(
  numerator: number,
  denominator: number,
  rule: DisclosureRule = NHS_SMALL_NUMBERS,
): Figure {
  const num = controlCount(numerator, rule);
  const den = controlCount(denominator, rule);
  // A true 0 denominator is published as 0, so saying "not applicable" discloses nothing more.
  if (den === 0) return null;
  if (num === SUPPRESSED || den === SUPPRESSED) return SUPPRESSED;
  // num * 1000 / den is an exact ratio of integers, so an exact half is exactly representable.
  return Math.round((num * 1000) / den) / 10;
}

/**
 * A median or percentile (§7): withheld over fewer than `minRecordsForQuantile` records, because
 * an order statistic of a handful of records is one person's exact figure. Whole minutes.
 */
export function controlQuantile(
  value: number | undefined,
  records: number,
  rule: DisclosureRule = NHS_SMALL_NUMBERS,
): Figure {
  assertDisclosureRule(rule);
  if (!isCount(records)) throw new RangeError(`a record count must be a non-negative integer: ${records}`);
  if (value !== undefined && !Number.isFinite(value)) throw new RangeError(`a quantile must be finite: ${value}`);
  // No records: nothing to measure (n/a), which 0 records published as 0 already says.
  if (records === 0) return null;
  if (value === undefined || records < rule.minRecordsForQuantile) return SUPPRESSED;
  return Math.round(value);
}
