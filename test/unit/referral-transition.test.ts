/**
 * The transition function rule by rule (DOMAIN §2, §3.1, §4): tables of cases, each one event
 * sent by one sender to a referral in a given state, and what the Hub answers.
 */
import { describe, expect, it } from 'vitest';
import { decide, type Decision } from '../../shared/domain/referral-transition.js';
import { ageBandAt, type ReferralRecord } from '../../shared/domain/referral.js';
import { dueThresholds } from '../../shared/domain/clocks.js';
import { ReferralEventInput } from '../../shared/schemas/referral-events.js';
import { REGISTER, SENDERS, received, type IntakeKind, type SenderName } from '../support/lifecycle-fixtures.js';

const T0 = new Date('2026-12-04T20:00:00Z');
const minutes = (m: number, from = T0) => new Date(from.getTime() + m * 60_000);
const iso = (m: number) => minutes(m).toISOString();
const AUTHORISER = { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' };

type Step = [SenderName, Record<string, unknown>];

/** Sends one parsed event; the AMHP it names is looked up on the fixture register. */
function send(r: ReferralRecord, who: SenderName, raw: Record<string, unknown>, now = T0): Decision {
  const event = ReferralEventInput.parse(raw);
  const named = 'amhpId' in event ? event.amhpId : 'toAmhpId' in event ? event.toAmhpId : undefined;
  const target = named ? REGISTER[named] : undefined;
  return decide({ record: r, event, sender: SENDERS[who], ...(target ? { target } : {}), now });
}

/** Applies steps that must all succeed. */
function walk(r: ReferralRecord, steps: readonly Step[], now = T0): ReferralRecord {
  for (const [who, event] of steps) {
    const d = send(r, who, event, now);
    if (!d.ok) throw new Error(`${who} ${String(event.type)}: ${d.refusal.code} ${d.refusal.detail}`);
    r = d.next;
  }
  return r;
}

const TRIAGED: Step[] = [
  ['lead', { type: 'start-review' }],
  ['lead', { type: 'accept', reason: 'Assessment needed tonight.' }],
];
const ALLOCATED_SAM: Step[] = [
  ...TRIAGED,
  ['lead', { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: iso(60) }],
];
const NO_BED: Step[] = [
  ...ALLOCATED_SAM,
  [
    'sam',
    {
      type: 'record-outcome',
      outcome: 'recommendations-made-no-bed',
      nextSteps: 'Bed search continues.',
      reasonsInWriting: 'No bed tonight.',
    },
  ],
];

const at = (kind: IntakeKind, steps: Step[] = [], lssa?: string) => walk(received(kind, T0, lssa), steps);

const refusal = (d: Decision) =>
  d.ok ? undefined : { kind: d.refusal.kind, code: d.refusal.code, pointers: d.refusal.errors?.map((e) => e.pointer) };

describe('who may send what: one table (DOMAIN §3.1)', () => {
  it.each<[string, () => ReferralRecord, SenderName, Record<string, unknown>, string | undefined]>([
    [
      'an unallocated AMHP hands over to themselves',
      () => at('adult-at-ae', ALLOCATED_SAM),
      'alex',
      { type: 'handed-over', toAmhpId: 'amhp-alex', reason: 'Mine now.' },
      'forbidden',
    ],
    [
      'the service machine client hands over',
      () => at('adult-at-ae', ALLOCATED_SAM),
      'leadSystem',
      { type: 'handed-over', toTeam: 'out-of-hours', reason: 'Shift end.' },
      'forbidden',
    ],
    [
      'the allocated AMHP hands over',
      () => at('adult-at-ae', ALLOCATED_SAM),
      'sam',
      { type: 'handed-over', toAmhpId: 'amhp-alex', reason: 'Called away.' },
      undefined,
    ],
    [
      'the lead hands over to a team',
      () => at('adult-at-ae', ALLOCATED_SAM),
      'lead',
      { type: 'handed-over', toTeam: 'out-of-hours', reason: 'Shift end.' },
      undefined,
    ],
    [
      'an unallocated AMHP extends the clock',
      () => at('adult-at-ae', ALLOCATED_SAM),
      'alex',
      {
        type: 'clock-extended',
        power: 's136',
        hours: 6,
        ground: 'condition-makes-assessment-impracticable',
        authorisedBy: AUTHORISER,
        amhpConsulted: 'yes',
      },
      'forbidden',
    ],
    [
      'the service machine client extends the clock',
      () => at('adult-at-ae', ALLOCATED_SAM),
      'leadSystem',
      {
        type: 'clock-extended',
        power: 's136',
        hours: 6,
        ground: 'condition-makes-assessment-impracticable',
        authorisedBy: AUTHORISER,
        amhpConsulted: 'yes',
      },
      'forbidden',
    ],
    [
      'the referrer that witnessed it records the extension',
      () => at('adult-at-ae', ALLOCATED_SAM),
      'policeA',
      {
        type: 'clock-extended',
        power: 's136',
        hours: 6,
        ground: 'condition-makes-assessment-impracticable',
        authorisedBy: AUTHORISER,
        amhpConsulted: 'not-yet-involved',
      },
      undefined,
    ],
    [
      'the service machine client changes the legal status',
      () => at('adult-at-ae', TRIAGED),
      'leadSystem',
      { type: 'legal-status-changed', to: { status: 'informal' } },
      'forbidden',
    ],
    [
      'the service machine client adds information',
      () => at('adult-at-ae', TRIAGED),
      'leadSystem',
      { type: 'information-added', note: 'Called back.' },
      undefined,
    ],
    [
      'another force records an arrival',
      () => at('adult-at-ae', TRIAGED),
      'policeB',
      { type: 'arrived-at-place-of-safety', placeOfSafetyType: 'emergency-department' },
      'forbidden',
    ],
    [
      'a co-allocated AMHP records the outcome',
      () => at('adult-at-ae', [...ALLOCATED_SAM, ['lead', { type: 'co-allocate', amhpId: 'amhp-alex' }]]),
      'alex',
      { type: 'record-outcome', outcome: 'detained-s2', nextSteps: 'Ward.' },
      'forbidden',
    ],
    [
      'an unallocated AMHP records an application',
      () => at('adult-at-ae', NO_BED),
      'alex',
      { type: 'application-made', section: 's2', hospital: 'Oak Ward' },
      'forbidden',
    ],
    [
      'the allocated AMHP acknowledges a flag (lead only)',
      () => at('adult-at-ae', ALLOCATED_SAM),
      'sam',
      { type: 'flag-acknowledged', flag: 's136-in-dwelling', reason: 'Seen.' },
      'forbidden',
    ],
    [
      'a bed manager adds information',
      () => at('adult-at-ae'),
      'beds',
      { type: 'information-added', note: 'x' },
      'forbidden',
    ],
  ])('%s', (_name, state, who, event, kind) => {
    const before = state();
    const snapshot = structuredClone(before);
    const d = send(before, who, event);
    expect(refusal(d)?.kind).toBe(kind);
    expect(before).toEqual(snapshot); // a refusal changes nothing
  });
});

describe('a hand-over is an allocation (DOMAIN §3.1)', () => {
  it.each<[string, () => ReferralRecord, Record<string, unknown>, string | undefined]>([
    [
      'to an AMHP of another service',
      () => at('adult-at-ae', ALLOCATED_SAM),
      { toAmhpId: 'amhp-sol' },
      'allocation.not-on-register',
    ],
    [
      'to an AMHP on no register',
      () => at('adult-at-ae', ALLOCATED_SAM),
      { toAmhpId: 'amhp-ghost' },
      'allocation.not-on-register',
    ],
    ['to an inactive AMHP', () => at('adult-at-ae', ALLOCATED_SAM), { toAmhpId: 'amhp-ivy' }, 'allocation.inactive'],
    [
      'to an AMHP not authorised for the LSSA',
      () => at('adult-at-ae', ALLOCATED_SAM, 'E06000056'),
      { toAmhpId: 'amhp-alex' },
      'allocation.not-authorised-for-lssa',
    ],
    [
      'to the AMHP who reviewed it',
      () => at('adult-at-ae', ALLOCATED_SAM),
      { toAmhpId: 'amhp-dana' },
      'allocation.reviewer-separation',
    ],
    [
      'to the AMHP already allocated',
      () => at('adult-at-ae', ALLOCATED_SAM),
      { toAmhpId: 'amhp-sam' },
      'handover.same-amhp',
    ],
    [
      'before anyone is allocated',
      () => at('adult-at-ae', TRIAGED),
      { toAmhpId: 'amhp-sam' },
      'handover.not-allocated',
    ],
    ['to an authorised, active AMHP', () => at('adult-at-ae', ALLOCATED_SAM), { toAmhpId: 'amhp-alex' }, undefined],
  ])('%s', (_name, state, to, code) => {
    const d = send(state(), 'lead', { type: 'handed-over', reason: 'Shift change.', ...to });
    expect(refusal(d)?.code).toBe(code);
    if (d.ok) {
      expect(d.next.allocation?.amhpId).toBe('amhp-alex');
      expect(d.event.data).toMatchObject({ fromAmhpId: 'amhp-sam', toAmhpId: 'amhp-alex' });
    }
  });

  it('to a team leaves the allocation empty for the receiving lead, who allocates', () => {
    const d = send(at('adult-at-ae', ALLOCATED_SAM), 'sam', {
      type: 'handed-over',
      toTeam: 'out-of-hours',
      reason: 'End of shift.',
    });
    expect(d.ok && d.next.allocation).toBeUndefined();
    expect(d.ok && d.next.status).toBe('accepted');
  });

  it('co-allocation passes the same checks and gives no outcome rights', () => {
    const r = at('adult-at-ae', ALLOCATED_SAM);
    expect(refusal(send(r, 'lead', { type: 'co-allocate', amhpId: 'amhp-ivy' }))?.code).toBe('allocation.inactive');
    expect(refusal(send(r, 'lead', { type: 'co-allocate', amhpId: 'amhp-sam' }))?.code).toBe(
      'allocation.already-attending',
    );
    const d = send(r, 'sam', { type: 'co-allocate', amhpId: 'amhp-alex' });
    expect(d.ok && d.next.coAllocations?.map((c) => c.amhpId)).toEqual(['amhp-alex']);
  });
});

describe('time runs forwards, with 5 minutes tolerance (DOMAIN §3.1)', () => {
  it.each<[string, () => ReferralRecord, SenderName, Record<string, unknown>, string | undefined]>([
    [
      'an arrival 10 minutes before the detention',
      () => at('detained-on-the-way', TRIAGED),
      'policeA',
      { type: 'arrived-at-place-of-safety', placeOfSafetyType: 'emergency-department', occurredAt: iso(-30) },
      '/occurredAt',
    ],
    [
      'an arrival 3 minutes before the detention',
      () => at('detained-on-the-way', TRIAGED),
      'policeA',
      { type: 'arrived-at-place-of-safety', placeOfSafetyType: 'emergency-department', occurredAt: iso(-23) },
      undefined,
    ],
    [
      'a transfer 10 minutes before the arrival',
      () => at('adult-at-ae', TRIAGED),
      'policeA',
      {
        type: 'transferred-between-places-of-safety',
        placeOfSafetyType: 'health-based-place-of-safety',
        occurredAt: iso(-20),
      },
      '/occurredAt',
    ],
    [
      'a doctor arriving before being requested',
      () => at('adult-at-ae', [...ALLOCATED_SAM, ['sam', { type: 's12-doctor-requested', occurredAt: iso(-5) }]]),
      'sam',
      { type: 's12-doctor-arrived', occurredAt: iso(-30) },
      '/occurredAt',
    ],
    [
      'conveyance arriving before being requested',
      () =>
        at('adult-at-ae', [
          ...ALLOCATED_SAM,
          ['sam', { type: 'conveyance-requested', mode: 'ambulance', occurredAt: iso(-5) }],
        ]),
      'lead',
      { type: 'conveyance-arrived', occurredAt: iso(-11) },
      '/occurredAt',
    ],
    [
      'an s.2 admission an hour before the application',
      () =>
        at('adult-at-ae', [
          ...ALLOCATED_SAM,
          ['sam', { type: 'record-outcome', outcome: 'detained-s2', nextSteps: 'Ward.', occurredAt: iso(-1) }],
        ]),
      'sam',
      { type: 'legal-status-changed', occurredAt: iso(0), to: { status: 's2', admittedAt: iso(-61) } },
      '/to/admittedAt',
    ],
    // Found by review: a backdated application ended nothing and the clock ran to a false breach.
    [
      'an outcome that makes an application dated before the detention',
      () => at('adult-at-ae', ALLOCATED_SAM),
      'sam',
      { type: 'record-outcome', outcome: 'detained-s2', nextSteps: 'Ward.', occurredAt: iso(-60) },
      '/occurredAt',
    ],
    [
      'an s.2 admission after the application',
      () =>
        at('adult-at-ae', [
          ...ALLOCATED_SAM,
          ['sam', { type: 'record-outcome', outcome: 'detained-s2', nextSteps: 'Ward.', occurredAt: iso(-1) }],
        ]),
      'sam',
      { type: 'legal-status-changed', occurredAt: iso(0), to: { status: 's2', admittedAt: iso(0) } },
      undefined,
    ],
  ])('%s', (_name, state, who, event, pointer) => {
    const d = send(state(), who, event);
    expect(refusal(d)?.pointers?.[0]).toBe(pointer);
  });

  it('fact-corrected moves the clock; a correction that would run time backwards is refused at /value', () => {
    const r = at('adult-at-ae', ALLOCATED_SAM);
    const arrival = r.clocks[0]!.startsAt;
    // Correct the arrival (intake seq 1) 5 minutes later: the clock follows.
    const later = new Date(Date.parse(arrival) + 5 * 60_000).toISOString();
    const d = send(r, 'sam', {
      type: 'fact-corrected',
      eventSeq: 1,
      field: 'arrivedAtPlaceOfSafetyAt',
      value: later,
      reason: 'CAD log.',
    });
    expect(d.ok && d.next.clocks[0]!.startsAt).toBe(later);
    const bad = send(r, 'sam', {
      type: 'fact-corrected',
      eventSeq: 1,
      field: 'detainedAt',
      value: iso(1),
      reason: 'Typo.',
    });
    expect(refusal(bad)?.pointers).toEqual(['/value']);
    const none = send(r, 'sam', {
      type: 'fact-corrected',
      eventSeq: 1,
      field: 'admittedAt',
      value: iso(-1),
      reason: 'x',
    });
    expect(refusal(none)?.pointers).toEqual(['/field']);
  });
});

describe('place-of-safety flags on every arrival and transfer (DOMAIN §2, §3.1)', () => {
  const child = () => {
    const r = at('detained-on-the-way', TRIAGED);
    return { ...r, person: { ...r.person, dateOfBirth: '2010-05-01' } } as ReferralRecord;
  };
  it(
    'a 16-year-old arriving at a police station is flagged, and the flag clears on transfer to a ' +
      'health-based place',
    () => {
      const d = send(child(), 'policeA', { type: 'arrived-at-place-of-safety', placeOfSafetyType: 'police-station' });
      expect(d.ok && d.flagsRaised).toEqual(['unlawful-place-of-safety']);
      const moved = send((d as any).next, 'policeA', {
        type: 'transferred-between-places-of-safety',
        placeOfSafetyType: 'health-based-place-of-safety',
      });
      expect(moved.ok && moved.next.flags).toEqual([
        expect.objectContaining({ code: 'unlawful-place-of-safety', resolution: 'facts-changed' }),
      ]);
    },
  );
  it('an adult at a police station without the inspector authorisation is flagged; with it, not', () => {
    const r = at('detained-on-the-way', TRIAGED);
    expect(
      (send(r, 'policeA', { type: 'arrived-at-place-of-safety', placeOfSafetyType: 'police-station' }) as any)
        .flagsRaised,
    ).toEqual(['police-station-without-authorisation']);
    const auth = { authorisedAt: iso(0), ground: 'imminent-risk-of-serious-injury-or-death' };
    expect(
      (
        send(r, 'policeA', {
          type: 'arrived-at-place-of-safety',
          placeOfSafetyType: 'police-station',
          inspectorAuthorisation: auth,
        }) as any
      ).flagsRaised,
    ).toEqual([]);
  });
  it('a child at a police station at intake is received with the flag (not refused)', () => {
    expect(at('child-in-custody').flags?.map((f) => f.code)).toEqual(['unlawful-place-of-safety']);
  });
  it('a live place flag cannot be acknowledged away; an s.136-in-dwelling flag can, by the lead', () => {
    const r = at('child-in-custody');
    // flag-acknowledged refuses the place flags at the schema: they clear by facts only.
    expect(
      ReferralEventInput.safeParse({ type: 'flag-acknowledged', flag: 'unlawful-place-of-safety', reason: 'x' })
        .success,
    ).toBe(false);
    expect(refusal(send(r, 'lead', { type: 'flag-acknowledged', flag: 's136-in-dwelling', reason: 'x' }))?.code).toBe(
      'flag.not-raised',
    );
  });
});

describe('a detention always has a clock (DOMAIN §4)', () => {
  it('detained, not arrived: the s.136 clock runs from the detention; the arrival moves it', () => {
    const r = at('detained-on-the-way');
    expect(r.clocks).toEqual([expect.objectContaining({ power: 's136', startsAt: iso(-20), state: 'running' })]);
    const d = send(r, 'policeA', {
      type: 'arrived-at-place-of-safety',
      placeOfSafetyType: 'emergency-department',
      occurredAt: iso(-5),
    });
    expect(d.ok && d.next.clocks[0]!.startsAt).toBe(iso(-5));
  });
  it('a transfer with no recorded arrival keeps the clock from the detention', () => {
    const d = send(at('detained-on-the-way'), 'policeA', {
      type: 'transferred-between-places-of-safety',
      placeOfSafetyType: 'health-based-place-of-safety',
    });
    expect(d.ok && d.next.clocks[0]).toMatchObject({ power: 's136', startsAt: iso(-20) });
  });
  it('s.135 kept at the premises runs from the constable’s entry', () => {
    expect(at('s135-kept').clocks[0]).toMatchObject({ power: 's135-1', startsAt: iso(-55) });
  });
  it('an s.5(4) that lapsed days ago does not move a later s.5(2)', () => {
    const r = at('s5-4-on-ward', TRIAGED);
    const later = minutes(3 * 24 * 60);
    const d = send(
      r,
      'lead',
      { type: 'legal-status-changed', to: { status: 's5-2', furnishedAt: later.toISOString() } },
      later,
    );
    expect(d.ok && d.next.clocks.find((c) => c.power === 's5-2')?.startsAt).toBe(later.toISOString());
  });
});

describe('the no-bed pathway stays open (DOMAIN §3.1)', () => {
  it(
    'handed over after recommendations-made-no-bed; the new AMHP’s application ends the s.136 clock, no ' +
      'false breach',
    () => {
      let r = at('adult-at-ae', NO_BED);
      r = walk(r, [
        ['lead', { type: 'handed-over', toAmhpId: 'amhp-alex', reason: 'Day team takes the bed search.' }],
        ['alex', { type: 'application-made', section: 's2', hospital: 'Oak Ward' }],
      ]);
      const s136 = r.clocks.find((c) => c.power === 's136')!;
      expect(s136).toMatchObject({ state: 'ended', endedBy: 'application-made' });
      // A day later the sweep finds nothing to announce for it.
      expect(dueThresholds(r.clocks, minutes(48 * 60), new Set()).filter((t) => t.threshold === 'breach')).toEqual([]);
      expect(refusal(send(r, 'alex', { type: 'application-made', section: 's2', hospital: 'Oak Ward' }))?.code).toBe(
        'lifecycle.not-allowed-in-status',
      );
    },
  );
  it('amending the outcome to detained-s2 ends the s.136 clock; amending back restores it', () => {
    let r = at('adult-at-ae', NO_BED);
    expect(r.clocks[0]!.endedAt).toBeUndefined();
    r = walk(r, [
      ['sam', { type: 'amend-outcome', outcome: 'detained-s2', reason: 'Bed found.', nextSteps: 'Oak Ward.' }],
    ]);
    expect(r.clocks[0]).toMatchObject({ state: 'ended', endedBy: 'application-made' });
    r = walk(r, [
      [
        'sam',
        {
          type: 'amend-outcome',
          outcome: 'recommendations-made-no-bed',
          reason: 'Bed fell through.',
          nextSteps: 'Search.',
          reasonsInWriting: 'No bed.',
        },
      ],
    ]);
    expect(r.clocks[0]!.endedAt).toBeUndefined();
  });
  it('guardianship ends the holding power too', () => {
    const r = walk(at('adult-at-ae', ALLOCATED_SAM), [
      ['sam', { type: 'record-outcome', outcome: 'guardianship-s7', nextSteps: 'Guardian: the council.' }],
    ]);
    expect(r.clocks[0]).toMatchObject({ endedBy: 'application-made' });
  });
});

describe('children (DOMAIN §3.1)', () => {
  const teen = () => {
    const r = at('adult-at-ae', ALLOCATED_SAM);
    return { ...r, person: { ...r.person, dateOfBirth: '2011-03-01' } } as ReferralRecord;
  };
  it.each<[string, Record<string, unknown>, string | undefined, string[]]>([
    ['adult-acute without a reason', { bedType: 'adult-acute' }, '/reasonForBedType', []],
    [
      'adult-acute with a reason',
      { bedType: 'adult-acute', reasonForBedType: 'No CAMHS bed in region; 1:1 nursing.' },
      undefined,
      ['under-18-bed-type'],
    ],
    ['camhs', { bedType: 'camhs' }, undefined, []],
  ])('a 15-year-old: %s', (_n, fields, pointer, flags) => {
    const d = send(teen(), 'sam', { type: 'bed-requested', sex: 'male', ...fields });
    expect(refusal(d)?.pointers?.[0]).toBe(pointer);
    if (d.ok) expect(d.flagsRaised).toEqual(flags);
  });
  it.each([
    ['2008-12-05', '2026-12-04T23:30:00Z', '0-17'], // 18 tomorrow in London
    ['2008-12-05', '2026-12-05T00:30:00Z', '18-24'],
    ['2008-06-15', '2026-06-14T23:30:00Z', '18-24'], // 00:30 BST on the birthday
    ['2008-02-29', '2026-02-28T12:00:00Z', '0-17'], // a leap-day birthday counts from 1 March
  ])('age band from calendar dates: born %s, at %s → %s', (dob, when, band) => {
    const person = { ...received('adult-at-ae', T0).person, dateOfBirth: dob } as ReferralRecord['person'];
    expect(ageBandAt(person, new Date(when))).toBe(band);
  });
});

describe('nearest relative and s.2 (DOMAIN §3.2, §4): regression cases found by the model', () => {
  it(
    'an order recorded first, then its application dated a minute before it: nothing pending, the s.2 clock ' +
      'extended',
    () => {
      const r = walk(at('on-s2'), [
        ['lead', { type: 'nearest-relative-displaced', acting: { name: 'Jo Marsh' } }],
        ['lead', { type: 'displacement-applied', occurredAt: iso(-1) }],
      ]);
      expect(r.nearestRelativeStatus?.displacementPendingAt).toBeUndefined();
      const s2 = r.clocks.find((c) => c.power === 's2')!;
      expect(s2.suspendedAt).toBeUndefined();
      expect(s2.extendedUntil).toBeDefined();
    },
  );
  it(
    'an application pending: the s.2 clock is suspended, no thresholds; the order ends the suspension with ' +
      'seven more days',
    () => {
      let r = walk(at('on-s2'), [['lead', { type: 'displacement-applied' }]]);
      const s2 = r.clocks.find((c) => c.power === 's2')!;
      expect(s2.suspendedAt).toBe(T0.toISOString());
      expect(dueThresholds(r.clocks, minutes(60 * 24 * 60), new Set())).toEqual([]);
      // The order comes 24 days later, the day before the 28 days would have ended: seven days from it (s.29(4)).
      const order = minutes(24 * 24 * 60);
      r = walk(r, [['lead', { type: 'nearest-relative-displaced', acting: { name: 'Jo Marsh' } }]], order);
      expect(r.clocks.find((c) => c.power === 's2')).toMatchObject({
        expiresAt: '2026-12-29T00:00:00.000Z',
        extendedUntil: minutes(7 * 24 * 60, order).toISOString(),
      });
    },
  );
});

describe('extensions name their authoriser (DOMAIN §4)', () => {
  it('the authoriser and whether an AMHP was consulted are recorded with the event', () => {
    const d = send(at('adult-at-ae', ALLOCATED_SAM), 'sam', {
      type: 'clock-extended',
      power: 's136',
      hours: 12,
      ground: 'condition-makes-assessment-impracticable',
      authorisedBy: AUTHORISER,
      amhpConsulted: 'yes',
    });
    expect(d.ok && d.event.data).toMatchObject({ authorisedBy: AUTHORISER, amhpConsulted: 'yes' });
    expect(d.ok && d.next.clocks[0]!.extendedUntil).toBeDefined();
    expect(
      ReferralEventInput.safeParse({
        type: 'clock-extended',
        power: 's136',
        hours: 12,
        ground: 'condition-makes-assessment-impracticable',
      }).success,
    ).toBe(false);
  });
});
