/**
 * Aggregate extracts from the roll-up day items (DOMAIN §7, JOURNEYS J5): sum the counters over
 * fixed calendar periods, then apply disclosure control to every published cell. Pure.
 *
 * Control is applied after summing and never before: rounding each day and adding the rounded
 * values would both bias totals and let small cells through.
 */
import {
  controlCount,
  controlQuantile,
  NHS_SMALL_NUMBERS,
  type Controlled,
  type DisclosureRule,
  type Figure,
} from './disclosure.js';
import { DIMENSIONS, dimsOfTuple, INTERVALS, type Dimension, type Interval } from './facts.js';
import { daysBetween, periodOf, type Period } from './generalise.js';
import { DIMENSION_VALUES } from './dictionary.js';
import { POWERS } from '../domain/clock-rules.js';
import { ESCALATION_TYPES } from '../domain/vocabulary.js';
import { OVERFLOW_BUCKET, bucketBounds, countOf, quantile } from './histogram.js';

/** One roll-up item: the counters of one London day and one LSSA (see `rollupDelta`). */
export interface RollupDay {
  day: string;
  lssa: string;
  counters: Record<string, number>;
}

export type DemandRow = { period: string; [dim: string]: string | Controlled; count: Controlled };
export interface TimingRow {
  period: string;
  interval: Interval;
  records: Controlled;
  medianMinutes: Figure;
  p90Minutes: Figure;
}
export interface DistributionRow {
  period: string;
  interval: Interval;
  fromMinutes: number;
  toMinutes: number | null;
  count: Controlled;
}
export interface EscalationRow {
  period: string;
  escalationType: string;
  count: Controlled;
}
export interface BreachRow {
  period: string;
  power: string;
  count: Controlled;
}

/**
 * The frame of a zero-filled grid: the requested range (every period of it is listed) and the
 * caller's LSSAs (the values of the `lssa` dimension). Without it, the periods and LSSAs seen.
 */
export interface GridFrame {
  readonly range?: { readonly from: string; readonly to: string } | undefined;
  readonly lssas?: readonly string[] | undefined;
}

/** Largest grid one demand request may ask for (periods × every dimension's values). */
export const MAX_GRID_ROWS = 40_000;

/** The first days of every fixed period in the range, in order. */
export function periodsOf(range: { from: string; to: string }, period: Period): string[] {
  return [...new Set(daysBetween(range.from, range.to).map((d) => periodOf(d, period)))];
}

/** The grid's periods: the range's, plus any seen outside it (none when the caller filtered by range). */
function gridPeriods(days: readonly RollupDay[], period: Period, frame: GridFrame): string[] {
  const seen = days.map((d) => periodOf(d.day, period));
  return [...new Set([...(frame.range ? periodsOf(frame.range, period) : []), ...seen])].sort();
}

/** A dimension's values: the vocabulary in its order, then any other value seen (a retired code), sorted. */
export function dimensionValues(d: Dimension, frame: GridFrame, seen: Iterable<string> = []): string[] {
  const vocabulary = d === 'lssa' ? [...(frame.lssas ?? [])].sort() : [...DIMENSION_VALUES[d]];
  const extra = [...new Set(seen)].filter((v) => !vocabulary.includes(v)).sort(compareValues);
  return [...vocabulary, ...extra];
}

/** Rows a demand request would publish, to refuse one too large before reading anything. */
export function demandGridRows(by: readonly Dimension[], periods: number, frame: GridFrame): number {
  return by.reduce((n, d) => n * Math.max(1, dimensionValues(d, frame).length), periods);
}

/** What every extract response states (§7: "every response states the rule applied"). */
export const ruleStatement = (rule: DisclosureRule = NHS_SMALL_NUMBERS): { id: string; description: string } => ({
  id: rule.id,
  description: rule.description,
});

function counterValue(name: string, value: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`counter ${name}: not an integer: ${value}`);
  return value;
}

/** Whole numbers compare as numbers ('9' before '10'), everything else by code point. */
function compareValues(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValues(a[i] as string, b[i] as string);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Sums over the groups `keyOf` assigns (undefined: counter not wanted); sorted, totals checked. */
function sumBy(
  days: readonly RollupDay[],
  period: Period,
  keyOf: (counter: string) => readonly string[] | undefined,
): Array<{ key: string[]; total: number }> {
  const groups = new Map<string, { key: string[]; total: number }>();
  for (const day of days) {
    const start = periodOf(day.day, period);
    for (const [name, value] of Object.entries(day.counters)) {
      const rest = keyOf(name);
      if (rest === undefined) continue;
      const key = [start, ...rest];
      const id = JSON.stringify(key);
      const group = groups.get(id) ?? { key, total: 0 };
      group.total += counterValue(name, value);
      groups.set(id, group);
    }
  }
  const out = [...groups.values()];
  for (const g of out) {
    // A negative total means deltas were applied twice or out of order: a defect, not data.
    if (g.total < 0) throw new RangeError(`negative total for ${g.key.join(', ')}`);
  }
  return out.filter((g) => g.total !== 0).sort((a, b) => compareKeys(a.key, b.key));
}

/**
 * Referral counts per period and the chosen dimensions, each cell controlled. The grid is
 * complete (issue #17): every period of the frame × every value of each dimension, 0 where there
 * were none — publishing the zeros discloses nothing, since 0 is published as 0 anyway (§7), and
 * a missing cell would read as unknown.
 */
export function demandRows(
  days: readonly RollupDay[],
  by: readonly Dimension[],
  period: Period,
  rule: DisclosureRule = NHS_SMALL_NUMBERS,
  frame: GridFrame = {},
): DemandRow[] {
  for (const d of by)
    if (!(DIMENSIONS as readonly string[]).includes(d)) throw new RangeError(`unknown dimension: ${String(d)}`);
  if (new Set(by).size !== by.length) throw new RangeError('a dimension is given twice');
  const groups = sumBy(days, period, (name) => {
    if (!name.startsWith('n|')) return undefined;
    const dims = dimsOfTuple(name.slice(2));
    return by.map((d) => dims[d]);
  });
  const totals = new Map(groups.map(({ key, total }) => [JSON.stringify(key), total]));
  const values = by.map((d, i) =>
    dimensionValues(
      d,
      frame,
      groups.map((g) => g.key[i + 1] as string),
    ),
  );
  let keys: string[][] = gridPeriods(days, period, frame).map((p) => [p]);
  for (const list of values) keys = keys.flatMap((k) => list.map((v) => [...k, v]));
  return keys.map((key) => {
    // Keys in the published column order: period, the dimensions as given, count.
    const row = { period: key[0] as string } as DemandRow;
    by.forEach((d, i) => {
      row[d] = key[i + 1] as string;
    });
    row.count = controlCount(totals.get(JSON.stringify(key)) ?? 0, rule);
    return row;
  });
}

/**
 * Median and 90th percentile of each interval per period, from the merged histograms. Every
 * interval appears for every period of the frame (and every period that has a roll-up item), so
 * a missing figure reads as suppressed or not applicable (0 records) rather than as an absent row.
 */
export function timingRows(
  days: readonly RollupDay[],
  period: Period,
  rule: DisclosureRule = NHS_SMALL_NUMBERS,
  frame: GridFrame = {},
): TimingRow[] {
  const { histogram } = mergedHistograms(days, period);
  const periods = gridPeriods(days, period, frame);
  const rows: TimingRow[] = [];
  for (const start of periods) {
    for (const interval of INTERVALS) {
      const h = histogram(start, interval);
      const records = countOf(h);
      rows.push({
        period: start,
        interval,
        records: controlCount(records, rule),
        medianMinutes: controlQuantile(quantile(h, 0.5), records, rule),
        p90Minutes: controlQuantile(quantile(h, 0.9), records, rule),
      });
    }
  }
  return rows;
}

/**
 * The distribution behind `timingRows`: for every period and interval, each histogram bucket's
 * count (every bucket, empty ones as 0), controlled like any other count. `toMinutes` is null
 * for the open-ended bucket over 28 days.
 */
export function distributionRows(
  days: readonly RollupDay[],
  period: Period,
  rule: DisclosureRule = NHS_SMALL_NUMBERS,
  frame: GridFrame = {},
): DistributionRow[] {
  const { histogram } = mergedHistograms(days, period);
  const periods = gridPeriods(days, period, frame);
  const rows: DistributionRow[] = [];
  for (const start of periods) {
    for (const interval of INTERVALS) {
      const h = histogram(start, interval);
      for (let bucket = 0; bucket <= OVERFLOW_BUCKET; bucket++) {
        const { lower, upper } = bucketBounds(bucket);
        rows.push({
          period: start,
          interval,
          fromMinutes: lower,
          toMinutes: bucket === OVERFLOW_BUCKET ? null : upper,
          count: controlCount(h[bucket] ?? 0, rule),
        });
      }
    }
  }
  return rows;
}

/** Histogram counters summed per period and interval; every period with a roll-up item is listed. */
function mergedHistograms(
  days: readonly RollupDay[],
  period: Period,
): { histogram: (start: string, interval: Interval) => Record<number, number> } {
  const histograms = new Map<string, Record<number, number>>();
  for (const day of days) {
    const start = periodOf(day.day, period);
    for (const [name, value] of Object.entries(day.counters)) {
      if (!name.startsWith('h|')) continue;
      const [, interval, bucketText] = name.split('|');
      const bucket = Number(bucketText);
      if (
        !(INTERVALS as readonly string[]).includes(interval ?? '') ||
        !Number.isInteger(bucket) ||
        bucket < 0 ||
        bucket > OVERFLOW_BUCKET
      ) {
        throw new RangeError(`not a histogram counter: ${name}`);
      }
      const id = `${start}|${interval}`;
      const h = histograms.get(id) ?? {};
      h[bucket] = (h[bucket] ?? 0) + counterValue(name, value);
      histograms.set(id, h);
    }
  }
  return { histogram: (start, interval) => histograms.get(`${start}|${interval}`) ?? {} };
}

/** Counts per period and code, every code of the vocabulary (then any other seen) in every period. */
function codeGrid(
  days: readonly RollupDay[],
  period: Period,
  prefix: string,
  vocabulary: readonly string[],
  frame: GridFrame,
  rule: DisclosureRule,
): Array<{ period: string; code: string; count: Controlled }> {
  const groups = sumBy(days, period, (name) => (name.startsWith(prefix) ? [name.slice(prefix.length)] : undefined));
  const totals = new Map(groups.map(({ key, total }) => [`${key[0]}|${key[1]}`, total]));
  const extra = [...new Set(groups.map((g) => g.key[1] as string))].filter((c) => !vocabulary.includes(c)).sort();
  return gridPeriods(days, period, frame).flatMap((start) =>
    [...vocabulary, ...extra].map((code) => {
      const count = controlCount(totals.get(`${start}|${code}`) ?? 0, rule);
      return { period: start, code, count };
    }),
  );
}

/** Escalations raised per period and type (referrals received in the period), controlled; every type listed. */
export function escalationRows(
  days: readonly RollupDay[],
  period: Period,
  rule: DisclosureRule = NHS_SMALL_NUMBERS,
  frame: GridFrame = {},
): EscalationRow[] {
  const grid = codeGrid(days, period, 'e|', ESCALATION_TYPES, frame, rule);
  return grid.map(({ period: p, code, count }) => ({ period: p, escalationType: code, count }));
}

/** Clock breaches per period and power (referrals received in the period), controlled; every power listed. */
export function breachRows(
  days: readonly RollupDay[],
  period: Period,
  rule: DisclosureRule = NHS_SMALL_NUMBERS,
  frame: GridFrame = {},
): BreachRow[] {
  const grid = codeGrid(days, period, 'b|', POWERS, frame, rule);
  return grid.map(({ period: p, code, count }) => ({ period: p, power: code, count }));
}
