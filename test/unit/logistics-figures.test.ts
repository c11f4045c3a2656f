/**
 * The pure rules of assessment logistics (DOMAIN §9, §7; issue #20), continued from
 * logistics.test.ts: per-service calendars and the logistics figures under disclosure control.
 */
import { describe, expect, it } from 'vitest';
import type { LogisticsRequest } from '../../shared/domain/logistics.js';
import {
  calendarOf,
  DEFAULT_CALENDAR,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  isOutOfHours,
} from '../../shared/deidentify/service-calendar.js';
import { logisticsContributions, logisticsFactOf } from '../../shared/deidentify/logistics-facts.js';
import {
  delayRows,
  monthsForRepeats,
  placementRows,
  repeatRows,
  s136Rows,
} from '../../shared/deidentify/logistics-extracts.js';
import type { DemandFact } from '../../shared/deidentify/facts.js';

const T = (m: number) => new Date(Date.UTC(2026, 10, 16, 10, 0) + m * 60_000).toISOString();

describe("each service's calendar", () => {
  const extended = calendarOf('amhp-service-south', {
    days: [1, 2, 3, 4, 5],
    start: '08:00',
    end: '18:00',
    bankHolidays: 'england-and-wales',
  });
  it.each<[string, boolean, boolean]>([
    ['2026-11-16T08:30:00Z', true, false], // Monday 08:30 GMT
    ['2026-11-16T17:30:00Z', true, false],
    ['2026-11-16T18:00:00Z', true, true],
    ['2026-11-16T12:00:00Z', false, false],
    ['2026-12-28T12:00:00Z', true, true], // the Boxing Day substitute
    ['2026-07-06T07:30:00Z', true, false], // 08:30 BST
    ['2028-01-03T12:00:00Z', true, true], // New Year substitute, from the data file
  ])('%s: out of hours at 09:00–17:00 %s, at 08:00–18:00 %s', (iso, def, ext) => {
    expect(isOutOfHours(new Date(iso), calendarOf('amhp-service', undefined))).toBe(def);
    expect(isOutOfHours(new Date(iso), extended)).toBe(ext);
  });
  it('without a setting the default; bank holidays from the data file, sorted, to 2030', () => {
    expect(calendarOf('x', undefined)).toBe(DEFAULT_CALENDAR);
    expect([...ENGLAND_AND_WALES_BANK_HOLIDAYS].sort()).toEqual(ENGLAND_AND_WALES_BANK_HOLIDAYS);
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((d) => d.startsWith('2030-'))).toHaveLength(8);
    expect(calendarOf('x', { days: [1], start: '08:00', end: '18:00', bankHolidays: 'none' }).bankHolidays).toEqual([]);
  });
});

describe('logistics figures', () => {
  const waits: LogisticsRequest[] = [
    { cause: 'police', requestedAt: T(0), seq: 2, answeredAt: T(35), answer: 'arrived' },
    { cause: 'bed', requestedAt: T(0), seq: 3, answeredAt: T(300), answer: 'out-of-area' },
    { cause: 'interpreter', requestedAt: T(0), seq: 4 },
  ];
  const clocks = [{ power: 's136', startsAt: T(0), endedAt: T(600) }];

  it('a fact holds delays, the s.136 duration and out-of-area placements, and their counters', () => {
    const fact = logisticsFactOf({ logistics: waits, clocks });
    expect(fact).toEqual({
      delays: [
        { cause: 'police', minutes: 35 },
        { cause: 'bed', minutes: 300 },
      ],
      s136Minutes: 600,
      outOfArea: 1,
    });
    expect(logisticsContributions(fact)).toEqual(['d|police|5', 'd|bed|11', 'x|s136|13', 'o|out-of-area']);
    expect(logisticsFactOf({ clocks: [{ power: 's136', startsAt: T(0) }] })).toEqual({ delays: [], outOfArea: 0 });
  });

  const day = (d: string, counters: Record<string, number>) => ({ day: d, lssa: 'E06000055', counters });

  it.each<[number, number | '*', number | '*' | null]>([
    [0, 0, null],
    [3, '*', '*'],
    [12, 10, '*'],
    [20, 20, 35],
  ])('delays by cause: %i police records publish %s records and median %s', (n, records, median) => {
    const rows = delayRows([day('2026-11-16', n ? { 'd|police|6': n } : { 'n|x': 1 })], 'day');
    expect(rows.map((r) => r.cause)).toEqual([
      's12-doctor',
      'second-doctor',
      'police',
      'conveyance',
      'interpreter',
      'bed',
    ]);
    const police = rows.find((r) => r.cause === 'police')!;
    expect(police.records).toBe(records);
    if (typeof median === 'number') expect(police.medianMinutes).toBeGreaterThanOrEqual(30);
    else expect(police.medianMinutes).toBe(median);
  });

  it('s.136 durations with their breaches; placements and unlawful-place flags, controlled', () => {
    const days = [
      day('2026-11-16', { 'x|s136|13': 25, 'b|s136': 9, 'o|out-of-area': 2, 'f|unlawful-place-of-safety': 8 }),
    ];
    expect(s136Rows(days, 'day')).toEqual([
      {
        period: '2026-11-16',
        records: 25,
        medianMinutes: expect.any(Number),
        p90Minutes: expect.any(Number),
        breaches: 10,
      },
    ]);
    expect(placementRows(days, 'day')).toEqual([
      { period: '2026-11-16', measure: 'out-of-area-placements', count: '*' },
      { period: '2026-11-16', measure: 'police-station-without-authorisation', count: 0 },
      { period: '2026-11-16', measure: 's136-in-dwelling', count: 0 },
      { period: '2026-11-16', measure: 'unlawful-place-of-safety', count: 10 },
    ]);
  });

  const fact = (personKey: string | undefined, receivedDay: string, factKey: string) =>
    ({ personKey, receivedDay, factKey }) as DemandFact;

  it(
    'repeats within 30/90 days count in the later referral’s ' + 'period, earlier months included, closed ones too',
    () => {
      const facts: DemandFact[] = [];
      // 10 people referred on 1 Aug and again on 20 Nov (>90 days): no repeat; 10 on 1 Nov and 20 Nov (19 days): both.
      for (let i = 0; i < 10; i++)
        facts.push(fact(`a${i}`, '2026-08-01', `fa${i}`), fact(`a${i}`, '2026-11-20', `ga${i}`));
      for (let i = 0; i < 10; i++)
        facts.push(fact(`b${i}`, '2026-11-01', `fb${i}`), fact(`b${i}`, '2026-11-20', `gb${i}`));
      // 8 referred 1 Sep and 20 Nov (80 days): within 90 only. Unidentified people never repeat.
      for (let i = 0; i < 8; i++)
        facts.push(
          fact(`c${i}`, '2026-09-01', `fc${i}`),
          fact(`c${i}`, '2026-11-20', `gc${i}`),
          fact(undefined, '2026-11-20', `u${i}`),
        );
      expect(repeatRows(facts, 'month', '2026-11-01', '2026-11-30')).toEqual([
        { period: '2026-11-01', referrals: 40, within30Days: 10, within90Days: 20 },
      ]);
      expect(monthsForRepeats('2026-11-01', '2026-11-30')).toEqual(['2026-08', '2026-09', '2026-10', '2026-11']);
    },
  );
});
