/** The Demand view's figures are the extract's published cells, unchanged, and so are its CSVs. */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  bucketLabel,
  buckets,
  bucketsCsv,
  crossTab,
  crossTabCsv,
  heatmap,
  heatmapCsv,
  maxCount,
  shade,
} from '../../console/src/figures.js';

describe('heatmap', () => {
  const rows = [
    { period: '2026-11-01', dayOfWeek: '2', hourOfDay: '2', count: 10 },
    { period: '2026-11-01', dayOfWeek: '6', hourOfDay: '14', count: 10 },
    { period: '2026-11-01', dayOfWeek: '3', hourOfDay: '9', count: '*' },
    { period: '2026-11-01', dayOfWeek: '7', hourOfDay: '23', count: 155 },
  ];
  const grid = heatmap(rows);

  it('puts each published cell at its day (Monday = 1) and hour, and 0 where the extract lists none', () => {
    expect(grid).toHaveLength(7);
    expect(grid.every((r) => r.length === 24)).toBe(true);
    expect(grid[1]![2]).toBe(10);
    expect(grid[5]![14]).toBe(10);
    expect(grid[2]![9]).toBe('*');
    expect(grid[6]![23]).toBe(155);
    expect(grid.flat().filter((c) => c !== 0)).toHaveLength(4);
  });

  it('writes a CSV of exactly the 168 figures shown', () => {
    const parsed = parse(heatmapCsv(grid)) as string[][];
    expect(parsed[0]).toEqual(['day', ...Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'))]);
    expect(parsed.slice(1).map((r) => r[0])).toEqual([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    expect(parsed.slice(1).map((r) => r.slice(1))).toEqual(grid.map((r) => r.map(String)));
  });

  it('refuses a cell that is neither a whole number nor *', () => {
    expect(() => heatmap([{ dayOfWeek: '1', hourOfDay: '0', count: 2.5 }])).toThrow(RangeError);
  });

  it.each([
    [0, 100, 0],
    ['*', 100, 0],
    [10, 100, 1],
    [100, 100, 5],
    [55, 100, 3],
  ] as const)('shade(%s of max %i) = %i', (cell, max, level) => expect(shade(cell, max)).toBe(level));

  it('takes the largest published number as the scale, ignoring *', () => expect(maxCount([5, '*', 20, 0])).toBe(20));
});

describe('crossTab', () => {
  const rows = [
    { ethnicityGroup: 'white', outcome: 'detained-s2', count: 15 },
    { ethnicityGroup: 'black', outcome: 'detained-s2', count: '*' },
    { ethnicityGroup: 'white', outcome: 'community-support', count: 10 },
  ];
  const t = crossTab(rows, 'ethnicityGroup', 'outcome', [], ['detained-s2', 'community-support']);

  it('orders columns as given and rows by value; absent combinations read 0; * stays *', () => {
    expect(t.columns).toEqual(['detained-s2', 'community-support']);
    expect(t.rows).toEqual(['black', 'white']);
    expect(t.cell('black', 'detained-s2')).toBe('*');
    expect(t.cell('black', 'community-support')).toBe(0);
    expect(t.cell('white', 'detained-s2')).toBe(15);
  });

  it('CSV: the same table', () => {
    expect(parse(crossTabCsv(t, 'ethnicity group'))).toEqual([
      ['ethnicity group', 'detained-s2', 'community-support'],
      ['black', '*', '0'],
      ['white', '15', '10'],
    ]);
  });
});

describe('time-to-assessment buckets', () => {
  const distribution = [
    { period: '2026-11-01', interval: 'receivedToAssessment', fromMinutes: 60, toMinutes: 90, count: 10 },
    { period: '2026-11-01', interval: 'receivedToAssessment', fromMinutes: 0, toMinutes: 5, count: 0 },
    { period: '2026-11-01', interval: 'receivedToAssessment', fromMinutes: 40320, toMinutes: null, count: '*' },
    { period: '2026-11-01', interval: 'receivedToOutcome', fromMinutes: 0, toMinutes: 5, count: 20 },
  ];

  it('keeps one interval, in order', () => {
    expect(buckets(distribution, 'receivedToAssessment').map((b) => [b.fromMinutes, b.count])).toEqual([
      [0, 0],
      [60, 10],
      [40320, '*'],
    ]);
  });

  it.each([
    [{ fromMinutes: 0, toMinutes: 5 }, '0 to 5 min'],
    [{ fromMinutes: 60, toMinutes: 90 }, '1 h to 1.5 h'],
    [{ fromMinutes: 1440, toMinutes: 2160 }, '24 h to 36 h'],
    [{ fromMinutes: 40320, toMinutes: null }, 'over 28 d'],
  ])('labels %o as %s', (b, text) => expect(bucketLabel(b)).toBe(text));

  it('CSV: label, bounds and the published count', () => {
    expect(parse(bucketsCsv(buckets(distribution, 'receivedToAssessment')))).toEqual([
      ['time to assessment', 'from minutes', 'to minutes', 'referrals'],
      ['0 to 5 min', '0', '5', '0'],
      ['1 h to 1.5 h', '60', '90', '10'],
      ['over 28 d', '40320', '', '*'],
    ]);
  });
});
