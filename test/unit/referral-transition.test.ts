/**
 * The transition function rule by rule (DOMAIN §2, §3.1, §4): tables of cases, each one event
 * sent by one sender to a referral in a given state, and what the Hub answers.
 */
import { describe, expect, it } from 'vitest';
import type { ReferralRecord } from '../../shared/domain/referral.js';
import type { SenderName } from '../support/lifecycle-fixtures.js';
import { iso, AUTHORISER, send, TRIAGED, ALLOCATED_SAM, NO_BED, at, refusal } from './referral-transition.fixture.js';

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
