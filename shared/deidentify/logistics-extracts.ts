/**
 * The planners' logistics figures (DOMAIN §7, §9) from the roll-up day items and the facts:
 * delays by cause (request → arrival; a bed's wait among them), s.136 durations and breaches,
 * out-of-area placements, unlawful-place flags, and repeat referrals of the same person within
 * 30 and 90 days. Every published cell goes through the same disclosure control as every other
 * extract (disclosure.ts), after summing and never before. Pure.
 */
import {
  controlCount,
  controlQuantile,
  NHS_SMALL_NUMBERS,
  type Controlled,
  type DisclosureRule,
  type Figure,
} from './disclosure.js';
import type { DemandFact } from './facts.js';
import type { RollupDay } from './extracts.js';
import { periodOf, type Period } from './generalise.js';
import { countOf, OVERFLOW_BUCKET, quantile } from './histogram.js';
import { WAIT_CAUSES } from '../domain/logistics.js';

export interface DelayRow {
  period: string;
  cause: string;
  records: Controlled;
  /** null: no records, nothing to measure (n/a); `*`: withheld. */
  medianMinutes: Figure;
  p90Minutes: Figure;
}
export interface S136Row {
  period: string;
  /** Detentions whose s.136 clock ended (arrival → end). */
  records: Controlled;
  medianMinutes: Figure;
  p90Minutes: Figure;
  /** s.136 clocks breached. */
  breaches: Controlled;
}
export interface CountRow {
  period: string;
  measure: string;
  count: Controlled;
}
export interface RepeatRow {
  period: string;
  /** Referrals of an identified person received in the period. */
  referrals: Controlled;
  /** Of those, the person had another referral in the 30 (90) days before (closed ones included). */
  within30Days: Controlled;
  within90Days: Controlled;
}

/** The flags of DOMAIN §2 that say a person was held where the law forbids. */
export const UNLAWFUL_PLACE_FLAGS = [
  'unlawful-place-of-safety',
  'police-station-without-authorisation',
  's136-in-dwelling',
] as const;

/** Histograms under a counter prefix (`d|<key>|<bucket>`), summed per period and key. */
function histograms(days: readonly RollupDay[], period: Period, prefix: string) {
  const out = new Map<string, Record<number, number>>();
  const periods = new Set<string>();
  for (const day of days) {
    const start = periodOf(day.day, period);
    periods.add(start);
    for (const [name, value] of Object.entries(day.counters)) {
      if (!name.startsWith(`${prefix}|`)) continue;
      const [, key, bucketText] = name.split('|');
      const bucket = Number(bucketText);
      if (!key || !Number.isInteger(bucket) || bucket < 0 || bucket > OVERFLOW_BUCKET)
        throw new RangeError(`not a histogram counter: ${name}`);
      const id = `${start}|${key}`;
      const h = out.get(id) ?? {};
      h[bucket] = (h[bucket] ?? 0) + value;
      out.set(id, h);
    }
  }
  return { periods: [...periods].sort(), of: (start: string, key: string) => out.get(`${start}|${key}`) ?? {} };
}

/** Sums a plain counter per period (periods with a roll-up item all appear, 0 when none). */
function sums(days: readonly RollupDay[], period: Period, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const day of days) {
    const start = periodOf(day.day, period);
    const total = (out.get(start) ?? 0) + (day.counters[name] ?? 0);
    if (total < 0) throw new RangeError(`negative total for ${name}`);
    out.set(start, total);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const quantileRow = (h: Record<number, number>, rule: DisclosureRule) => {
  const records = countOf(h);
  return {
    records: controlCount(records, rule),
    medianMinutes: controlQuantile(quantile(h, 0.5), records, rule),
    p90Minutes: controlQuantile(quantile(h, 0.9), records, rule),
  };
};

/** "Delays by cause": every cause for every period, so a missing figure reads as `*` or 0 records. */
export function delayRows(
  days: readonly RollupDay[],
  period: Period,
  rule: DisclosureRule = NHS_SMALL_NUMBERS,
): DelayRow[] {
  const { periods, of } = histograms(days, period, 'd');
  return periods.flatMap((start) =>
    WAIT_CAUSES.map((cause) => ({ period: start, cause, ...quantileRow(of(start, cause), rule) })),
  );
}

/** s.136 durations (arrival → end) and breaches per period. */
export function s136Rows(
  days: readonly RollupDay[],
  period: Period,
  rule: DisclosureRule = NHS_SMALL_NUMBERS,
): S136Row[] {
  const { periods, of } = histograms(days, period, 'x');
  const breaches = sums(days, period, 'b|s136');
  return periods.map((start) => ({
    period: start,
    ...quantileRow(of(start, 's136'), rule),
    breaches: controlCount(breaches.get(start) ?? 0, rule),
  }));
}

/** Out-of-area placements and each unlawful-place flag, per period. */
export function placementRows(
  days: readonly RollupDay[],
  period: Period,
  rule: DisclosureRule = NHS_SMALL_NUMBERS,
): CountRow[] {
  const measures: [string, string][] = [
    ['out-of-area-placements', 'o|out-of-area'],
    ...UNLAWFUL_PLACE_FLAGS.map((f): [string, string] => [f, `f|${f}`]),
  ];
  const rows: CountRow[] = [];
  for (const [measure, counter] of measures) {
    for (const [start, total] of sums(days, period, counter))
      rows.push({ period: start, measure, count: controlCount(total, rule) });
  }
  return rows.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.measure < b.measure ? -1 : 1));
}

const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/**
 * Repeat referrals of the same person (the pseudonymised person key) within 30 and 90 days,
 * counted in the period of the later referral. `facts` must include the 90 days before the first
 * period so that earlier referrals are found; only referrals received in [from, to] are counted.
 */
export function repeatRows(
  facts: readonly DemandFact[],
  period: Period,
  from: string,
  to: string,
  rule: DisclosureRule = NHS_SMALL_NUMBERS,
): RepeatRow[] {
  const byPerson = new Map<string, DemandFact[]>();
  for (const f of facts) if (f.personKey) byPerson.set(f.personKey, [...(byPerson.get(f.personKey) ?? []), f]);
  const totals = new Map<string, { referrals: number; d30: number; d90: number }>();
  for (const list of byPerson.values()) {
    // Received order: day, then the fact key (same-day referrals in a stable order).
    list.sort((a, b) =>
      a.receivedDay === b.receivedDay ? (a.factKey < b.factKey ? -1 : 1) : a.receivedDay < b.receivedDay ? -1 : 1,
    );
    list.forEach((f, i) => {
      if (f.receivedDay < from || f.receivedDay > to) return;
      const start = periodOf(f.receivedDay, period);
      const t = totals.get(start) ?? { referrals: 0, d30: 0, d90: 0 };
      t.referrals++;
      const previous = list[i - 1];
      const gap = previous ? dayNumber(f.receivedDay) - dayNumber(previous.receivedDay) : Infinity;
      if (gap <= 30) t.d30++;
      if (gap <= 90) t.d90++;
      totals.set(start, t);
    });
  }
  return [...totals]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([start, t]) => ({
      period: start,
      referrals: controlCount(t.referrals, rule),
      within30Days: controlCount(t.d30, rule),
      within90Days: controlCount(t.d90, rule),
    }));
}

/** The months whose facts `repeatRows` needs: 90 days before `from` through `to`. */
export function monthsForRepeats(from: string, to: string): string[] {
  const first = new Date(Date.parse(`${from}T00:00:00Z`) - 90 * 86_400_000);
  const months: string[] = [];
  const cursor = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1));
  while (cursor.toISOString().slice(0, 7) <= to.slice(0, 7)) {
    months.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
}
