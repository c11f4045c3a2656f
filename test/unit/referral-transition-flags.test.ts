/**
 * The transition function rule by rule (DOMAIN §2, §3.1, §4), continued from
 * referral-transition.test.ts: place-of-safety flags, clocks on detention, the no-bed pathway,
 * children, nearest relative and extensions. Shared walks live in ./referral-transition.fixture.ts.
 */
import { describe, expect, it } from 'vitest';
import { ageBandAt, type ReferralRecord } from '../../shared/domain/referral.js';
import { dueThresholds } from '../../shared/domain/clocks.js';
import { ReferralEventInput } from '../../shared/schemas/referral-events.js';
import { received } from '../support/lifecycle-fixtures.js';
import {
  T0,
  minutes,
  iso,
  AUTHORISER,
  send,
  walk,
  TRIAGED,
  ALLOCATED_SAM,
  NO_BED,
  at,
  refusal,
} from './referral-transition.fixture.js';

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
