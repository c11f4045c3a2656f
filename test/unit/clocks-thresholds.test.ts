/**
 * Statutory clocks (DOMAIN §4): s.136B extensions, warning and breach thresholds, the rule
 * table as a parameter, purity. Split out of clocks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  checkExtension,
  computeClocks,
  dueThresholds,
  nearestExpiry,
  nextDeadline,
  parseInstant,
  thresholdsOf,
  type Clock,
  type ClockFact,
  type ExtensionRefusal,
  type ExtensionRequest,
  type ThresholdName,
} from '../../shared/domain/clocks.js';
import { d, GROUND, RMP, extended, J1, j1Facts, j1Extended, J3 } from '../support/clock-fixtures.js';

describe('checkExtension (s.136B)', () => {
  const base: ExtensionRequest = { power: 's136', at: J1.extensionAt, hours: 12, ground: GROUND, byRole: RMP };
  const now = J1.extensionAt;
  const atPoliceStation: ClockFact[] = [
    { type: 'detained', power: 's136', at: J1.detained },
    { type: 'arrived-at-place-of-safety', at: J1.arrival, placeOfSafetyType: 'police-station' },
  ];
  type Case = {
    name: string;
    facts?: ClockFact[];
    request?: Partial<ExtensionRequest>;
    now?: string;
    result: 'ok' | ExtensionRefusal;
  };
  it.each<Case>([
    { name: 'J1: 12 h at 20:00 Sunday, by the doctor, on the ground', result: 'ok' },
    { name: '6 h', request: { hours: 6 }, result: 'ok' },
    {
      name: 'one minute before expiry',
      request: { at: '2026-05-17T23:39:00+01:00' },
      now: '2026-05-17T23:39:00+01:00',
      result: 'ok',
    },
    { name: 'decision time omitted: now', request: { at: undefined }, result: 'ok' },
    {
      name: 'J1: a second extension',
      facts: j1Extended,
      request: { at: '2026-05-17T21:00:00+01:00', hours: 1 },
      now: '2026-05-17T21:00:00+01:00',
      result: 'already-extended',
    },
    { name: 'at the expiry instant', request: { at: J1.expiry }, now: J1.expiry, result: 'after-expiry' },
    {
      name: 'after expiry',
      request: { at: '2026-05-17T23:41:00+01:00' },
      now: '2026-05-17T23:41:00+01:00',
      result: 'after-expiry',
    },
    {
      name: 'decision time omitted, asked after expiry',
      request: { at: undefined },
      now: '2026-05-18T00:10:00+01:00',
      result: 'after-expiry',
    },
    {
      name: 'recorded late for a decision made before expiry',
      request: { at: '2026-05-17T23:00:00+01:00' },
      now: '2026-05-17T23:50:00+01:00',
      result: 'ok',
    },
    {
      name: 'a decision time in the future',
      request: { at: '2026-05-17T21:00:00+01:00' },
      now: '2026-05-17T20:00:00+01:00',
      result: 'at-in-future',
    },
    { name: '13 h', request: { hours: 13 }, result: 'too-long' },
    { name: '12.5 h', request: { hours: 12.5 }, result: 'too-long' },
    { name: '0 h', request: { hours: 0 }, result: 'invalid-hours' },
    { name: '-1 h', request: { hours: -1 }, result: 'invalid-hours' },
    { name: 'NaN h', request: { hours: Number.NaN }, result: 'invalid-hours' },
    { name: 'no ground', request: { ground: undefined }, result: 'ground-missing' },
    { name: 'another ground', request: { ground: 'no-bed-available' }, result: 'ground-missing' },
    { name: 'by an AMHP', request: { byRole: 'amhp' }, result: 'not-medical-practitioner' },
    { name: 'by nobody named', request: { byRole: undefined }, result: 'not-medical-practitioner' },
    {
      name: 'at a police station without a superintendent',
      request: { placeOfSafetyType: 'police-station' },
      result: 'superintendent-approval-required',
    },
    {
      name: 'in custody without a superintendent',
      request: { placeOfSafetyType: 'custody' },
      result: 'superintendent-approval-required',
    },
    {
      name: 'at a police station, superintendent approval false',
      request: { placeOfSafetyType: 'police-station', superintendentApproved: false },
      result: 'superintendent-approval-required',
    },
    {
      name: 'at a police station with a superintendent',
      request: { placeOfSafetyType: 'police-station', superintendentApproved: true },
      result: 'ok',
    },
    {
      name: 'recorded arrival at a police station, request silent about the place',
      facts: atPoliceStation,
      result: 'superintendent-approval-required',
    },
    {
      name: 'moved from the police station to a health-based place',
      facts: [
        ...atPoliceStation,
        {
          type: 'transferred-between-places-of-safety',
          at: '2026-05-17T09:00:00+01:00',
          placeOfSafetyType: 'health-based',
        },
      ],
      result: 'ok',
    },
    { name: 's.5(4)', request: { power: 's5-4' }, result: 'not-extendable' },
    { name: 's.2', request: { power: 's2' }, result: 'not-extendable' },
    { name: 's.4', request: { power: 's4' }, result: 'not-extendable' },
    { name: 'no facts at all', facts: [], result: 'no-running-clock' },
    { name: 's.135(1) when the detention is s.136', request: { power: 's135-1' }, result: 'no-running-clock' },
    // The clock runs from the detention until the arrival is recorded (DOMAIN §4), so it can be extended.
    { name: 'detained, not yet at a place of safety', facts: [j1Facts[0]!], result: 'ok' },
    {
      name: 'a decision before the clock started',
      request: { at: '2026-05-16T23:30:00+01:00' },
      result: 'no-running-clock',
    },
    {
      name: 'after the detention ended',
      facts: [...j1Facts, { type: 'detention-ended', at: '2026-05-17T10:00:00+01:00' }],
      result: 'no-running-clock',
    },
    {
      name: 'after the application',
      facts: [...j1Facts, { type: 'application-made', at: '2026-05-17T10:00:00+01:00', section: 's2' }],
      result: 'no-running-clock',
    },
    {
      name: 's.135(2) at its place of safety',
      facts: [
        { type: 'detained', power: 's135-2', at: '2026-05-17T08:00:00+01:00' },
        { type: 'arrived-at-place-of-safety', at: '2026-05-17T08:30:00+01:00' },
      ],
      request: { power: 's135-2' },
      result: 'ok',
    },
  ])('$name: $result', ({ facts = j1Facts, request = {}, now: at = now, result }) => {
    const expected = result === 'ok' ? { ok: true } : { ok: false, reason: result };
    expect(checkExtension(facts, { ...base, ...request }, d(at))).toEqual(expected);
  });
});

describe('thresholds', () => {
  type Row = [ThresholdName, string, string]; // threshold, at, relative to
  const rows = (clocks: Clock[]): Row[] =>
    clocks.flatMap((c) => thresholdsOf(c)).map((t) => [t.threshold, t.at, t.relativeTo]);
  const E = J1.expiry;
  const E2 = J1.extendedUntil;

  it.each<{ name: string; facts: ClockFact[]; thresholds: Row[] }>([
    {
      name: 'J1 unextended: 6 h and 2 h before, then the breach',
      facts: j1Facts,
      thresholds: [
        ['warning-6h', '2026-05-17T16:40:00.000Z', E],
        ['warning-2h', '2026-05-17T20:40:00.000Z', E],
        ['breach', E, E],
      ],
    },
    {
      name: 'J1 extended at 20:00 (19:00Z): the passed 6 h warning stays, the rest move to 11:40 Monday',
      facts: j1Extended,
      thresholds: [
        ['warning-6h', '2026-05-17T16:40:00.000Z', E],
        ['warning-6h', '2026-05-18T04:40:00.000Z', E2],
        ['warning-2h', '2026-05-18T08:40:00.000Z', E2],
        ['breach', E2, E2],
      ],
    },
    {
      name: 'extended late (23:00) by 2 h: the new 6 h warning lies before the extension and is due at once',
      facts: [...j1Facts, extended('2026-05-17T23:00:00+01:00', 2)],
      thresholds: [
        ['warning-6h', '2026-05-17T16:40:00.000Z', E],
        ['warning-6h', '2026-05-17T18:40:00.000Z', '2026-05-18T00:40:00.000Z'],
        ['warning-2h', '2026-05-17T20:40:00.000Z', E],
        ['warning-2h', '2026-05-17T22:40:00.000Z', '2026-05-18T00:40:00.000Z'],
        ['breach', '2026-05-18T00:40:00.000Z', '2026-05-18T00:40:00.000Z'],
      ],
    },
    {
      name: 's.5(4): its 6 h warning is its start',
      facts: [{ type: 's5-4-recorded', at: J3.s54 }],
      thresholds: [
        ['warning-6h', '2026-06-10T11:00:00.000Z', '2026-06-10T17:00:00.000Z'],
        ['warning-2h', '2026-06-10T15:00:00.000Z', '2026-06-10T17:00:00.000Z'],
        ['breach', '2026-06-10T17:00:00.000Z', '2026-06-10T17:00:00.000Z'],
      ],
    },
    {
      name: 'admission window ending 00:00 GMT 26 Oct 2026: one local day before is 25 h before',
      facts: [{ type: 'medical-examination-completed', at: '2026-10-12T14:00:00+01:00' }],
      thresholds: [
        ['warning-1d', '2026-10-24T23:00:00.000Z', '2026-10-26T00:00:00.000Z'],
        ['breach', '2026-10-26T00:00:00.000Z', '2026-10-26T00:00:00.000Z'],
      ],
    },
    {
      name: 'admission window ending 00:00 BST 29 Mar 2027: one local day before is 23 h before',
      facts: [{ type: 'medical-examination-completed', at: '2027-03-15T09:00:00Z' }],
      thresholds: [
        ['warning-1d', '2027-03-28T00:00:00.000Z', '2027-03-28T23:00:00.000Z'],
        ['breach', '2027-03-28T23:00:00.000Z', '2027-03-28T23:00:00.000Z'],
      ],
    },
  ])('$name', ({ facts, thresholds }) => {
    expect(rows(computeClocks(facts, d('2020-01-01T00:00:00Z')))).toEqual(thresholds);
  });

  it('keys are power#threshold#expiry, unique per clock', () => {
    const keys = thresholdsOf(computeClocks(j1Extended, d(J1.arrival))[0]!).map((t) => t.key);
    expect(keys).toEqual([
      `s136#warning-6h#${E}`,
      `s136#warning-6h#${E2}`,
      `s136#warning-2h#${E2}`,
      `s136#breach#${E2}`,
    ]);
  });

  const mixed: ClockFact[] = [
    ...j1Facts,
    { type: 's5-4-recorded', at: '2026-05-17T06:00:00+01:00' }, // expires 12:00 BST = 11:00Z
    { type: 'medical-examination-completed', at: '2026-05-17T02:00:00+01:00' }, // window ends 2026-05-30T23:00Z
  ];
  it.each<{ name: string; facts: ClockFact[]; after: string; next: string | undefined }>([
    { name: 'J1 on arrival: the 6 h warning', facts: j1Facts, after: J1.arrival, next: '2026-05-17T16:40:00.000Z' },
    {
      name: 'strictly after: at the 6 h warning, the 2 h one',
      facts: j1Facts,
      after: '2026-05-17T16:40:00Z',
      next: '2026-05-17T20:40:00.000Z',
    },
    { name: 'after the breach: nothing', facts: j1Facts, after: E, next: undefined },
    {
      name: 'J1 just after the extension: 6 h before 11:40 Monday',
      facts: j1Extended,
      after: '2026-05-17T19:00:00Z',
      next: '2026-05-18T04:40:00.000Z',
    },
    {
      name: 'several clocks: the s.5(4) warning comes first',
      facts: mixed,
      after: '2026-05-17T05:00:00Z',
      next: '2026-05-17T09:00:00.000Z',
    },
    {
      name: 'ended clocks do not count',
      facts: [...mixed, { type: 'practitioner-arrived', at: '2026-05-17T07:00:00+01:00' }],
      after: '2026-05-17T06:00:00Z',
      next: '2026-05-17T16:40:00.000Z',
    },
    {
      name: "after the s.136: the window's day-before warning",
      facts: mixed,
      after: '2026-05-18T00:00:00Z',
      next: '2026-05-29T23:00:00.000Z',
    },
    { name: 'no clocks', facts: [], after: J1.arrival, next: undefined },
  ])('nextDeadline: $name', ({ facts, after, next }) => {
    expect(nextDeadline(computeClocks(facts, d(after)), d(after))).toBe(next);
  });

  it.each<{ name: string; facts: ClockFact[]; now: string; recorded: string[]; due: string[] }>([
    { name: 'nothing yet', facts: j1Facts, now: '2026-05-17T16:39:00Z', recorded: [], due: [] },
    {
      name: 'a late sweep gets both warnings, in order',
      facts: j1Facts,
      now: '2026-05-17T21:00:00Z',
      recorded: [],
      due: [`s136#warning-6h#${E}`, `s136#warning-2h#${E}`],
    },
    {
      name: 'recorded ones are not due again',
      facts: j1Facts,
      now: '2026-05-17T21:00:00Z',
      recorded: [`s136#warning-6h#${E}`],
      due: [`s136#warning-2h#${E}`],
    },
    {
      name: 'at the breach instant',
      facts: j1Facts,
      now: E,
      recorded: [`s136#warning-6h#${E}`, `s136#warning-2h#${E}`],
      due: [`s136#breach#${E}`],
    },
    {
      name: 'an ended clock: a breach before its end is still due, its warnings are not',
      facts: [
        {
          type: 'application-made',
          at: '2026-06-01T09:00:00Z',
          section: 's4',
          medicalExaminationAt: '2026-06-01T07:00:00Z',
        },
        { type: 'admitted', at: '2026-06-02T08:00:00Z', power: 's4' },
      ],
      now: '2026-06-02T08:01:00Z',
      recorded: [],
      due: ['s4-admission#breach#2026-06-02T07:00:00.000Z'],
    },
    {
      name: 'an ended clock that never breached: nothing',
      facts: [...j1Facts, { type: 'detention-ended', at: '2026-05-17T21:00:00Z' }],
      now: '2026-05-18T00:00:00Z',
      recorded: [],
      due: [],
    },
  ])('dueThresholds: $name', ({ facts, now, recorded, due }) => {
    expect(dueThresholds(computeClocks(facts, d(now)), d(now), new Set(recorded)).map((t) => t.key)).toEqual(due);
  });

  it(
    "a sweep every minute through J1 appends each threshold exactly once: 6 h, then the extended clock's 6 " +
      'h, 2 h and breach',
    () => {
      const appended: string[] = [];
      const recorded = new Set<string>();
      const start = parseInstant(J1.arrival);
      const stop = parseInstant('2026-05-18T12:00:00+01:00');
      for (let t = start; t <= stop; t += 60_000) {
        const now = new Date(t);
        // What had been recorded by then: the extension exists only from 20:00 Sunday.
        const facts = j1Extended.filter((f) => parseInstant(f.at) <= t);
        for (const threshold of dueThresholds(computeClocks(facts, now), now, recorded)) {
          recorded.add(threshold.key);
          appended.push(`${threshold.threshold}@${threshold.at}`);
        }
      }
      expect(appended).toEqual([
        'warning-6h@2026-05-17T16:40:00.000Z',
        'warning-6h@2026-05-18T04:40:00.000Z',
        'warning-2h@2026-05-18T08:40:00.000Z',
        'breach@2026-05-18T10:40:00.000Z',
      ]);
    },
  );

  it('nearestExpiry orders by the effective expiry of open clocks', () => {
    const clocks = computeClocks(
      [...j1Extended, { type: 's5-2-furnished', at: '2026-05-17T10:00:00Z' }],
      d(J1.arrival),
    );
    expect(nearestExpiry(clocks)).toBe(J1.extendedUntil);
    expect(nearestExpiry([])).toBeUndefined();
  });
});
