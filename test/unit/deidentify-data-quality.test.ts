/** The data-quality extract's rows (shared/deidentify/data-quality.ts): zero-filled, summed, then controlled. */
import { describe, expect, it } from 'vitest';
import { dataQualityRows } from '../../shared/deidentify/data-quality.js';
import { FLAG_CODES } from '../../shared/domain/vocabulary.js';

const n = (count: number) => ({ 'n|police|s136|pending|white|25-34|male|E06000055|23|6|true': count });

describe('dataQualityRows', () => {
  it('every flag code in every period of the range, 0 where none was raised', () => {
    const rows = dataQualityRows([], { from: '2026-11-02', to: '2026-11-15' }, 'week');
    expect(rows).toHaveLength(2 * FLAG_CODES.length);
    expect(new Set(rows.map((r) => r.period))).toEqual(new Set(['2026-11-02', '2026-11-09']));
    expect(rows.map((r) => r.flag).slice(0, FLAG_CODES.length)).toEqual([...FLAG_CODES]);
    expect(rows.every((r) => r.referrals === 0 && r.received === 0 && r.percentOfReceived === null)).toBe(true);
  });

  it('sums the days of a period before control: four days of 2 are 8 (shown 10), not four suppressed cells', () => {
    const days = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05'].map((day) => ({
      day,
      lssa: 'E06000055',
      counters: { ...n(5), 'f|evidence-too-few-recommendations': 2, 'f|reasons-in-writing-pending': 1 },
    }));
    const rows = dataQualityRows(days, { from: '2026-11-02', to: '2026-11-08' }, 'week');
    const row = (flag: string) => rows.find((r) => r.flag === flag)!;
    expect(row('evidence-too-few-recommendations')).toEqual({
      period: '2026-11-02',
      flag: 'evidence-too-few-recommendations',
      referrals: 10,
      received: 20,
      percentOfReceived: 50,
    });
    expect(row('reasons-in-writing-pending')).toMatchObject({ referrals: '*', received: 20, percentOfReceived: '*' });
    expect(row('s136-in-dwelling')).toMatchObject({ referrals: 0, percentOfReceived: 0 });
  });

  it('ignores other counters and refuses a negative total (deltas applied twice)', () => {
    const days = [
      { day: '2026-11-02', lssa: 'E06000055', counters: { 'e|no-bed': 40, 'b|s136': 9, 'h|receivedToOutcome|3': 30 } },
    ];
    expect(dataQualityRows(days, { from: '2026-11-02', to: '2026-11-02' }, 'day').every((r) => r.referrals === 0)).toBe(
      true,
    );
    expect(() =>
      dataQualityRows(
        [{ day: '2026-11-02', lssa: 'E06000055', counters: { 'f|s136-in-dwelling': -1 } }],
        { from: '2026-11-02', to: '2026-11-02' },
        'day',
      ),
    ).toThrow(RangeError);
  });
});
