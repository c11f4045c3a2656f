/**
 * Record-level extract rows (DOMAIN §7): pseudonymised personal data, so no released row's
 * quasi-identifiers — EVERY column the row carries except the person and record keys — may
 * occur together fewer than k times. Generalise first, withhold only what generalisation cannot
 * save, and say how many were withheld. Pure.
 *
 * Generalisation is global recoding along a ladder per column (e.g. hour of day → 4-hour band →
 * day part → `*`): one level per column for the whole extract, so every released combination is
 * a class of at least k rows and no two classes overlap in a way that could be subtracted. A
 * greedy search raises, one step at a time, the column whose step saves the most rows, until at
 * most `maxWithheldShare` of the rows would be withheld (or nothing more helps); the rows still
 * in classes smaller than k are then withheld. The month and LSSA are the extract's frame and are
 * kept as they are (the LSSA only falls to `*` when an extract spans several).
 */
import type { DemandFact, Interval } from './facts.js';
import { INTERVALS } from './facts.js';
import { bucketOf } from './histogram.js';

/** A rung of a column's ladder: the value shown for a fact at that level. */
type Rung = (fact: DemandFact) => string;

const SUPPRESSED = '*';
const suppressed: Rung = () => SUPPRESSED;

const hour = (f: DemandFact) => Number(f.dims.hourOfDay);
const fourHourBand: Rung = (f) => {
  const from = Math.floor(hour(f) / 4) * 4;
  return `${String(from).padStart(2, '0')}-${String(from + 3).padStart(2, '0')}`;
};
// Unions of the 4-hour bands, so the ladder only ever merges classes.
const dayPart: Rung = (f) => (hour(f) < 8 ? 'night' : hour(f) < 16 ? 'day' : 'evening');

const BROAD_AGE: Record<string, string> = {
  '0-17': '0-17',
  '18-24': '18-34',
  '25-34': '18-34',
  '35-44': '35-64',
  '45-54': '35-64',
  '55-64': '35-64',
  '65+': '65+',
};
const HOLDING_POWERS = ['s136', 's135-1', 's135-2', 's5-2', 's5-4', 's4'];
const DETAINED = ['s2', 'guardianship', 'cto'];
const legalGroup: Rung = (f) =>
  HOLDING_POWERS.includes(f.dims.legalStatus)
    ? 'holding-power'
    : DETAINED.includes(f.dims.legalStatus)
      ? 'detained-or-supervised'
      : 'informal-or-none';
const outcomeGroup: Rung = (f) => {
  const o = f.dims.outcome;
  if (/^(detained-|guardianship-)/.test(o)) return 'application-made';
  if (['pending', 'not-accepted', 'withdrawn', 'closed-without-outcome'].includes(o))
    return o === 'pending' ? 'pending' : 'no-assessment';
  return 'no-application';
};
const POLICE_AND_AMBULANCE = ['police', 'ambulance'];
const agencyGroup: Rung = (f) =>
  POLICE_AND_AMBULANCE.includes(f.dims.agencyType) ? 'emergency-services' : 'health-and-care';
const weekend: Rung = (f) => (Number(f.dims.dayOfWeek) >= 6 ? 'weekend' : 'weekday');
const OPEN = ['received', 'under-review', 'accepted', 'allocated', 'assessment-in-progress'];

/**
 * Interval bands (§7: "intervals in record rows are banded"): never minutes. The first rung
 * groups the histogram's buckets into six bands; the second into within a day or longer.
 */
const INTERVAL_BANDS = [
  [60, 'under-1h'],
  [240, '1-4h'],
  [720, '4-12h'],
  [1440, '12-24h'],
  [4320, '1-3d'],
] as const;
const bandOf = (minutes: number): string => {
  bucketOf(minutes); // refuses a negative or non-finite duration, as the roll-ups do
  return INTERVAL_BANDS.find(([limit]) => minutes <= limit)?.[1] ?? 'over-3d';
};
const intervalRungs = (name: Interval): Rung[] => [
  (f) => (f.intervals[name] === undefined ? 'none' : bandOf(f.intervals[name]!)),
  (f) => (f.intervals[name] === undefined ? 'none' : f.intervals[name]! <= 1440 ? 'within-24h' : 'over-24h'),
  suppressed,
];

const listOf = (values: readonly string[]) => (values.length ? [...new Set(values)].sort().join(';') : 'none');

/**
 * Each released column and its ladder, finest first; the last rung of every ladder is `*` unless the column is the
 * frame.
 */
export const QUASI_COLUMNS: Readonly<Record<string, readonly Rung[]>> = {
  lssa: [(f) => f.dims.lssa, suppressed],
  ageBand: [(f) => f.dims.ageBand, (f) => BROAD_AGE[f.dims.ageBand] ?? f.dims.ageBand, suppressed],
  sex: [(f) => f.dims.sex, suppressed],
  ethnicityGroup: [(f) => f.dims.ethnicityGroup, suppressed],
  agencyType: [(f) => f.dims.agencyType, agencyGroup, suppressed],
  legalStatus: [(f) => f.dims.legalStatus, legalGroup, suppressed],
  outcome: [(f) => f.dims.outcome, outcomeGroup, suppressed],
  hourBand: [fourHourBand, dayPart, suppressed],
  weekday: [(f) => f.dims.dayOfWeek, weekend, suppressed],
  outOfHours: [(f) => f.dims.outOfHours, suppressed],
  urgency: [(f) => f.urgency, suppressed],
  status: [(f) => f.status, (f) => (OPEN.includes(f.status) ? 'open' : 'ended'), suppressed],
  escalations: [(f) => listOf(f.escalations), (f) => (f.escalations.length ? 'some' : 'none'), suppressed],
  breaches: [(f) => listOf(f.breaches), (f) => (f.breaches.length ? 'some' : 'none'), suppressed],
  ...Object.fromEntries(INTERVALS.map((name) => [name, intervalRungs(name)])),
};
export const QUASI_COLUMN_NAMES = Object.keys(QUASI_COLUMNS);

export type Levels = Record<string, number>;

export interface RecordExtractOptions {
  readonly k: number;
  /** Generalise until no more than this share of rows would be withheld (or nothing helps). */
  readonly maxWithheldShare: number;
}

export interface RecordExtract {
  /** Released facts with their quasi-identifier values, in input order. */
  readonly rows: { fact: DemandFact; values: Record<string, string> }[];
  readonly withheld: number;
  /** The ladder level chosen per column (0 = as recorded). */
  readonly levels: Levels;
}

const valuesAt = (fact: DemandFact, levels: Levels): Record<string, string> =>
  Object.fromEntries(QUASI_COLUMN_NAMES.map((c) => [c, QUASI_COLUMNS[c]![levels[c]!]!(fact)]));

const combination = (values: Record<string, string>) => QUASI_COLUMN_NAMES.map((c) => values[c]).join('|');

/**
 * A partition of the rows into classes (`ids[i]` = row i's class, `size` classes). The search
 * works on partitions, not strings: refining one by another is one exact pass (class pairs are
 * numbered as they appear), so a month of a busy service is searched in well under a second.
 */
interface Partition {
  readonly ids: Int32Array;
  readonly size: number;
}

const whole = (n: number): Partition => ({ ids: new Int32Array(n), size: 1 });

function refine(a: Partition, b: Partition): Partition {
  const seen = new Map<number, number>();
  const ids = new Int32Array(a.ids.length);
  for (let i = 0; i < ids.length; i++) {
    const pair = a.ids[i]! * b.size + b.ids[i]!;
    let id = seen.get(pair);
    if (id === undefined) {
      id = seen.size;
      seen.set(pair, id);
    }
    ids[i] = id;
  }
  return { ids, size: seen.size };
}

function partitionOf(values: readonly string[]): Partition {
  const seen = new Map<string, number>();
  const ids = new Int32Array(values.length);
  values.forEach((v, i) => {
    let id = seen.get(v);
    if (id === undefined) {
      id = seen.size;
      seen.set(v, id);
    }
    ids[i] = id;
  });
  return { ids, size: seen.size };
}

function withheldIn(p: Partition, k: number): number {
  const sizes = new Int32Array(p.size);
  for (const id of p.ids) sizes[id]!++;
  let small = 0;
  for (const n of sizes) if (n < k) small += n;
  return small;
}

/** Chooses the generalisation levels, then releases the rows whose combination occurs at least k times. */
export function recordExtract(facts: readonly DemandFact[], options: RecordExtractOptions): RecordExtract {
  const { k, maxWithheldShare } = options;
  if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`k must be a positive integer: ${k}`);
  const levels: Levels = Object.fromEntries(QUASI_COLUMN_NAMES.map((c) => [c, 0]));
  // Fewer than k rows in all: no generalisation can release one.
  if (facts.length < k) return { rows: [], withheld: facts.length, levels };
  // One LSSA is the extract's frame, not a quasi-identifier to generalise; several may fall to `*`.
  const frozen = new Set(new Set(facts.map((f) => f.dims.lssa)).size <= 1 ? ['lssa'] : []);
  const columns = QUASI_COLUMN_NAMES;
  const rungs = columns.map((c) => QUASI_COLUMNS[c]!.map((rung) => partitionOf(facts.map(rung))));
  const at = (i: number, level: number) => rungs[i]![level]!;

  for (;;) {
    // Prefix and suffix partitions: "every column but i" is one refinement away for each i.
    const prefix: Partition[] = [whole(facts.length)];
    for (const [i, c] of columns.entries()) prefix.push(refine(prefix[i]!, at(i, levels[c]!)));
    const withheld = withheldIn(prefix[columns.length]!, k);
    if (withheld <= maxWithheldShare * facts.length) break;
    const suffix: Partition[] = Array(columns.length + 1);
    suffix[columns.length] = whole(facts.length);
    for (let i = columns.length - 1; i >= 0; i--) suffix[i] = refine(at(i, levels[columns[i]!]!), suffix[i + 1]!);

    let best: { column: string; withheld: number; split: number } | undefined;
    columns.forEach((c, i) => {
      const level = levels[c]!;
      const current = at(i, level);
      // A column with one value (or at `*`) cannot merge anything by going coarser.
      if (frozen.has(c) || level >= rungs[i]!.length - 1 || current.size <= 1) return;
      const trial = withheldIn(refine(refine(prefix[i]!, suffix[i + 1]!), at(i, level + 1)), k);
      // Most rows saved; on a tie, the column that splits the rows most (a step that saves
      // nothing yet still merges the most, since classes often join only after two steps).
      if (!best || trial < best.withheld || (trial === best.withheld && current.size > best.split))
        best = { column: c, withheld: trial, split: current.size };
    });
    // Ladders only merge classes, so a step never withholds more; all-`*` releases every row.
    if (!best) break;
    levels[best.column]! += 1;
  }

  const valued = facts.map((fact) => ({ fact, values: valuesAt(fact, levels) }));
  const counts = new Map<string, number>();
  for (const r of valued) counts.set(combination(r.values), (counts.get(combination(r.values)) ?? 0) + 1);
  const rows = valued.filter((r) => (counts.get(combination(r.values)) ?? 0) >= k);
  return { rows, withheld: facts.length - rows.length, levels };
}
