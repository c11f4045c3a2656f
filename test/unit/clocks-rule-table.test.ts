/**
 * Statutory clocks (DOMAIN §4): the rule table as a parameter (MHA reform) and purity.
 * Split out of clocks-thresholds.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  CLOCK_RULES,
  computeClocks,
  thresholdsOf,
  type Clock,
  type ClockFact,
  type ClockRules,
} from '../../shared/domain/clocks.js';
import { d, extended, J1, j1Facts, j1Extended } from '../support/clock-fixtures.js';

describe('rule table as a parameter (MHA reform)', () => {
  const reform: ClockRules = {
    ...CLOCK_RULES,
    version: 'reform-test',
    powers: {
      ...CLOCK_RULES.powers,
      s136: {
        unit: 'hours',
        period: 12,
        extension: { ...CLOCK_RULES.powers.s136.extension, maxHours: 12, once: false },
      },
      s2: { unit: 'days', period: 14 },
    },
    warnings: { hours: [1], days: [2, 1] },
  };

  it.each<{ name: string; facts: ClockFact[]; expected: Partial<Clock> }>([
    {
      name: 'a shorter s.136 period',
      facts: j1Facts,
      expected: { expiresAt: '2026-05-17T10:40:00.000Z', rulesVersion: 'reform-test' },
    },
    {
      name: 'several extensions up to the total, when not once-only',
      facts: [
        ...j1Facts,
        extended('2026-05-17T09:00:00+01:00', 6),
        extended('2026-05-17T15:00:00+01:00', 6),
        extended('2026-05-17T20:00:00+01:00', 1),
      ],
      expected: { expiresAt: '2026-05-17T10:40:00.000Z', extendedUntil: '2026-05-17T22:40:00.000Z' },
    },
    {
      name: 'a shorter s.2',
      facts: [{ type: 'admitted', at: '2026-03-20T10:00:00Z', power: 's2' }],
      expected: { expiresAt: '2026-04-02T23:00:00.000Z' },
    },
  ])('$name', ({ facts, expected }) => {
    expect(computeClocks(facts, d('2026-05-17T00:00:00Z'), reform)[0]).toMatchObject(expected);
  });

  it('warning offsets come from the table too', () => {
    const [s2] = computeClocks(
      [{ type: 'admitted', at: '2026-03-20T10:00:00Z', power: 's2' }],
      d('2026-03-20T10:00:00Z'),
      reform,
    );
    expect(thresholdsOf(s2!, reform).map((t) => `${t.threshold}@${t.at}`)).toEqual([
      'warning-2d@2026-03-31T23:00:00.000Z',
      'warning-1d@2026-04-01T23:00:00.000Z',
      'breach@2026-04-02T23:00:00.000Z',
    ]);
    const [s136] = computeClocks(j1Facts, d(J1.arrival), reform);
    expect(thresholdsOf(s136!, reform).map((t) => t.threshold)).toEqual(['warning-1h', 'breach']);
  });
});

describe('purity', () => {
  it('is deterministic, does not touch its input, and refuses instants without an offset', () => {
    const facts = Object.freeze(j1Extended.map((f) => Object.freeze({ ...f }))) as readonly ClockFact[];
    const now = d('2026-05-17T21:00:00Z');
    expect(computeClocks(facts, now)).toEqual(computeClocks(facts, now));
    expect(() => computeClocks([{ type: 's5-4-recorded', at: '2026-06-10T12:00:00' }], now)).toThrow(RangeError);
    expect(() => computeClocks(facts, new Date(Number.NaN))).toThrow(RangeError);
  });
});
