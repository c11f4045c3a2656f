/**
 * Duration histograms on fixed buckets, so medians and 90th percentiles (DOMAIN §7 figures) can be
 * computed from counters that add across days, LSSAs and years, without keeping any one
 * referral's exact times in the roll-up. Pure.
 *
 * Bucket i holds durations in (BUCKETS_MINUTES[i-1], BUCKETS_MINUTES[i]] minutes; bucket 0 holds
 * [0, 5]; the overflow bucket (index BUCKETS_MINUTES.length) holds everything over 28 days.
 *
 * Error bound. `quantile` takes the target rank t = q·n, finds the first bucket whose cumulative
 * count reaches t and interpolates linearly inside it. The exact nearest-rank quantile (the
 * ⌈q·n⌉-th smallest value; the smallest for q = 0) lies in that same bucket, because cumulative
 * counts are integers. So |estimate − exact| ≤ the width of the bucket holding the exact value:
 * at most 5 minutes below 5 minutes, and otherwise less than the bucket's lower bound (no bucket
 * is more than twice as wide as the one below it), i.e. under 100 % of the exact value and under
 * 50 % for most buckets between 10 minutes and 3 days. In the overflow bucket the estimate is its
 * lower bound, 40320 (read as "28 days or more").
 */

export const BUCKETS_MINUTES = [
  5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1080, 1440, 2160, 2880, 4320, 7200, 10080, 20160, 40320,
] as const;

/** Index of the overflow bucket (over 40320 minutes). */
export const OVERFLOW_BUCKET = BUCKETS_MINUTES.length;

/** [lower, upper] of a bucket; the overflow bucket's upper bound is its lower bound. */
export function bucketBounds(index: number): { lower: number; upper: number } {
  if (!Number.isInteger(index) || index < 0 || index > OVERFLOW_BUCKET)
    throw new RangeError(`no such bucket: ${index}`);
  const lower = index === 0 ? 0 : (BUCKETS_MINUTES[index - 1] as number);
  return { lower, upper: index === OVERFLOW_BUCKET ? lower : (BUCKETS_MINUTES[index] as number) };
}

/** The bucket index of a duration in minutes (upper bounds inclusive). */
export function bucketOf(minutes: number): number {
  if (!Number.isFinite(minutes) || minutes < 0)
    throw new RangeError(`a duration must be a non-negative number of minutes: ${minutes}`);
  const i = BUCKETS_MINUTES.findIndex((upper) => minutes <= upper);
  return i === -1 ? OVERFLOW_BUCKET : i;
}

type Counts = Readonly<Record<number, number>>;

function countsInOrder(counts: Counts): number[] {
  const out = new Array<number>(OVERFLOW_BUCKET + 1).fill(0);
  for (const [key, value] of Object.entries(counts)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index > OVERFLOW_BUCKET || String(index) !== key)
      throw new RangeError(`no such bucket: ${key}`);
    // A negative counter means deltas were applied twice or out of order: a defect, not data.
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`bucket ${key}: a count must be a non-negative integer: ${value}`);
    out[index] = value;
  }
  return out;
}

/** Total number of durations in the histogram. */
export function countOf(counts: Counts): number {
  return countsInOrder(counts).reduce((a, b) => a + b, 0);
}

/** The q-quantile (0 ≤ q ≤ 1) in minutes, within the error bound above; undefined when empty. */
export function quantile(counts: Counts, q: number): number | undefined {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`q must be between 0 and 1: ${q}`);
  const ordered = countsInOrder(counts);
  const n = ordered.reduce((a, b) => a + b, 0);
  if (n === 0) return undefined;
  // Rounded so that 0.9 × 30 is rank 27, not 27.000000000000004 (which would step a bucket up).
  const target = Math.round(q * n * 1e9) / 1e9;
  let before = 0;
  for (let i = 0; i < ordered.length; i++) {
    const count = ordered[i] as number;
    if (count > 0 && before + count >= target) {
      const { lower, upper } = bucketBounds(i);
      return lower + ((upper - lower) * (target - before)) / count;
    }
    before += count;
  }
  /* c8 ignore next */
  throw new Error('unreachable: the last non-empty bucket reaches n');
}
