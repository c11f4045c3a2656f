/**
 * Demand facts and roll-up deltas (DOMAIN §7): what a fact holds, that it holds nothing
 * identifying, and the counter changes each change of a referral implies.
 */
import { describe, expect, it } from 'vitest';
import type { ReferralRecord } from '../../shared/domain/referral.js';
import {
  DIMENSIONS,
  demandFactOf,
  dimsOfTuple,
  rollupDelta,
  tupleOf,
  type DemandFact,
  type Dimension,
} from '../../shared/deidentify/facts.js';
import { bucketOf } from '../../shared/deidentify/histogram.js';
import { factKeyOf, pseudonymousPersonKey } from '../../shared/deidentify/pseudonymise.js';
import { DEFAULT_CALENDAR, type ServiceCalendar } from '../../shared/deidentify/service-calendar.js';
import { KEYS, J1, fact, withRecord } from './deidentify-facts.fixture.js';

describe('demandFactOf', () => {
  it('generalises J1', () => {
    expect(fact()).toEqual({
      factKey: factKeyOf(J1.id, KEYS.pseudonymisation),
      personKey: pseudonymousPersonKey(J1.person, KEYS.pseudonymisation),
      receivedDay: '2026-11-14',
      dims: {
        agencyType: 'police',
        legalStatus: 's136',
        outcome: 'detained-s2',
        ethnicityGroup: 'white',
        ageBand: '25-34',
        sex: 'male',
        lssa: 'E06000055',
        hourOfDay: '23',
        dayOfWeek: '6',
        outOfHours: 'true',
      },
      urgency: 'immediate',
      status: 'outcome-recorded',
      intervals: {
        receivedToAccepted: 11,
        receivedToAllocated: 27,
        receivedToAssessment: 157,
        receivedToOutcome: 347,
        bedRequestedToIdentified: 210,
      },
      escalations: ['no-bed', 'conveyance-delay', 'no-bed'],
      breaches: [],
      flags: [],
      logistics: { delays: [], outOfArea: 0 },
      changeSeq: 14,
    });
  });

  it('contains none of the identifying strings (§7, J5)', () => {
    const serialised = JSON.stringify(fact());
    const forbidden = [
      J1.id,
      J1.reference,
      'Daniel',
      'Marsh',
      'DANIEL',
      'MARSH',
      '1992-03-08',
      '1992',
      '9434765919',
      '943 476 5919',
      'INC-20261114-0457',
      'Jordan',
      'Ellis',
      '7700',
      'org-police-a',
      'client-police-a-cad',
      'officer-4471',
      'amhp-17',
      'svc-e06000055',
      'RC9-ED',
      'MK42',
      'Kempston',
      'Oakwood',
      'parapet',
      'knife',
      'hearing',
      'Ruth',
      'E81001',
      '01JC000000000000000000000A',
      'Street triage',
      'informal admission',
      // No exact time: the receipt is published as the day and the hour only.
      '23:52',
      '2026-11-14T',
      '2026-11-15',
      'T23',
    ];
    for (const s of forbidden) expect(serialised.toLowerCase(), s).not.toContain(s.toLowerCase());
    expect(serialised).not.toMatch(/\d:\d\d/);
  });

  it('is stable and keyed', () => {
    expect(fact()).toEqual(fact());
    const other = demandFactOf(J1, { pseudonymisation: Buffer.alloc(32, 4) });
    expect(other.factKey).not.toBe(fact().factKey);
    expect(other.personKey).not.toBe(fact().personKey);
  });

  it.each<[string, Partial<ReferralRecord>, Partial<Record<Dimension, string>>]>([
    ['pending before an outcome', { status: 'allocated', outcome: undefined }, { outcome: 'pending' }],
    ['not accepted', { status: 'not-accepted', outcome: undefined }, { outcome: 'not-accepted' }],
    ['withdrawn', { status: 'withdrawn', outcome: undefined }, { outcome: 'withdrawn' }],
    ['closed without an outcome', { status: 'closed', outcome: undefined }, { outcome: 'closed-without-outcome' }],
    ['closed after an outcome keeps it', { status: 'closed' }, { outcome: 'detained-s2' }],
    [
      'an amended outcome',
      { outcome: { ...J1.outcome!, outcome: 'informal-admission', amendments: 1 } },
      { outcome: 'informal-admission' },
    ],
    [
      'received in hours (Mon 10:15 GMT)',
      { receivedAt: '2026-11-16T10:15:00Z' },
      { hourOfDay: '10', dayOfWeek: '1', outOfHours: 'false' },
    ],
    [
      'received at 08:30 BST (07:30Z)',
      { receivedAt: '2026-06-15T07:30:00Z' },
      { hourOfDay: '8', dayOfWeek: '1', outOfHours: 'true' },
    ],
    [
      'received on a bank holiday',
      { receivedAt: '2026-12-28T11:00:00Z' },
      { hourOfDay: '11', dayOfWeek: '1', outOfHours: 'true' },
    ],
    ['a referrer of another agency', { referrer: { ...J1.referrer, agencyType: 'cmht' } }, { agencyType: 'cmht' }],
    [
      'another ethnic category',
      { person: { ...J1.person, ethnicity: '99' } as ReferralRecord['person'] },
      { ethnicityGroup: 'not-known' },
    ],
    ['sex as given', { person: { ...J1.person, sex: 'not-known' } as ReferralRecord['person'] }, { sex: 'not-known' }],
    [
      '18 on the day of receipt',
      { person: { ...J1.person, dateOfBirth: '2008-11-14' } as ReferralRecord['person'] },
      { ageBand: '18-24' },
    ],
    [
      'a date of birth after receipt (corrected later)',
      { person: { ...J1.person, dateOfBirth: '2026-12-01' } as ReferralRecord['person'] },
      { ageBand: 'unknown' },
    ],
  ])('%s', (_why, over, dims) => {
    expect(fact(withRecord(over)).dims).toMatchObject(dims);
  });

  it('bands an unidentified person by the estimate and gives no person key', () => {
    const unknown = withRecord({
      person: {
        identityUnknown: true,
        description: 'Man in his thirties, grey hoodie',
        estimatedAgeBand: '35-44',
        sex: 'male',
        ethnicity: 'Z',
      },
    });
    const f = fact(unknown);
    expect(f.personKey).toBeUndefined();
    expect('personKey' in f).toBe(false);
    expect(f.dims).toMatchObject({ ageBand: '35-44', ethnicityGroup: 'not-stated' });
    expect(JSON.stringify(f)).not.toContain('hoodie');
    const noEstimate = { ...unknown, person: { identityUnknown: true, sex: 'male', ethnicity: 'Z' } };
    expect(fact(noEstimate).dims.ageBand).toBe('unknown');
  });

  it('keys a person without an NHS number by name and date of birth', () => {
    const { nhsNumber: _n, ...person } = J1.person as Extract<ReferralRecord['person'], { givenName: string }>;
    const f = fact(withRecord({ person }));
    expect(f.personKey).toBeDefined();
    expect(f.personKey).not.toBe(fact().personKey);
  });

  it.each<[string, ReferralRecord['milestones'], DemandFact['intervals']]>([
    ['none yet', {}, {}],
    [
      'assessment started wins over the medical examination',
      { assessmentStarted: '2026-11-15T01:52:17.123Z', medicalExamination: '2026-11-15T02:30:00Z' },
      { receivedToAssessment: 120 },
    ],
    ['whole minutes, rounded down', { accepted: '2026-11-14T23:53:17.122Z' }, { receivedToAccepted: 0 }],
    ['exactly a minute', { accepted: '2026-11-14T23:53:17.123Z' }, { receivedToAccepted: 1 }],
    ['a bed requested but not yet found', { bedRequested: '2026-11-15T05:45:00Z' }, {}],
    [
      'a fact reported as before receipt is not a wait',
      {
        medicalExamination: '2026-11-14T22:00:00Z',
        bedRequested: '2026-11-15T05:00:00Z',
        bedIdentified: '2026-11-15T04:00:00Z',
      },
      {},
    ],
  ])('intervals: %s', (_why, milestones, intervals) => {
    expect(fact(withRecord({ milestones })).intervals).toEqual(intervals);
  });

  it('keeps the legal status at receipt when given the previous fact', () => {
    const before = fact(withRecord({ status: 'allocated', outcome: undefined }));
    const changed = withRecord({ legalStatus: { status: 's2', admittedAt: '2026-11-15T06:00:00Z' } });
    expect(fact(changed).dims.legalStatus).toBe('s2');
    expect(fact(changed, undefined, before).dims.legalStatus).toBe('s136');
  });

  it('uses the service calendar it is given', () => {
    const night: ServiceCalendar = {
      ...DEFAULT_CALENDAR,
      id: 'incl-sat-night',
      days: [6],
      start: '20:00',
      end: '23:59',
    };
    expect(fact(J1, night).dims.outOfHours).toBe('false');
  });

  it('copes with a record written before the bookkeeping arrays existed', () => {
    const { milestones: _m, escalations: _e, breaches: _b, ...old } = J1;
    const f = fact(old);
    expect(f).toMatchObject({ intervals: {}, escalations: [], breaches: [] });
  });

  it('refuses a value that would corrupt the counter names', () => {
    expect(() => fact(withRecord({ referrer: { ...J1.referrer, agencyType: 'police|x' } }))).toThrow(RangeError);
  });
});

describe('tupleOf and dimsOfTuple', () => {
  const dims = fact().dims;
  it('joins in DIMENSIONS order and splits back', () => {
    expect(tupleOf(dims)).toBe('police|s136|detained-s2|white|25-34|male|E06000055|23|6|true');
    expect(dimsOfTuple(tupleOf(dims))).toEqual(dims);
    expect(Object.keys(dimsOfTuple(tupleOf(dims)))).toEqual([...DIMENSIONS]);
  });

  it.each<[string, () => unknown]>([
    ["a value containing '|'", () => tupleOf({ ...dims, sex: 'a|b' })],
    ['a missing dimension', () => tupleOf({ ...dims, lssa: undefined } as unknown as Record<Dimension, string>)],
    ['too few values', () => dimsOfTuple('police|s136')],
    ['too many values', () => dimsOfTuple(`${tupleOf(dims)}|extra`)],
  ])('refuses %s', (_why, f) => {
    expect(f).toThrow(RangeError);
  });
});

describe('rollupDelta', () => {
  const received = withRecord({
    status: 'received',
    outcome: undefined,
    milestones: {},
    escalations: [],
    breaches: [],
    changeSeq: 1,
  });
  const pendingTuple = tupleOf({ ...fact().dims, outcome: 'pending' });
  const outcomeTuple = tupleOf(fact().dims);

  it('a new fact: all +1', () => {
    expect(rollupDelta(undefined, fact(received))).toEqual({ [`n|${pendingTuple}`]: 1 });
    expect(rollupDelta(undefined, fact())).toEqual({
      [`n|${outcomeTuple}`]: 1,
      [`h|receivedToAccepted|${bucketOf(11)}`]: 1,
      [`h|receivedToAllocated|${bucketOf(27)}`]: 1,
      [`h|receivedToAssessment|${bucketOf(157)}`]: 1,
      [`h|receivedToOutcome|${bucketOf(347)}`]: 1,
      [`h|bedRequestedToIdentified|${bucketOf(210)}`]: 1,
      'e|no-bed': 2,
      'e|conveyance-delay': 1,
    });
  });

  it('an identical fact: no change', () => {
    expect(rollupDelta(fact(), fact())).toEqual({});
    expect(rollupDelta(fact(received), fact(received))).toEqual({});
  });

  it('an outcome: −1 on the old tuple, +1 on the new one, and its interval', () => {
    const allocated = withRecord({
      status: 'allocated',
      outcome: undefined,
      milestones: { ...J1.milestones, outcomeRecorded: undefined, bedRequested: undefined, bedIdentified: undefined },
      escalations: [],
    });
    const recorded = withRecord({
      milestones: { ...J1.milestones, bedRequested: undefined, bedIdentified: undefined },
      escalations: [],
    });
    expect(rollupDelta(fact(allocated), fact(recorded))).toEqual({
      [`n|${pendingTuple}`]: -1,
      [`n|${outcomeTuple}`]: 1,
      'h|receivedToOutcome|11': 1,
    });
  });

  it('an escalation and a breach: only their counters', () => {
    const before = fact(withRecord({ escalations: ['no-bed'] }));
    const after = fact(withRecord({ escalations: ['no-bed', 'no-s12-doctor'], breaches: ['s136'] }));
    expect(rollupDelta(before, after)).toEqual({ 'e|no-s12-doctor': 1, 'b|s136': 1 });
  });

  it('a flag raised: one count per referral and code, resolved or not; codes only, never anything else', () => {
    const flag = (code: string, resolvedAt?: string) => ({
      code,
      raisedAt: '2026-11-15T01:00:00Z',
      seq: 9,
      ...(resolvedAt ? { resolvedAt } : {}),
    });
    const before = fact(withRecord({ flags: [flag('evidence-too-few-recommendations')] } as Partial<ReferralRecord>));
    const after = fact(
      withRecord({
        flags: [
          flag('evidence-too-few-recommendations', '2026-11-15T02:00:00Z'),
          flag('nearest-relative-not-informed'),
          flag('nearest-relative-not-informed', '2026-11-15T03:00:00Z'),
          flag('Ruth Marsh, 07700 900456'),
        ],
      } as unknown as Partial<ReferralRecord>),
    );
    // Raised twice (cleared, then raised again) is still one referral that raised it; an
    // unknown "code" (free text that slipped in) is dropped rather than copied.
    expect(after.flags).toEqual(['evidence-too-few-recommendations', 'nearest-relative-not-informed']);
    expect(JSON.stringify(after)).not.toContain('Ruth');
    expect(rollupDelta(before, after)).toEqual({ 'f|nearest-relative-not-informed': 1 });
    expect(rollupDelta(undefined, before)).toMatchObject({ 'f|evidence-too-few-recommendations': 1 });
    // A fact stored before flags were counted contributes none.
    const { flags: _f, ...old } = before;
    expect(rollupDelta(old as DemandFact, before)).toEqual({ 'f|evidence-too-few-recommendations': 1 });
  });

  it('a duration that moves bucket: −1 old bucket, +1 new bucket', () => {
    const a = fact(withRecord({ milestones: { accepted: '2026-11-14T23:56:17.123Z' } })); // 4 minutes
    const b = fact(withRecord({ milestones: { accepted: '2026-11-15T00:02:17.123Z' } })); // 10 minutes
    expect(rollupDelta(a, b)).toEqual({ 'h|receivedToAccepted|0': -1, 'h|receivedToAccepted|1': 1 });
  });

  it("applying every delta in turn leaves exactly the last fact's contributions", () => {
    const steps = [received, withRecord({ status: 'allocated', outcome: undefined, escalations: ['no-bed'] }), J1].map(
      (r) => fact(r),
    );
    const totals: Record<string, number> = {};
    let previous: DemandFact | undefined;
    for (const step of steps) {
      for (const [k, v] of Object.entries(rollupDelta(previous, step))) totals[k] = (totals[k] ?? 0) + v;
      previous = step;
    }
    const nonZero = Object.fromEntries(Object.entries(totals).filter(([, v]) => v !== 0));
    expect(nonZero).toEqual(rollupDelta(undefined, fact()));
  });

  it.each<[string, Partial<DemandFact>]>([
    ['a different received day', { receivedDay: '2026-11-15' }],
    ['a different LSSA', { dims: { ...fact().dims, lssa: 'E06000056' } }],
  ])('refuses facts with %s', (_why, over) => {
    expect(() => rollupDelta({ ...fact(), ...over }, fact())).toThrow(RangeError);
  });
});
