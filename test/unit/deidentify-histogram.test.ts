/**
 * Duration histograms (DOMAIN §7 medians and p90s): bucket edges, and quantile estimates against
 * exact nearest-rank quantiles of known samples within the documented bound (the width of the
 * bucket holding the exact value).
 */
import { describe, expect, it } from 'vitest';
import {
  BUCKETS_MINUTES,
  OVERFLOW_BUCKET,
  bucketBounds,
  bucketOf,
  countOf,
  quantile,
} from '../../shared/deidentify/histogram.js';

const histogramOf = (values: readonly number[]): Record<number, number> => {
  const h: Record<number, number> = {};
  for (const v of values) h[bucketOf(v)] = (h[bucketOf(v)] ?? 0) + 1;
  return h;
};

/** The ⌈q·n⌉-th smallest value (the smallest for q = 0): the definition the bound is stated for. */
const nearestRank = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(Math.round(q * sorted.length * 1e9) / 1e9));
  return sorted[rank - 1] as number;
};

/** A deterministic generator (mulberry32), so the samples are the same on every run. */
const prng = (seed: number) => () => {
  seed += 0x6d2b79f5;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe('bucketOf', () => {
  it.each<[number, number, string]>([
    [0, 0, 'zero'],
    [4.9, 0, ''],
    [5, 0, 'upper bounds are inclusive'],
    [5.01, 1, ''],
    [6, 1, ''],
    [10, 1, ''],
    [11, 2, ''],
    [60, 6, 'an hour'],
    [61, 7, ''],
    [240, 10, 'four hours'],
    [1440, 15, 'a day'],
    [4320, 18, 'three days'],
    [40320, 22, 'four weeks, the last bounded bucket'],
    [40321, OVERFLOW_BUCKET, 'overflow'],
    [1e9, OVERFLOW_BUCKET, ''],
  ])('%s minutes → bucket %i %s', (minutes, bucket) => {
    expect(bucketOf(minutes)).toBe(bucket);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (m) => {
    expect(() => bucketOf(m)).toThrow(RangeError);
  });

  it('has strictly increasing bounds, none more than twice the one below', () => {
    for (let i = 1; i < BUCKETS_MINUTES.length; i++) {
      const [lo, hi] = [BUCKETS_MINUTES[i - 1] as number, BUCKETS_MINUTES[i] as number];
      expect(hi).toBeGreaterThan(lo);
      expect(hi).toBeLessThanOrEqual(2 * lo);
    }
    expect(OVERFLOW_BUCKET).toBe(23);
    expect(bucketBounds(0)).toEqual({ lower: 0, upper: 5 });
    expect(bucketBounds(OVERFLOW_BUCKET)).toEqual({ lower: 40320, upper: 40320 });
  });
});

describe('quantile', () => {
  it.each<[Record<number, number>, number, number | undefined, string]>([
    [{}, 0.5, undefined, 'empty'],
    [{ 3: 0 }, 0.5, undefined, 'only zero counts'],
    [{ 6: 1 }, 0.5, 52.5, 'one value in (45, 60]: halfway'],
    [{ 6: 1 }, 1, 60, 'the top of its bucket'],
    [{ 6: 1 }, 0, 45, 'q = 0 is the bottom of the first non-empty bucket'],
    [{ 0: 10 }, 0.5, 2.5, 'ten values in [0, 5]'],
    [{ 0: 10 }, 0.9, 4.5, ''],
    [{ 1: 5, 2: 5 }, 0.5, 10, 'median on the boundary between (5,10] and (10,15]'],
    [{ 1: 5, 2: 5 }, 0.9, 14, '4/5 through (10, 15]'],
    [{ 0: 1, [OVERFLOW_BUCKET]: 9 }, 0.9, 40320, 'overflow: its lower bound'],
  ])('%j q=%s → %s %s', (counts, q, expected) => {
    expect(quantile(counts, q)).toBe(expected);
  });

  it('counts', () => {
    expect(countOf({})).toBe(0);
    expect(countOf({ 0: 3, 5: 4, [OVERFLOW_BUCKET]: 1 })).toBe(8);
  });

  it.each<[Record<number, number>, number]>([
    [{ 0: 1 }, 1.1],
    [{ 0: 1 }, -0.1],
    [{ 0: 1 }, Number.NaN],
    [{ 0: -1 }, 0.5],
    [{ 0: 1.5 }, 0.5],
    [{ 24: 1 }, 0.5],
  ])('refuses %j at q=%s', (counts, q) => {
    expect(() => quantile(counts, q)).toThrow(RangeError);
  });

  it('refuses a key that is not a bucket', () => {
    expect(() => countOf({ ['1.5' as unknown as number]: 1 })).toThrow(RangeError);
  });

  const samples: Array<[string, number[]]> = [
    ['one value', [37]],
    ['two values across buckets', [4, 400]],
    ['twenty identical', Array.from({ length: 20 }, () => 95)],
    ['1..100', Array.from({ length: 100 }, (_, i) => i + 1)],
    [
      's.136 durations (hours, whole minutes)',
      [180, 205, 240, 300, 330, 360, 420, 455, 480, 600, 720, 900, 1100, 1380, 1440, 1500, 1700, 2000, 2100, 2160],
    ],
    [
      'log-uniform 1 min–8 weeks, 500 values',
      (() => {
        const r = prng(1);
        return Array.from({ length: 500 }, () => Math.floor(Math.exp(r() * Math.log(80640))));
      })(),
    ],
    [
      'exponential, mean 3 h, 1000 values',
      (() => {
        const r = prng(2);
        return Array.from({ length: 1000 }, () => Math.floor(-180 * Math.log(1 - r())));
      })(),
    ],
    [
      'bimodal: minutes and days',
      (() => {
        const r = prng(3);
        return Array.from({ length: 301 }, (_, i) =>
          i % 3 === 0 ? Math.floor(r() * 30) : 1440 + Math.floor(r() * 4000),
        );
      })(),
    ],
  ];
  const qs = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1];

  it.each(samples)('is within the bucket width of the exact quantile: %s', (_name, values) => {
    const h = histogramOf(values);
    expect(countOf(h)).toBe(values.length);
    for (const q of qs) {
      const exact = nearestRank(values, q);
      const estimate = quantile(h, q) as number;
      if (bucketOf(exact) === OVERFLOW_BUCKET) {
        // Over four weeks only the lower bound is known, and that is what is reported.
        expect(estimate, `q=${q}`).toBe(40320);
        continue;
      }
      const { lower, upper } = bucketBounds(bucketOf(exact));
      // Same bucket as the exact value, so the error is at most the bucket's width.
      expect(estimate, `q=${q}`).toBeGreaterThanOrEqual(lower);
      expect(estimate, `q=${q}`).toBeLessThanOrEqual(upper);
      expect(Math.abs(estimate - exact), `q=${q}`).toBeLessThanOrEqual(upper - lower);
    }
  });

  it('adds across days: merging histograms is adding counts', () => {
    const a = [3, 14, 70, 800];
    const b = [9, 9, 2000, 45000];
    const merged: Record<number, number> = { ...histogramOf(a) };
    for (const [k, v] of Object.entries(histogramOf(b))) merged[Number(k)] = (merged[Number(k)] ?? 0) + v;
    expect(quantile(merged, 0.5)).toBe(quantile(histogramOf([...a, ...b]), 0.5));
  });
});
