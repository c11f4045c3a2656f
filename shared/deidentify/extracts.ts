/**
 * Aggregate extracts from the roll-up day items (DOMAIN §7, JOURNEYS J5): sum the counters over
 * fixed calendar periods, then apply disclosure control to every published cell. Pure.
 *
 * Control is applied after summing and never before: rounding each day and adding the rounded
 * values would both bias totals and let small cells through.
 */
import { controlCount, controlQuantile, NHS_SMALL_NUMBERS, type Controlled, type DisclosureRule } from './disclosure.js';
import { DIMENSIONS, dimsOfTuple, INTERVALS, type DemandFact, type Dimension, type Interval } from './facts.js';
import { periodOf, type Period } from './generalise.js';
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
  median: Controlled;
  p90: Controlled;
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
function sumBy(days: readonly RollupDay[], period: Period, keyOf: (counter: string) => readonly string[] | undefined): Array<{ key: string[]; total: number }> {
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
 * Referral counts per period and the chosen dimensions, each cell controlled. Cells with no
 * referrals are absent (read as 0): which combinations exist is itself no disclosure, since 0 is
 * published as 0 anyway.
 */
export function demandRows(days: readonly RollupDay[], by: readonly Dimension[], period: Period, rule: DisclosureRule = NHS_SMALL_NUMBERS): DemandRow[] {
  for (const d of by) if (!(DIMENSIONS as readonly string[]).includes(d)) throw new RangeError(`unknown dimension: ${String(d)}`);
  if (new Set(by).size !== by.length) throw new RangeError('a dimension is given twice');
  const groups = sumBy(days, period, (name) => {
    if (!name.startsWith('n|')) return undefined;
    const dims = dimsOfTuple(name.slice(2));
    return by.map((d) => dims[d]);
  });
  return groups.map(({ key, total }) => {
    const row: DemandRow = { period: key[0] as string, count: controlCount(total, rule) };
    by.forEach((d, i) => {
      row[d] = key[i + 1] as string;
    });
    return row;
  });
}

/**
 * Median and 90th percentile of each interval per period, from the merged histograms. Every
 * interval appears for every period that has a roll-up item, so a missing figure reads as `*` or
 * 0 records rather than as an absent row.
 */
export function timingRows(days: readonly RollupDay[], period: Period, rule: DisclosureRule = NHS_SMALL_NUMBERS): TimingRow[] {
  const { periods, histogram } = mergedHistograms(days, period);
  const rows: TimingRow[] = [];
  for (const start of periods) {
    for (const interval of INTERVALS) {
      const h = histogram(start, interval);
      const records = countOf(h);
      rows.push({
        period: start,
        interval,
        records: controlCount(records, rule),
        median: controlQuantile(quantile(h, 0.5), records, rule),
        p90: controlQuantile(quantile(h, 0.9), records, rule),
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
export function distributionRows(days: readonly RollupDay[], period: Period, rule: DisclosureRule = NHS_SMALL_NUMBERS): DistributionRow[] {
  const { periods, histogram } = mergedHistograms(days, period);
  const rows: DistributionRow[] = [];
  for (const start of periods) {
    for (const interval of INTERVALS) {
      const h = histogram(start, interval);
      for (let bucket = 0; bucket <= OVERFLOW_BUCKET; bucket++) {
        const { lower, upper } = bucketBounds(bucket);
        rows.push({ period: start, interval, fromMinutes: lower, toMinutes: bucket === OVERFLOW_BUCKET ? null : upper, count: controlCount(h[bucket] ?? 0, rule) });
      }
    }
  }
  return rows;
}

/** Histogram counters summed per period and interval; every period with a roll-up item is listed. */
function mergedHistograms(days: readonly RollupDay[], period: Period): { periods: string[]; histogram: (start: string, interval: Interval) => Record<number, number> } {
  const histograms = new Map<string, Record<number, number>>();
  const periods = new Set<string>();
  for (const day of days) {
    const start = periodOf(day.day, period);
    periods.add(start);
    for (const [name, value] of Object.entries(day.counters)) {
      if (!name.startsWith('h|')) continue;
      const [, interval, bucketText] = name.split('|');
      const bucket = Number(bucketText);
      if (!(INTERVALS as readonly string[]).includes(interval ?? '') || !Number.isInteger(bucket) || bucket < 0 || bucket > OVERFLOW_BUCKET) {
        throw new RangeError(`not a histogram counter: ${name}`);
      }
      const id = `${start}|${interval}`;
      const h = histograms.get(id) ?? {};
      h[bucket] = (h[bucket] ?? 0) + counterValue(name, value);
      histograms.set(id, h);
    }
  }
  return { periods: [...periods].sort(), histogram: (start, interval) => histograms.get(`${start}|${interval}`) ?? {} };
}

/** Escalations raised per period and type (referrals received in the period), controlled. */
export function escalationRows(days: readonly RollupDay[], period: Period, rule: DisclosureRule = NHS_SMALL_NUMBERS): EscalationRow[] {
  return sumBy(days, period, (name) => (name.startsWith('e|') ? [name.slice(2)] : undefined)).map(({ key, total }) => ({
    period: key[0] as string,
    escalationType: key[1] as string,
    count: controlCount(total, rule),
  }));
}

/** Clock breaches per period and power (referrals received in the period), controlled. */
export function breachRows(days: readonly RollupDay[], period: Period, rule: DisclosureRule = NHS_SMALL_NUMBERS): BreachRow[] {
  return sumBy(days, period, (name) => (name.startsWith('b|') ? [name.slice(2)] : undefined)).map(({ key, total }) => ({
    period: key[0] as string,
    power: key[1] as string,
    count: controlCount(total, rule),
  }));
}
