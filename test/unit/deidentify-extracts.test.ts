/**
 * Aggregate extracts (DOMAIN §7, J5): counters summed over fixed periods and then controlled;
 * record-level rows are in deidentify-records.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { NHS_SMALL_NUMBERS, type DisclosureRule } from '../../shared/deidentify/disclosure.js';
import {
  breachRows,
  demandGridRows,
  demandRows,
  escalationRows,
  ruleStatement,
  timingRows,
  distributionRows,
  type RollupDay,
} from '../../shared/deidentify/extracts.js';
import { INTERVALS, tupleOf, type Dimension } from '../../shared/deidentify/facts.js';
import { BUCKETS_MINUTES, bucketOf } from '../../shared/deidentify/histogram.js';
import { POWERS } from '../../shared/domain/clock-rules.js';
import { ESCALATION_TYPES } from '../../shared/schemas/referral-events.js';
import { BASE_DIMENSIONS } from '../support/dimensions.js';
import { DIMENSION_VALUES } from '../../shared/deidentify/dictionary.js';

/** The cells with referrals (or suppressed): the grids list every other cell as 0. */
const nonZero = <T extends { count: unknown }>(rows: T[]): T[] => rows.filter((r) => r.count !== 0);

const BASE: Readonly<Record<Dimension, string>> = BASE_DIMENSIONS;
const n = (over: Partial<Record<Dimension, string>>) => `n|${tupleOf({ ...BASE, ...over })}`;
const day = (d: string, counters: Record<string, number>, lssa = 'E06000055'): RollupDay => ({
  day: d,
  lssa,
  counters,
});

// Mon 9 – Sun 15 Nov 2026 is one ISO week; 16 Nov starts the next; 1 Dec another month.
const DAYS: RollupDay[] = [
  day('2026-11-09', {
    [n({ dayOfWeek: '1', hourOfDay: '9', outOfHours: 'false', agencyType: 'cmht' })]: 4,
    [n({ dayOfWeek: '1', hourOfDay: '23' })]: 3,
  }),
  day('2026-11-10', {
    [n({ dayOfWeek: '2', hourOfDay: '10', outOfHours: 'false', agencyType: 'cmht' })]: 4,
    [n({ dayOfWeek: '2', hourOfDay: '23' })]: 0,
  }),
  day('2026-11-14', { [n({})]: 12, 'e|no-bed': 2, 'b|s136': 1 }),
  day('2026-11-14', { [n({ lssa: 'E06000056' })]: 1 }, 'E06000056'),
  day('2026-11-16', { [n({ dayOfWeek: '1', hourOfDay: '9', outOfHours: 'false' })]: 8, 'e|no-bed': 6 }),
  day('2026-12-01', {
    [n({ dayOfWeek: '2', hourOfDay: '23', agencyType: 'ambulance' })]: 100,
    'e|no-bed': 1,
    'e|no-s12-doctor': 9,
  }),
];

describe('demandRows', () => {
  it('sums within fixed weeks, then controls each cell', () => {
    // Values in the vocabulary's order (police before cmht), every other one 0.
    expect(nonZero(demandRows(DAYS, ['agencyType'], 'week'))).toEqual([
      { period: '2026-11-09', agencyType: 'police', count: 15 }, // 3 + 0 + 12 + 1 = 16
      { period: '2026-11-09', agencyType: 'cmht', count: 10 }, // 4 + 4 = 8: each day alone would be *
      { period: '2026-11-16', agencyType: 'police', count: 10 }, // 8
      { period: '2026-11-30', agencyType: 'ambulance', count: 100 },
    ]);
  });

  it.each<[string, readonly Dimension[], Parameters<typeof demandRows>[2], unknown[]]>([
    [
      'months, no dimension',
      [],
      'month',
      [
        { period: '2026-11-01', count: 30 },
        { period: '2026-12-01', count: 100 },
      ],
    ],
    [
      'days by out-of-hours',
      ['outOfHours'],
      'day',
      [
        { period: '2026-11-09', outOfHours: 'false', count: '*' },
        { period: '2026-11-09', outOfHours: 'true', count: '*' },
        { period: '2026-11-10', outOfHours: 'false', count: '*' },
        { period: '2026-11-14', outOfHours: 'true', count: 15 },
        { period: '2026-11-16', outOfHours: 'false', count: 10 },
        { period: '2026-12-01', outOfHours: 'true', count: 100 },
      ],
    ],
    [
      'the heat map: hour × weekday by month, numeric order',
      ['dayOfWeek', 'hourOfDay'],
      'month',
      [
        { period: '2026-11-01', dayOfWeek: '1', hourOfDay: '9', count: 10 }, // 4 + 8
        { period: '2026-11-01', dayOfWeek: '1', hourOfDay: '23', count: '*' },
        { period: '2026-11-01', dayOfWeek: '2', hourOfDay: '10', count: '*' },
        { period: '2026-11-01', dayOfWeek: '6', hourOfDay: '23', count: 15 }, // 12 + 1 from the other LSSA
        { period: '2026-12-01', dayOfWeek: '2', hourOfDay: '23', count: 100 },
      ],
    ],
    [
      'by LSSA',
      ['lssa'],
      'month',
      [
        { period: '2026-11-01', lssa: 'E06000055', count: 30 },
        { period: '2026-11-01', lssa: 'E06000056', count: '*' },
        { period: '2026-12-01', lssa: 'E06000055', count: 100 },
      ],
    ],
  ])('%s', (_why, by, period, rows) => {
    // The grid is zero-filled (below); the cells with referrals are these.
    expect(nonZero(demandRows(DAYS, by, period))).toEqual(rows);
  });

  it('keeps the order of the dimensions asked for in each row, count last', () => {
    const [row] = demandRows(DAYS, ['outOfHours', 'agencyType'], 'month');
    expect(Object.keys(row!)).toEqual(['period', 'outOfHours', 'agencyType', 'count']);
  });

  it('zero-fills the grid: hour × weekday is 168 rows per period of the range, ISO weekdays 1-7, hours 0-23', () => {
    const rows = demandRows(DAYS, ['hourOfDay', 'dayOfWeek'], 'month', NHS_SMALL_NUMBERS, {
      range: { from: '2026-10-01', to: '2026-12-31' },
    });
    expect(rows).toHaveLength(3 * 168);
    const october = rows.filter((r) => r.period === '2026-10-01');
    expect(october).toHaveLength(168);
    expect(october.every((r) => r.count === 0)).toBe(true);
    expect(new Set(october.map((r) => r.dayOfWeek))).toEqual(new Set(['1', '2', '3', '4', '5', '6', '7']));
    expect(new Set(october.map((r) => Number(r.hourOfDay)))).toEqual(new Set(Array.from({ length: 24 }, (_, h) => h)));
    expect(rows.find((r) => r.period === '2026-11-01' && r.dayOfWeek === '6' && r.hourOfDay === '23')?.count).toBe(15);
  });

  it('zero-fills every value of the vocabulary, then any other value seen; LSSAs from the frame', () => {
    const rows = demandRows([day('2026-11-09', { [n({ agencyType: 'retired-agency' })]: 9 })], ['agencyType'], 'day');
    expect(rows.map((r) => r.agencyType)).toEqual([...DIMENSION_VALUES.agencyType, 'retired-agency']);
    expect(rows.at(-1)?.count).toBe(10);
    const lssas = demandRows([], ['lssa'], 'week', NHS_SMALL_NUMBERS, {
      range: { from: '2026-11-02', to: '2026-11-15' },
      lssas: ['E06000056', 'E06000055'],
    });
    expect(lssas).toEqual([
      { period: '2026-11-02', lssa: 'E06000055', count: 0 },
      { period: '2026-11-02', lssa: 'E06000056', count: 0 },
      { period: '2026-11-09', lssa: 'E06000055', count: 0 },
      { period: '2026-11-09', lssa: 'E06000056', count: 0 },
    ]);
    expect(demandGridRows(['hourOfDay', 'dayOfWeek'], 31, {})).toBe(31 * 168);
  });

  it("applies the agreement's rule", () => {
    const strict: DisclosureRule = { ...NHS_SMALL_NUMBERS, id: 'strict', suppressBelow: 10, roundTo: 10 };
    expect(demandRows(DAYS, [], 'month', strict)).toEqual([
      { period: '2026-11-01', count: 30 },
      { period: '2026-12-01', count: 100 },
    ]);
    // 8 cmht is now under 10
    expect(nonZero(demandRows(DAYS, ['agencyType'], 'week', strict)).map((r) => r.count)).toEqual([20, '*', '*', 100]);
    expect(ruleStatement(strict)).toEqual({ id: 'strict', description: NHS_SMALL_NUMBERS.description });
    expect(ruleStatement()).toEqual({ id: 'nhs-small-numbers', description: NHS_SMALL_NUMBERS.description });
  });

  it('publishes 0 for a period with no referrals and ignores other counters', () => {
    expect(
      demandRows([day('2026-11-09', { [n({})]: 0, 'e|no-bed': 40, 'h|receivedToOutcome|3': 50 })], [], 'day'),
    ).toEqual([{ period: '2026-11-09', count: 0 }]);
  });

  it.each<[string, () => unknown]>([
    ['an unknown dimension', () => demandRows(DAYS, ['postcode' as Dimension], 'day')],
    ['a dimension twice', () => demandRows(DAYS, ['sex', 'sex'], 'day')],
    ['a negative total', () => demandRows([day('2026-11-09', { [n({})]: -1 })], [], 'day')],
    ['a malformed tuple', () => demandRows([day('2026-11-09', { 'n|police|s136': 9 })], [], 'day')],
    ['a fractional counter', () => demandRows([day('2026-11-09', { [n({})]: 1.5 })], [], 'day')],
  ])('refuses %s', (_why, f) => {
    expect(f).toThrow(RangeError);
  });
});

describe('timingRows', () => {
  /** `count` durations of `minutes` each, as histogram counters. */
  const h = (interval: string, minutes: number, count: number) => ({ [`h|${interval}|${bucketOf(minutes)}`]: count });
  const days = [
    day('2026-11-02', { ...h('receivedToOutcome', 100, 10), ...h('receivedToAccepted', 10, 19), [n({})]: 29 }),
    day('2026-11-20', { ...h('receivedToOutcome', 300, 10) }, 'E06000056'),
    day('2026-12-03', { ...h('bedRequestedToIdentified', 50000, 25) }),
  ];

  it('merges histograms over the period and LSSAs; withholds quantiles under 20 records', () => {
    expect(timingRows(days, 'month')).toEqual([
      // 19 records
      { period: '2026-11-01', interval: 'receivedToAccepted', records: 20, medianMinutes: '*', p90Minutes: '*' },
      { period: '2026-11-01', interval: 'receivedToAllocated', records: 0, medianMinutes: null, p90Minutes: null },
      { period: '2026-11-01', interval: 'receivedToAssessment', records: 0, medianMinutes: null, p90Minutes: null },
      // 10 in (90, 120] and 10 in (240, 360]: rank 10 is the top of the first; rank 18 is 8/10
      // through the second, 336 (exact 300: within the bucket width of 120).
      { period: '2026-11-01', interval: 'receivedToOutcome', records: 20, medianMinutes: 120, p90Minutes: 336 },
      { period: '2026-11-01', interval: 'bedRequestedToIdentified', records: 0, medianMinutes: null, p90Minutes: null },
      { period: '2026-12-01', interval: 'receivedToAccepted', records: 0, medianMinutes: null, p90Minutes: null },
      { period: '2026-12-01', interval: 'receivedToAllocated', records: 0, medianMinutes: null, p90Minutes: null },
      { period: '2026-12-01', interval: 'receivedToAssessment', records: 0, medianMinutes: null, p90Minutes: null },
      { period: '2026-12-01', interval: 'receivedToOutcome', records: 0, medianMinutes: null, p90Minutes: null },
      // Over four weeks: the overflow bucket's lower bound.
      {
        period: '2026-12-01',
        interval: 'bedRequestedToIdentified',
        records: 25,
        medianMinutes: 40320,
        p90Minutes: 40320,
      },
    ]);
  });

  it('splits by week', () => {
    const rows = timingRows(days, 'week').filter((r) => r.interval === 'receivedToOutcome');
    expect(rows).toEqual([
      { period: '2026-11-02', interval: 'receivedToOutcome', records: 10, medianMinutes: '*', p90Minutes: '*' },
      { period: '2026-11-16', interval: 'receivedToOutcome', records: 10, medianMinutes: '*', p90Minutes: '*' },
      { period: '2026-11-30', interval: 'receivedToOutcome', records: 0, medianMinutes: null, p90Minutes: null },
    ]);
  });

  it("uses the agreement's minimum for quantiles", () => {
    const lenient: DisclosureRule = { ...NHS_SMALL_NUMBERS, id: 'lenient', minRecordsForQuantile: 10 };
    expect(timingRows(days, 'week', lenient).find((r) => r.interval === 'receivedToOutcome')).toMatchObject({
      medianMinutes: 105,
      p90Minutes: 117,
    });
  });

  it.each(['h|receivedToLunch|3', 'h|receivedToOutcome|24', 'h|receivedToOutcome|x', 'h|receivedToOutcome'])(
    'refuses the counter %s',
    (name) => {
      expect(() => timingRows([day('2026-11-02', { [name]: 1 })], 'day')).toThrow(RangeError);
    },
  );
});

describe('distributionRows', () => {
  const h = (interval: string, minutes: number, count: number) => ({ [`h|${interval}|${bucketOf(minutes)}`]: count });
  const days = [
    day('2026-11-02', { ...h('receivedToAssessment', 100, 9), ...h('receivedToAssessment', 50, 3) }),
    day('2026-11-20', { ...h('receivedToAssessment', 100, 4), ...h('receivedToAssessment', 50_000, 12) }, 'E06000056'),
  ];
  const rows = distributionRows(days, 'month').filter((r) => r.interval === 'receivedToAssessment');

  it('lists every bucket of every interval, in order, summed over days and LSSAs', () => {
    expect(rows.map((r) => r.fromMinutes)).toEqual([0, ...BUCKETS_MINUTES]);
    expect(rows.map((r) => r.toMinutes)).toEqual([...BUCKETS_MINUTES, null]);
    expect(distributionRows(days, 'month')).toHaveLength(INTERVALS.length * (BUCKETS_MINUTES.length + 1));
  });

  it.each([
    ['(90, 120]: 9 + 4 = 13 -> 15', 90, 15],
    ['(45, 60]: 3 -> suppressed', 45, '*'],
    ['over 28 days: 12 -> 10', 40320, 10],
    ['an empty bucket stays 0', 5, 0],
  ])('controls each bucket: %s', (_why, from, expected) => {
    expect(rows.find((r) => r.fromMinutes === from)?.count).toBe(expected);
  });

  it('splits by period', () => {
    const weeks = distributionRows(days, 'week').filter(
      (r) => r.interval === 'receivedToAssessment' && r.fromMinutes === 90,
    );
    expect(weeks.map((r) => [r.period, r.count])).toEqual([
      ['2026-11-02', 10],
      ['2026-11-16', '*'],
    ]);
  });
});

describe('escalationRows and breachRows', () => {
  it('counts per period and type, controlled', () => {
    expect(nonZero(escalationRows(DAYS, 'month'))).toEqual([
      { period: '2026-11-01', escalationType: 'no-bed', count: 10 }, // 2 + 6
      { period: '2026-12-01', escalationType: 'no-bed', count: '*' },
      { period: '2026-12-01', escalationType: 'no-s12-doctor', count: 10 },
    ]);
    expect(nonZero(escalationRows(DAYS, 'week'))).toEqual([
      { period: '2026-11-09', escalationType: 'no-bed', count: '*' },
      { period: '2026-11-16', escalationType: 'no-bed', count: '*' },
      { period: '2026-11-30', escalationType: 'no-bed', count: '*' },
      { period: '2026-11-30', escalationType: 'no-s12-doctor', count: 10 },
    ]);
    expect(nonZero(breachRows(DAYS, 'month'))).toEqual([{ period: '2026-11-01', power: 's136', count: '*' }]);
  });

  it('lists every escalation type and power in every period, 0 where none', () => {
    const escalations = escalationRows(DAYS, 'month', NHS_SMALL_NUMBERS, {
      range: { from: '2026-10-01', to: '2026-12-31' },
    });
    expect(escalations).toHaveLength(3 * ESCALATION_TYPES.length);
    expect(escalations.filter((r) => r.period === '2026-10-01').every((r) => r.count === 0)).toBe(true);
    expect(
      breachRows([], 'month', NHS_SMALL_NUMBERS, { range: { from: '2026-10-01', to: '2026-10-31' } }).map(
        (r) => r.power,
      ),
    ).toEqual([...POWERS]);
  });
});
