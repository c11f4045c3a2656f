/**
 * Record-level extracts (DOMAIN §7, issue #15 item 4): k ≥ 5 over every column a released row
 * carries except its keys, generalising before withholding, banded intervals, and keys that
 * differ per data-sharing agreement and period.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INTERVALS, type DemandFact, type Dimension } from '../../shared/deidentify/facts.js';
import { extractKeyOf } from '../../shared/deidentify/pseudonymise.js';
import { QUASI_COLUMN_NAMES, recordExtract } from '../../shared/deidentify/record-extract.js';
import { BASE_DIMENSIONS } from '../support/dimensions.js';

const BASE: Readonly<Record<Dimension, string>> = BASE_DIMENSIONS;
let seq = 0;
const fact = (dims: Partial<Record<Dimension, string>> = {}, extra: Partial<DemandFact> = {}): DemandFact => ({
  factKey: `fact-${++seq}`,
  personKey: `person-${seq}`,
  receivedDay: '2026-11-14',
  dims: { ...BASE, ...dims },
  urgency: 'immediate',
  status: 'received',
  intervals: {},
  escalations: [],
  breaches: [],
  changeSeq: 1,
  ...extra,
});

/** How often each released row's combination of every non-key column occurs among the released rows. */
const smallestClass = (rows: { values: Record<string, string> }[]) => {
  const counts = new Map<string, number>();
  const key = (v: Record<string, string>) => JSON.stringify(QUASI_COLUMN_NAMES.map((c) => v[c]));
  for (const r of rows) counts.set(key(r.values), (counts.get(key(r.values)) ?? 0) + 1);
  return Math.min(...counts.values());
};

const oneOf = <T>(...values: T[]) => fc.constantFrom(...values);
const factArb = fc
  .record({
    agencyType: oneOf('police', 'ambulance', 'emergency-department', 'cmht', 'crisis-team', 'gp'),
    legalStatus: oneOf('s136', 's135-1', 's5-2', 's2', 'informal', 'none-known', 'cto'),
    outcome: oneOf(
      'pending',
      'detained-s2',
      'detained-s3',
      'informal-admission',
      'no-further-action',
      'not-accepted',
      'withdrawn',
    ),
    ethnicityGroup: oneOf('white', 'mixed', 'asian', 'black', 'other', 'not-stated', 'not-known'),
    ageBand: oneOf('0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+', 'unknown'),
    sex: oneOf('male', 'female', 'indeterminate', 'not-known'),
    lssa: oneOf('E06000055', 'E06000056'),
    hourOfDay: fc.integer({ min: 0, max: 23 }).map(String),
    dayOfWeek: fc.integer({ min: 1, max: 7 }).map(String),
    outOfHours: oneOf('true', 'false'),
    urgency: oneOf('immediate', 'today', 'planned'),
    status: oneOf('received', 'accepted', 'allocated', 'closed', 'withdrawn'),
    accepted: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
    outcomeAfter: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: undefined }),
    escalations: fc.array(oneOf('no-bed', 'no-s12-doctor', 'cross-border-dispute'), { maxLength: 2 }),
    breaches: fc.array(oneOf('s136', 's5-2'), { maxLength: 1 }),
  })
  .map(({ urgency, status, accepted, outcomeAfter, escalations, breaches, ...dims }) =>
    fact(dims, {
      urgency,
      status,
      escalations,
      breaches,
      intervals: {
        ...(accepted !== undefined ? { receivedToAccepted: accepted } : {}),
        ...(outcomeAfter !== undefined ? { receivedToOutcome: outcomeAfter } : {}),
      },
    }),
  );

describe('recordExtract', () => {
  it(
    'property: no released row’s quasi-identifier combination occurs fewer than 5 times, and the count ' +
      'withheld is exact',
    () => {
      fc.assert(
        fc.property(fc.array(factArb, { maxLength: 300 }), fc.constantFrom(0, 0.05, 0.2), (facts, share) => {
          const out = recordExtract(facts, { k: 5, maxWithheldShare: share });
          if (out.rows.length) expect(smallestClass(out.rows)).toBeGreaterThanOrEqual(5);
          expect(out.withheld).toBe(facts.length - out.rows.length);
          if (facts.length >= 5) expect(out.withheld).toBeLessThanOrEqual(Math.max(share * facts.length, 0));
        }),
        { numRuns: 60 },
      );
    },
  );

  it(
    'every released column is a quasi-identifier: hour, weekday, agency, legal status, outcome, intervals ' +
      'included',
    () => {
      expect(QUASI_COLUMN_NAMES).toEqual(
        expect.arrayContaining([
          'ageBand',
          'sex',
          'ethnicityGroup',
          'lssa',
          'agencyType',
          'legalStatus',
          'outcome',
          'hourBand',
          'weekday',
          'outOfHours',
          'urgency',
          'status',
          'escalations',
          'breaches',
          ...INTERVALS,
        ]),
      );
    },
  );

  it(
    'the finding: rows alike on the five old columns but unique on hour and agency are no longer released as ' +
      'they are',
    () => {
      const facts = [
        ...Array.from({ length: 5 }, (_, i) =>
          fact({ hourOfDay: String(i * 4), agencyType: i % 2 ? 'police' : 'cmht' }),
        ),
      ];
      const out = recordExtract(facts, { k: 5, maxWithheldShare: 0 });
      expect(out.rows).toHaveLength(5);
      // Released only after hour and agency were generalised into one class.
      expect(smallestClass(out.rows)).toBe(5);
      expect(new Set(out.rows.map((r) => r.values.hourBand)).size).toBe(1);
      expect(new Set(out.rows.map((r) => r.values.agencyType)).size).toBe(1);
    },
  );

  it('generalises before withholding: the hour falls to a band, then a day part, before a row is withheld', () => {
    // Ten referrals in the night: hours 0–7 in two 4-hour bands of 5 each → released at band level,
    // nothing withheld.
    const bands = [
      ...Array.from({ length: 5 }, (_, i) => fact({ hourOfDay: String(i % 4) })),
      ...Array.from({ length: 5 }, (_, i) => fact({ hourOfDay: String(4 + (i % 4)) })),
    ];
    const atBand = recordExtract(bands, { k: 5, maxWithheldShare: 0 });
    expect(atBand.withheld).toBe(0);
    expect(atBand.levels.hourBand).toBe(0);
    expect(new Set(atBand.rows.map((r) => r.values.hourBand))).toEqual(new Set(['00-03', '04-07']));
    // Three and seven: the band cannot hold 5, the day part can.
    const uneven = [
      ...Array.from({ length: 3 }, () => fact({ hourOfDay: '1' })),
      ...Array.from({ length: 7 }, () => fact({ hourOfDay: '6' })),
    ];
    const atPart = recordExtract(uneven, { k: 5, maxWithheldShare: 0 });
    expect(atPart.withheld).toBe(0);
    expect(atPart.levels.hourBand).toBe(1);
    expect(atPart.rows.every((r) => r.values.hourBand === 'night')).toBe(true);
  });

  it('withholds what generalisation cannot save within the allowed share, and counts it', () => {
    const facts = [...Array.from({ length: 40 }, () => fact()), fact({ sex: 'indeterminate' })];
    const out = recordExtract(facts, { k: 5, maxWithheldShare: 0.05 });
    // Generalising sex for all 41 to save one row is not worth it at 5 %: the one row is withheld.
    expect(out.withheld).toBe(1);
    expect(out.levels.sex).toBe(0);
    expect(out.rows.map((r) => r.values.sex)).toEqual(Array(40).fill('male'));
  });

  it('intervals are banded, never minutes', () => {
    const facts = Array.from({ length: 5 }, (_, i) =>
      fact({}, { intervals: { receivedToAccepted: 61 + i, receivedToOutcome: 3000 + i } }),
    );
    const out = recordExtract(facts, { k: 5, maxWithheldShare: 0 });
    expect(out.rows.map((r) => [r.values.receivedToAccepted, r.values.receivedToOutcome])).toEqual(
      Array(5).fill(['1-4h', '1-3d']),
    );
    for (const r of out.rows) for (const i of INTERVALS) expect(r.values[i]).not.toMatch(/^\d+$/);
  });

  it('fewer than k rows in all: everything withheld', () => {
    expect(recordExtract([fact(), fact()], { k: 5, maxWithheldShare: 0 })).toMatchObject({ rows: [], withheld: 2 });
    expect(() => recordExtract([], { k: 0, maxWithheldShare: 0 })).toThrow(RangeError);
  });
});

describe('extractKeyOf', () => {
  const key = Buffer.alloc(32, 9);
  it('the same person has one key within an extract, another under another agreement or month', () => {
    const a = extractKeyOf('person', 'stored-person-key', 'DSA-1', '2026-11', key);
    expect(extractKeyOf('person', 'stored-person-key', 'DSA-1', '2026-11', key)).toBe(a);
    expect(extractKeyOf('person', 'stored-person-key', 'DSA-2', '2026-11', key)).not.toBe(a);
    expect(extractKeyOf('person', 'stored-person-key', 'DSA-1', '2026-12', key)).not.toBe(a);
    expect(extractKeyOf('record', 'stored-person-key', 'DSA-1', '2026-11', key)).not.toBe(a);
    expect(a).not.toContain('stored-person-key');
  });
});
