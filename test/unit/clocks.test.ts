/**
 * Statutory clocks (DOMAIN §4, JOURNEYS J1 and J3) and the Europe/London arithmetic under them.
 * Every expectation is written out as a UTC instant so the tables can be checked by hand; the
 * clock-change cases also state the London wall time the board would show.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CLOCK_RULES,
  checkExtension,
  computeClocks,
  dueThresholds,
  nearestExpiry,
  nextDeadline,
  parseInstant,
  thresholdsOf,
  type Clock,
  type ClockExtendedFact,
  type ClockFact,
  type ClockRules,
  type ClockState,
  type ExtensionRefusal,
  type ExtensionRequest,
  type Power,
  type ThresholdName,
} from '../../shared/domain/clocks.js';
import {
  addDays,
  endOfLondonDayPeriod,
  londonDate,
  londonOffsetMinutes,
  startOfLondonDay,
  toLondonIso,
} from '../../shared/domain/london-time.js';

const V = CLOCK_RULES.version;
const d = (iso: string): Date => new Date(iso);
/** Normalises any ISO instant to the module's output form (`…000Z`). */
const z = (iso: string): string => new Date(iso).toISOString();
const clock = (c: Omit<Clock, 'rulesVersion'>): Clock => ({ ...c, rulesVersion: V });

const GROUND = 'condition-makes-assessment-impracticable' as const;
const RMP = 'registered-medical-practitioner' as const;
const extended = (at: string, hours: number, extra: Partial<ClockExtendedFact> = {}): ClockFact => ({
  type: 'clock-extended',
  power: 's136',
  at,
  hours,
  ground: GROUND,
  byRole: RMP,
  ...extra,
});

// J1 on an ordinary BST weekend, in the officer's local offsets: detained 23:05 Sat 16 May 2026,
// arrival at A&E 23:40 (22:40Z); expiry 23:40 Sun (22:40Z); extended at 20:00 Sun to 11:40 Mon.
const J1 = {
  detained: '2026-05-16T23:05:00+01:00',
  arrival: '2026-05-16T23:40:00+01:00',
  expiry: '2026-05-17T22:40:00.000Z',
  extensionAt: '2026-05-17T20:00:00+01:00',
  extendedUntil: '2026-05-18T10:40:00.000Z',
} as const;
const j1Facts: ClockFact[] = [
  { type: 'detained', power: 's136', at: J1.detained },
  { type: 'arrived-at-place-of-safety', at: J1.arrival, placeOfSafetyType: 'emergency-department' },
];
const j1Extended: ClockFact[] = [...j1Facts, extended(J1.extensionAt, 12)];

// J3: s.5(4) recorded 12:00 BST on 10 June 2026 (11:00Z).
const J3 = { s54: '2026-06-10T12:00:00+01:00', doctor: '2026-06-10T15:00:00+01:00' } as const;

describe('london-time', () => {
  it.each([
    { instant: '2026-03-28T23:30:00Z', date: '2026-03-28', why: 'GMT: London = UTC' },
    { instant: '2026-03-29T00:59:59Z', date: '2026-03-29', why: 'last second of GMT, spring 2026' },
    { instant: '2026-03-29T01:00:00Z', date: '2026-03-29', why: 'clocks go forward: 02:00 BST' },
    { instant: '2026-03-29T23:30:00Z', date: '2026-03-30', why: 'BST: 00:30 next day' },
    { instant: '2026-07-01T23:00:00Z', date: '2026-07-02', why: 'midsummer midnight' },
    { instant: '2026-10-24T23:30:00Z', date: '2026-10-25', why: 'still BST: 00:30 on 25 Oct' },
    { instant: '2026-10-25T00:30:00Z', date: '2026-10-25', why: 'first 01:30 (BST)' },
    { instant: '2026-10-25T01:30:00Z', date: '2026-10-25', why: 'second 01:30 (GMT)' },
    { instant: '2026-10-25T23:30:00Z', date: '2026-10-25', why: 'GMT again: 23:30 same day' },
    { instant: '2026-12-31T23:59:59Z', date: '2026-12-31', why: 'year end in GMT' },
    { instant: '2027-03-27T23:30:00Z', date: '2027-03-27', why: 'GMT, eve of spring 2027' },
    { instant: '2027-03-28T23:30:00Z', date: '2027-03-29', why: 'BST after spring 2027' },
    { instant: '2027-10-30T23:30:00Z', date: '2027-10-31', why: 'BST, eve of autumn 2027' },
    { instant: '2027-10-31T23:30:00Z', date: '2027-10-31', why: 'GMT after autumn 2027' },
  ])('londonDate($instant) = $date ($why)', ({ instant, date }) => {
    expect(londonDate(d(instant))).toBe(date);
  });

  it.each([
    { date: '2026-03-28', start: '2026-03-28T00:00:00.000Z', hours: 24 },
    { date: '2026-03-29', start: '2026-03-29T00:00:00.000Z', hours: 23 }, // spring forward
    { date: '2026-03-30', start: '2026-03-29T23:00:00.000Z', hours: 24 },
    { date: '2026-10-24', start: '2026-10-23T23:00:00.000Z', hours: 24 },
    { date: '2026-10-25', start: '2026-10-24T23:00:00.000Z', hours: 25 }, // fall back
    { date: '2026-10-26', start: '2026-10-26T00:00:00.000Z', hours: 24 },
    { date: '2027-03-28', start: '2027-03-28T00:00:00.000Z', hours: 23 },
    { date: '2027-03-29', start: '2027-03-28T23:00:00.000Z', hours: 24 },
    { date: '2027-10-31', start: '2027-10-30T23:00:00.000Z', hours: 25 },
    { date: '2027-11-01', start: '2027-11-01T00:00:00.000Z', hours: 24 },
    { date: '2028-02-29', start: '2028-02-29T00:00:00.000Z', hours: 24 },
  ])('startOfLondonDay($date) = $start; the day lasts $hours h', ({ date, start, hours }) => {
    expect(startOfLondonDay(date).toISOString()).toBe(start);
    const next = startOfLondonDay(addDays(date, 1)).getTime();
    expect((next - startOfLondonDay(date).getTime()) / 3_600_000).toBe(hours);
  });

  it.each([
    { date: '2026-03-20', n: 28, result: '2026-04-17' },
    { date: '2026-03-29', n: 1, result: '2026-03-30' },
    { date: '2026-12-31', n: 1, result: '2027-01-01' },
    { date: '2026-03-01', n: -1, result: '2026-02-28' },
    { date: '2028-02-28', n: 1, result: '2028-02-29' },
    { date: '2026-10-25', n: 0, result: '2026-10-25' },
    { date: '2026-04-17', n: -28, result: '2026-03-20' },
  ])('addDays($date, $n) = $result', ({ date, n, result }) => {
    expect(addDays(date, n)).toBe(result);
  });

  it.each([
    { start: '2026-03-20T10:00:00Z', days: 28, end: '2026-04-16T23:00:00.000Z', why: 's.2 across spring 2026: ends 00:00 BST 17 Apr' },
    { start: '2026-03-29T00:30:00Z', days: 1, end: '2026-03-29T23:00:00.000Z', why: 'a one-day period on the 23 h day' },
    { start: '2026-10-24T23:30:00Z', days: 1, end: '2026-10-26T00:00:00.000Z', why: '00:30 BST is already 25 Oct, the 25 h day' },
    { start: '2026-10-20T09:00:00Z', days: 14, end: '2026-11-03T00:00:00.000Z', why: '14 days across autumn 2026' },
    { start: '2026-07-01T23:30:00Z', days: 14, end: '2026-07-15T23:00:00.000Z', why: 'late UTC evening is the next London day' },
    { start: '2027-03-15T09:00:00Z', days: 14, end: '2027-03-28T23:00:00.000Z', why: 'ends on the first BST midnight of 2027' },
    { start: '2027-10-20T08:00:00Z', days: 28, end: '2027-11-17T00:00:00.000Z', why: '28 days across autumn 2027' },
  ])('endOfLondonDayPeriod($start, $days) = $end ($why)', ({ start, days, end }) => {
    expect(endOfLondonDayPeriod(d(start), days).toISOString()).toBe(end);
  });

  it.each([
    { instant: '2026-03-28T23:40:00Z', local: '2026-03-28T23:40:00+00:00' },
    { instant: '2026-03-29T23:40:00Z', local: '2026-03-30T00:40:00+01:00' },
    { instant: '2026-10-25T00:30:00Z', local: '2026-10-25T01:30:00+01:00' },
    { instant: '2026-10-25T01:30:00Z', local: '2026-10-25T01:30:00+00:00' },
    { instant: '2027-10-31T22:40:00Z', local: '2027-10-31T22:40:00+00:00' },
  ])('toLondonIso($instant) = $local', ({ instant, local }) => {
    expect(toLondonIso(d(instant))).toBe(local);
    expect(londonOffsetMinutes(d(instant))).toBe(local.endsWith('+01:00') ? 60 : 0);
  });

  it.each([
    { call: () => startOfLondonDay('2026-02-30'), why: 'no such date' },
    { call: () => startOfLondonDay('26-3-1'), why: 'not YYYY-MM-DD' },
    { call: () => addDays('2026-03-01', 1.5), why: 'fractional days' },
    { call: () => endOfLondonDayPeriod(d('2026-03-01T00:00:00Z'), 0), why: 'a period of 0 days' },
    { call: () => londonDate(new Date(NaN)), why: 'invalid instant' },
  ])('refuses bad input: $why', ({ call }) => {
    expect(call).toThrow(RangeError);
  });

  it('every London date from 1990 to 2100 has one midnight, on that date, 23-25 h before the next', () => {
    const base = Date.UTC(1990, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), (offset) => {
        const date = new Date(base + offset * 86_400_000).toISOString().slice(0, 10);
        const start = startOfLondonDay(date);
        const length = startOfLondonDay(addDays(date, 1)).getTime() - start.getTime();
        return londonDate(start) === date && toLondonIso(start).slice(11, 19) === '00:00:00' && [23, 24, 25].includes(length / 3_600_000);
      }),
    );
  });
});

describe('rule table', () => {
  it.each<{ power: Power; unit: 'hours' | 'days'; period: number; extendable: boolean }>([
    { power: 's136', unit: 'hours', period: 24, extendable: true },
    { power: 's135-1', unit: 'hours', period: 24, extendable: true },
    { power: 's135-2', unit: 'hours', period: 24, extendable: true },
    { power: 's5-4', unit: 'hours', period: 6, extendable: false },
    { power: 's5-2', unit: 'hours', period: 72, extendable: false },
    { power: 's4', unit: 'hours', period: 72, extendable: false },
    { power: 's4-admission', unit: 'hours', period: 24, extendable: false },
    { power: 's2', unit: 'days', period: 28, extendable: false },
    { power: 'admission-window', unit: 'days', period: 14, extendable: false },
  ])('$power: $period $unit (extendable: $extendable)', ({ power, unit, period, extendable }) => {
    const rule = CLOCK_RULES.powers[power];
    expect(rule).toMatchObject({ unit, period });
    expect('extension' in rule).toBe(extendable);
  });

  it('is the Policing and Crime Act 2017 version, with 12 h extensions once and 6 h / 2 h / 1 day warnings', () => {
    expect(CLOCK_RULES.version).toBe('2017-12-11');
    expect(CLOCK_RULES.powers.s136.extension).toMatchObject({ maxHours: 12, once: true });
    expect(CLOCK_RULES.warnings).toEqual({ hours: [6, 2], days: [1] });
  });
});

describe('computeClocks: s.136 and s.135 (J1)', () => {
  const kept = (power: 's136' | 's135-1', at: string, decisionToKeepAt?: string): ClockFact =>
    decisionToKeepAt
      ? { type: 'detained', power, at, keptWhereFound: true, decisionToKeepAt }
      : { type: 'detained', power, at, keptWhereFound: true };

  it.each<{ name: string; facts: ClockFact[]; now: string; clocks: Clock[] }>([
    {
      name: 'J1: the clock starts at arrival (23:40), not detention (23:05), and expires 23:40 Sunday',
      facts: j1Facts,
      now: '2026-05-16T23:45:00+01:00',
      clocks: [clock({ power: 's136', startsAt: z(J1.arrival), expiresAt: J1.expiry, state: 'running' })],
    },
    {
      name: 'J1: extended at 20:00 Sunday by 12 h, it ends 11:40 Monday',
      facts: j1Extended,
      now: '2026-05-17T21:00:00+01:00',
      clocks: [
        clock({
          power: 's136',
          startsAt: z(J1.arrival),
          expiresAt: J1.expiry,
          extendedUntil: J1.extendedUntil,
          extendedAt: z(J1.extensionAt),
          state: 'running',
        }),
      ],
    },
    {
      name: 'J1: a second extension is ignored (once only)',
      facts: [...j1Extended, extended('2026-05-18T09:00:00+01:00', 1)],
      now: '2026-05-18T09:00:00+01:00',
      clocks: [
        clock({
          power: 's136',
          startsAt: z(J1.arrival),
          expiresAt: J1.expiry,
          extendedUntil: J1.extendedUntil,
          extendedAt: z(J1.extensionAt),
          state: 'warning',
        }),
      ],
    },
    {
      name: 'J1: the application at 09:45 Monday ends it',
      facts: [...j1Extended, { type: 'application-made', at: '2026-05-18T09:45:00+01:00', section: 's2' }],
      now: '2026-05-18T12:00:00+01:00',
      clocks: [
        clock({
          power: 's136',
          startsAt: z(J1.arrival),
          expiresAt: J1.expiry,
          extendedUntil: J1.extendedUntil,
          extendedAt: z(J1.extensionAt),
          state: 'ended',
          endedAt: z('2026-05-18T09:45:00+01:00'),
          endedBy: 'application-made',
        }),
      ],
    },
    {
      name: 'kept where found: starts at the decision to keep, not at any later arrival',
      facts: [kept('s136', '2026-06-05T14:00:00Z', '2026-06-05T14:20:00Z'), { type: 'arrived-at-place-of-safety', at: '2026-06-05T15:00:00Z' }],
      now: '2026-06-05T15:00:00Z',
      clocks: [clock({ power: 's136', startsAt: '2026-06-05T14:20:00.000Z', expiresAt: '2026-06-06T14:20:00.000Z', state: 'running' })],
    },
    {
      name: 'kept where found without a separate decision time: starts at the detention',
      facts: [kept('s136', '2026-06-05T14:00:00Z')],
      now: '2026-06-05T15:00:00Z',
      clocks: [clock({ power: 's136', startsAt: '2026-06-05T14:00:00.000Z', expiresAt: '2026-06-06T14:00:00.000Z', state: 'running' })],
    },
    {
      name: 'a transfer between places of safety, and the arrival there, do not restart it',
      facts: [
        { type: 'detained', power: 's136', at: '2026-06-05T09:30:00Z' },
        { type: 'arrived-at-place-of-safety', at: '2026-06-05T10:00:00Z', placeOfSafetyType: 'police-station' },
        { type: 'transferred-between-places-of-safety', at: '2026-06-05T15:00:00Z', placeOfSafetyType: 'health-based' },
        { type: 'arrived-at-place-of-safety', at: '2026-06-05T15:30:00Z', placeOfSafetyType: 'health-based' },
      ],
      now: '2026-06-06T05:00:00Z',
      clocks: [clock({ power: 's136', startsAt: '2026-06-05T10:00:00.000Z', expiresAt: '2026-06-06T10:00:00.000Z', state: 'warning' })],
    },
    {
      name: 'detention-ended ends it, and an ended clock stays ended past its expiry',
      facts: [...j1Facts, { type: 'detention-ended', at: '2026-05-17T03:00:00+01:00' }],
      now: '2026-05-20T00:00:00Z',
      clocks: [
        clock({
          power: 's136',
          startsAt: z(J1.arrival),
          expiresAt: J1.expiry,
          state: 'ended',
          endedAt: z('2026-05-17T03:00:00+01:00'),
          endedBy: 'detention-ended',
        }),
      ],
    },
    {
      name: 'detention-ended for another power leaves s.136 running',
      facts: [...j1Facts, { type: 'detention-ended', at: '2026-05-17T03:00:00+01:00', power: 's5-2' }],
      now: '2026-05-17T03:00:00+01:00',
      clocks: [clock({ power: 's136', startsAt: z(J1.arrival), expiresAt: J1.expiry, state: 'running' })],
    },
    {
      name: 'released before reaching a place of safety: the clock from the detention ended with it',
      facts: [
        { type: 'detained', power: 's136', at: '2026-06-05T09:30:00Z' },
        { type: 'detention-ended', at: '2026-06-05T09:50:00Z' },
        { type: 'arrived-at-place-of-safety', at: '2026-06-05T10:00:00Z' },
      ],
      now: '2026-06-05T10:00:00Z',
      clocks: [
        clock({ power: 's136', startsAt: '2026-06-05T09:30:00.000Z', expiresAt: '2026-06-06T09:30:00.000Z', state: 'ended', endedAt: '2026-06-05T09:50:00.000Z', endedBy: 'detention-ended' }),
      ],
    },
    {
      // DOMAIN §4: a detention always has a clock; with no arrival yet it runs from the detention.
      name: 'detained but not yet arrived: a clock from the detention (the earliest the facts allow)',
      facts: [{ type: 'detained', power: 's136', at: '2026-06-05T09:30:00Z' }],
      now: '2026-06-05T09:45:00Z',
      clocks: [clock({ power: 's136', startsAt: '2026-06-05T09:30:00.000Z', expiresAt: '2026-06-06T09:30:00.000Z', state: 'running' })],
    },
    {
      name: 'a transfer with no recorded arrival: the clock keeps the detention as its start',
      facts: [
        { type: 'detained', power: 's136', at: '2026-06-05T09:30:00Z' },
        { type: 'transferred-between-places-of-safety', at: '2026-06-05T11:00:00Z', placeOfSafetyType: 'health-based-place-of-safety' },
        { type: 'arrived-at-place-of-safety', at: '2026-06-05T12:00:00Z' },
      ],
      now: '2026-06-05T12:00:00Z',
      clocks: [clock({ power: 's136', startsAt: '2026-06-05T09:30:00.000Z', expiresAt: '2026-06-06T09:30:00.000Z', state: 'running' })],
    },
    {
      name: 'an arrival dated 3 minutes before the detention (within the tolerance): the clock runs from the detention',
      facts: [
        { type: 'arrived-at-place-of-safety', at: '2026-06-05T09:27:00Z' },
        { type: 'detained', power: 's136', at: '2026-06-05T09:30:00Z' },
      ],
      now: '2026-06-05T09:45:00Z',
      clocks: [clock({ power: 's136', startsAt: '2026-06-05T09:30:00.000Z', expiresAt: '2026-06-06T09:30:00.000Z', state: 'running' })],
    },
    {
      name: 's.135(2): waits for arrival like s.136',
      facts: [
        { type: 'detained', power: 's135-2', at: '2026-06-05T09:30:00Z' },
        { type: 'arrived-at-place-of-safety', at: '2026-06-05T10:10:00Z' },
      ],
      now: '2026-06-05T10:10:00Z',
      clocks: [clock({ power: 's135-2', startsAt: '2026-06-05T10:10:00.000Z', expiresAt: '2026-06-06T10:10:00.000Z', state: 'running' })],
    },
    {
      // s.135(3ZA): from the constable's first entry, never the later decision to keep.
      name: 's.135(1) kept at the premises, entry not given: starts at the detention, not the decision',
      facts: [kept('s135-1', '2026-06-05T09:30:00Z', '2026-06-05T09:40:00Z')],
      now: '2026-06-05T10:00:00Z',
      clocks: [clock({ power: 's135-1', startsAt: '2026-06-05T09:30:00.000Z', expiresAt: '2026-06-06T09:30:00.000Z', state: 'running' })],
    },
    {
      name: 's.135(1) kept at the premises: starts at the constable\'s entry',
      facts: [{ type: 'detained', power: 's135-1', at: '2026-06-05T09:30:00Z', keptWhereFound: true, decisionToKeepAt: '2026-06-05T09:40:00Z', enteredPremisesAt: '2026-06-05T09:10:00Z' }],
      now: '2026-06-05T10:00:00Z',
      clocks: [clock({ power: 's135-1', startsAt: '2026-06-05T09:10:00.000Z', expiresAt: '2026-06-06T09:10:00.000Z', state: 'running' })],
    },
    {
      name: 'the same detention reported twice gives one clock',
      facts: [...j1Facts, { type: 'detained', power: 's136', at: J1.detained }, { type: 'arrived-at-place-of-safety', at: '2026-05-17T01:00:00+01:00' }],
      now: '2026-05-17T01:00:00+01:00',
      clocks: [clock({ power: 's136', startsAt: z(J1.arrival), expiresAt: J1.expiry, state: 'running' })],
    },
    {
      name: 'arrival recorded before the detention it follows: replayed in time order',
      facts: [j1Facts[1]!, j1Facts[0]!],
      now: '2026-05-16T23:45:00+01:00',
      clocks: [clock({ power: 's136', startsAt: z(J1.arrival), expiresAt: J1.expiry, state: 'running' })],
    },
  ])('$name', ({ facts, now, clocks }) => {
    expect(computeClocks(facts, d(now))).toEqual(clocks);
  });

  it('replays by time, not by the order facts were recorded', () => {
    const inOrder = [...j1Extended, { type: 'detention-ended', at: '2026-05-18T02:00:00+01:00' } as ClockFact];
    const shuffled = [inOrder[3]!, inOrder[2]!, inOrder[0]!, inOrder[1]!];
    const now = d('2026-05-18T03:00:00+01:00');
    expect(computeClocks(shuffled, now)).toEqual(computeClocks(inOrder, now));
    expect(computeClocks(shuffled, now)[0]).toMatchObject({ extendedUntil: J1.extendedUntil, endedBy: 'detention-ended' });
  });

  it.each<{ name: string; fact: ClockFact }>([
    { name: '13 h', fact: extended(J1.extensionAt, 13) },
    { name: 'after expiry', fact: extended('2026-05-17T23:41:00+01:00', 12) },
    { name: 'at a police station without a superintendent', fact: extended(J1.extensionAt, 12, { placeOfSafetyType: 'police-station' }) },
    { name: 'for s.135(1), which is not running', fact: extended(J1.extensionAt, 12, { power: 's135-1' }) },
  ])('an invalid extension fact never extends the clock: $name', ({ fact }) => {
    const [only] = computeClocks([...j1Facts, fact], d('2026-05-17T23:00:00+01:00'));
    expect(only?.extendedUntil).toBeUndefined();
    expect(only?.state).toBe('warning');
  });

  it.each([
    { name: 'J1 expiry', instant: J1.expiry, local: '2026-05-17T23:40:00+01:00' },
    { name: 'J1 extended', instant: J1.extendedUntil, local: '2026-05-18T11:40:00+01:00' },
  ])('as the board shows it in London: $name = $local', ({ instant, local }) => {
    expect(toLondonIso(d(instant))).toBe(local);
  });

  it('J1 on the spring 2026 weekend: expiry 00:40 BST Monday, extended to 12:40 BST Monday', () => {
    const facts: ClockFact[] = [
      { type: 'detained', power: 's136', at: '2026-03-28T23:05:00Z' },
      { type: 'arrived-at-place-of-safety', at: '2026-03-28T23:40:00Z' },
      extended('2026-03-29T20:00:00+01:00', 12),
    ];
    const [s136] = computeClocks(facts, d('2026-03-29T21:00:00+01:00'));
    expect(s136).toMatchObject({ expiresAt: '2026-03-29T23:40:00.000Z', extendedUntil: '2026-03-30T11:40:00.000Z', state: 'running' });
    expect(toLondonIso(d(s136!.expiresAt))).toBe('2026-03-30T00:40:00+01:00');
    expect(toLondonIso(d(s136!.extendedUntil!))).toBe('2026-03-30T12:40:00+01:00');
  });
});

describe('computeClocks: s.5(4) and s.5(2) (J3)', () => {
  const s54: ClockFact = { type: 's5-4-recorded', at: J3.s54 };
  it.each<{ name: string; facts: ClockFact[]; clocks: Clock[] }>([
    {
      name: 'J3: s.5(4) at 12:00 expires 18:00; the doctor arrives and furnishes s.5(2) at 15:00: 72 h from 12:00',
      facts: [s54, { type: 'practitioner-arrived', at: J3.doctor }, { type: 's5-2-furnished', at: J3.doctor }],
      clocks: [
        clock({ power: 's5-4', startsAt: '2026-06-10T11:00:00.000Z', expiresAt: '2026-06-10T17:00:00.000Z', state: 'ended', endedAt: '2026-06-10T14:00:00.000Z', endedBy: 'practitioner-arrived' }),
        clock({ power: 's5-2', startsAt: '2026-06-10T11:00:00.000Z', expiresAt: '2026-06-13T11:00:00.000Z', state: 'running' }),
      ],
    },
    {
      name: 'the report furnished on arrival, with no separate arrival fact: same result',
      facts: [s54, { type: 's5-2-furnished', at: J3.doctor }],
      clocks: [
        clock({ power: 's5-4', startsAt: '2026-06-10T11:00:00.000Z', expiresAt: '2026-06-10T17:00:00.000Z', state: 'ended', endedAt: '2026-06-10T14:00:00.000Z', endedBy: 's5-2-furnished' }),
        clock({ power: 's5-2', startsAt: '2026-06-10T11:00:00.000Z', expiresAt: '2026-06-13T11:00:00.000Z', state: 'running' }),
      ],
    },
    {
      // DOMAIN §4: a report after an s.5(4) that lapsed at 6 h runs from the report.
      name: 's.5(4) lapsed at 18:00 before the doctor came at 19:00: the s.5(2) runs from the report',
      facts: [s54, { type: 's5-2-furnished', at: '2026-06-10T19:00:00+01:00' }],
      clocks: [
        clock({ power: 's5-4', startsAt: '2026-06-10T11:00:00.000Z', expiresAt: '2026-06-10T17:00:00.000Z', state: 'ended', endedAt: '2026-06-10T18:00:00.000Z', endedBy: 's5-2-furnished' }),
        clock({ power: 's5-2', startsAt: '2026-06-10T18:00:00.000Z', expiresAt: '2026-06-13T18:00:00.000Z', state: 'running' }),
      ],
    },
    {
      name: 's.5(4) ended otherwise (the patient stayed informally) and a later s.5(2): 72 h from the report',
      facts: [s54, { type: 'detention-ended', at: '2026-06-10T13:00:00+01:00', power: 's5-4' }, { type: 's5-2-furnished', at: '2026-06-10T16:00:00+01:00' }],
      clocks: [
        clock({ power: 's5-4', startsAt: '2026-06-10T11:00:00.000Z', expiresAt: '2026-06-10T17:00:00.000Z', state: 'ended', endedAt: '2026-06-10T12:00:00.000Z', endedBy: 'detention-ended' }),
        clock({ power: 's5-2', startsAt: '2026-06-10T15:00:00.000Z', expiresAt: '2026-06-13T15:00:00.000Z', state: 'running' }),
      ],
    },
    {
      name: 's.5(2) without s.5(4): 72 h from the report',
      facts: [{ type: 's5-2-furnished', at: J3.doctor }],
      clocks: [clock({ power: 's5-2', startsAt: '2026-06-10T14:00:00.000Z', expiresAt: '2026-06-13T14:00:00.000Z', state: 'running' })],
    },
    {
      name: 'the same report recorded twice: one clock',
      facts: [{ type: 's5-2-furnished', at: J3.doctor }, { type: 's5-2-furnished', at: '2026-06-10T15:05:00+01:00' }],
      clocks: [clock({ power: 's5-2', startsAt: '2026-06-10T14:00:00.000Z', expiresAt: '2026-06-13T14:00:00.000Z', state: 'running' })],
    },
    {
      name: 'admission under s.2 from the ward ends s.5(2)',
      facts: [{ type: 's5-2-furnished', at: J3.doctor }, { type: 'admitted', at: '2026-06-11T10:00:00Z', power: 's2' }],
      clocks: [
        clock({ power: 's5-2', startsAt: '2026-06-10T14:00:00.000Z', expiresAt: '2026-06-13T14:00:00.000Z', state: 'ended', endedAt: '2026-06-11T10:00:00.000Z', endedBy: 'admitted' }),
        clock({ power: 's2', startsAt: '2026-06-11T10:00:00.000Z', expiresAt: '2026-07-08T23:00:00.000Z', state: 'running' }),
      ],
    },
  ])('$name', ({ facts, clocks }) => {
    expect(computeClocks(facts, d('2026-06-11T00:00:00Z'))).toEqual(clocks);
  });
});

describe('computeClocks: s.4, s.2 and the admission window', () => {
  const app = (medicalExaminationAt?: string): ClockFact =>
    medicalExaminationAt
      ? { type: 'application-made', at: '2026-06-01T09:00:00Z', section: 's4', medicalExaminationAt }
      : { type: 'application-made', at: '2026-06-01T09:00:00Z', section: 's4' };
  const exam = (at: string): ClockFact => ({ type: 'medical-examination-completed', at });
  const now = d('2026-06-01T12:00:00Z');

  it.each<{ name: string; facts: ClockFact[]; startsAt: string }>([
    { name: 'examined before the application: from the examination', facts: [app('2026-06-01T07:00:00Z')], startsAt: '2026-06-01T07:00:00.000Z' },
    { name: 'the examination given by the earlier fact', facts: [exam('2026-06-01T06:30:00Z'), app()], startsAt: '2026-06-01T06:30:00.000Z' },
    { name: 'the application carries the examination it rests on', facts: [exam('2026-06-01T06:30:00Z'), app('2026-06-01T07:00:00Z')], startsAt: '2026-06-01T07:00:00.000Z' },
    { name: 'no examination recorded: from the application', facts: [app()], startsAt: '2026-06-01T09:00:00.000Z' },
    { name: 'an examination time after the application: the earlier, the application', facts: [app('2026-06-01T11:00:00Z')], startsAt: '2026-06-01T09:00:00.000Z' },
  ])('s.4 admission within 24 h of examination or application, whichever is earlier: $name', ({ facts, startsAt }) => {
    const s4admission = computeClocks(facts, now).find((c) => c.power === 's4-admission');
    expect(s4admission).toMatchObject({ startsAt, expiresAt: new Date(parseInstant(startsAt) + 24 * 3_600_000).toISOString() });
  });

  it.each<{ name: string; facts: ClockFact[]; now: string; clocks: Clock[] }>([
    {
      name: 's.4: admitted within the 24 h; the 72 h run from admission',
      facts: [exam('2026-06-01T07:00:00Z'), app(), { type: 'admitted', at: '2026-06-01T15:00:00Z', power: 's4' }],
      now: '2026-06-01T16:00:00Z',
      clocks: [
        clock({ power: 'admission-window', startsAt: '2026-06-01T07:00:00.000Z', expiresAt: '2026-06-14T23:00:00.000Z', state: 'ended', endedAt: '2026-06-01T09:00:00.000Z', endedBy: 'application-made' }),
        clock({ power: 's4-admission', startsAt: '2026-06-01T07:00:00.000Z', expiresAt: '2026-06-02T07:00:00.000Z', state: 'ended', endedAt: '2026-06-01T15:00:00.000Z', endedBy: 'admitted' }),
        clock({ power: 's4', startsAt: '2026-06-01T15:00:00.000Z', expiresAt: '2026-06-04T15:00:00.000Z', state: 'running' }),
      ],
    },
    {
      name: 's.4 converted to s.2 by a second recommendation: 28 days beginning with the day of the s.4 admission',
      facts: [app('2026-06-01T07:00:00Z'), { type: 'admitted', at: '2026-06-01T15:00:00Z', power: 's4' }, { type: 's4-converted-to-s2', at: '2026-06-03T12:00:00Z' }],
      now: '2026-06-03T12:00:00Z',
      clocks: [
        clock({ power: 's4-admission', startsAt: '2026-06-01T07:00:00.000Z', expiresAt: '2026-06-02T07:00:00.000Z', state: 'ended', endedAt: '2026-06-01T15:00:00.000Z', endedBy: 'admitted' }),
        clock({ power: 's4', startsAt: '2026-06-01T15:00:00.000Z', expiresAt: '2026-06-04T15:00:00.000Z', state: 'ended', endedAt: '2026-06-03T12:00:00.000Z', endedBy: 's4-converted-to-s2' }),
        clock({ power: 's2', startsAt: '2026-06-01T15:00:00.000Z', expiresAt: '2026-06-28T23:00:00.000Z', state: 'running' }),
      ],
    },
    {
      name: 'a second recommendation after the 72 h converts nothing: the s.4 has lapsed',
      facts: [{ type: 'admitted', at: '2026-06-01T15:00:00Z', power: 's4' }, { type: 's4-converted-to-s2', at: '2026-06-04T16:00:00Z' }],
      now: '2026-06-04T16:00:00Z',
      clocks: [clock({ power: 's4', startsAt: '2026-06-01T15:00:00.000Z', expiresAt: '2026-06-04T15:00:00.000Z', state: 'breached' })],
    },
    {
      name: 's.2: 28 days beginning with the day of admission, ending at London midnight across spring 2026',
      facts: [{ type: 'admitted', at: '2026-03-20T10:00:00Z', power: 's2' }],
      now: '2026-03-20T10:00:00Z',
      clocks: [clock({ power: 's2', startsAt: '2026-03-20T10:00:00.000Z', expiresAt: '2026-04-16T23:00:00.000Z', state: 'running' })],
    },
    {
      name: 's.2 converting to s.3: admission under s.3 ends the s.2 clock (no s.3 clock in DOMAIN §4)',
      facts: [{ type: 'admitted', at: '2026-03-20T10:00:00Z', power: 's2' }, exam('2026-04-01T10:00:00Z'), { type: 'admitted', at: '2026-04-02T10:00:00Z', power: 's3' }],
      now: '2026-04-02T10:00:00Z',
      clocks: [
        clock({ power: 's2', startsAt: '2026-03-20T10:00:00.000Z', expiresAt: '2026-04-16T23:00:00.000Z', state: 'ended', endedAt: '2026-04-02T10:00:00.000Z', endedBy: 'admitted' }),
        clock({ power: 'admission-window', startsAt: '2026-04-01T10:00:00.000Z', expiresAt: '2026-04-14T23:00:00.000Z', state: 'ended', endedAt: '2026-04-02T10:00:00.000Z', endedBy: 'admitted' }),
      ],
    },
    {
      name: 'admission window: 14 days beginning with the day of the examination (20 Mar to 2 Apr, ends 00:00 BST 3 Apr)',
      facts: [exam('2026-03-20T10:00:00Z')],
      now: '2026-03-20T10:00:00Z',
      clocks: [clock({ power: 'admission-window', startsAt: '2026-03-20T10:00:00.000Z', expiresAt: '2026-04-02T23:00:00.000Z', state: 'running' })],
    },
    {
      name: 'admission window restarted by a later examination: one clock, from the last',
      facts: [exam('2026-03-20T10:00:00Z'), exam('2026-03-25T09:00:00Z')],
      now: '2026-03-25T09:00:00Z',
      clocks: [clock({ power: 'admission-window', startsAt: '2026-03-25T09:00:00.000Z', expiresAt: '2026-04-07T23:00:00.000Z', state: 'running' })],
    },
    {
      name: 'admission window ended by admission; a later examination opens a new one',
      facts: [exam('2026-03-20T10:00:00Z'), { type: 'admitted', at: '2026-03-21T18:00:00Z', power: 's2' }, exam('2026-04-10T10:00:00Z')],
      now: '2026-04-10T10:00:00Z',
      clocks: [
        clock({ power: 'admission-window', startsAt: '2026-03-20T10:00:00.000Z', expiresAt: '2026-04-02T23:00:00.000Z', state: 'ended', endedAt: '2026-03-21T18:00:00.000Z', endedBy: 'admitted' }),
        clock({ power: 's2', startsAt: '2026-03-21T18:00:00.000Z', expiresAt: '2026-04-17T23:00:00.000Z', state: 'running' }),
        clock({ power: 'admission-window', startsAt: '2026-04-10T10:00:00.000Z', expiresAt: '2026-04-23T23:00:00.000Z', state: 'running' }),
      ],
    },
    {
      name: 'recommendations made, no bed: the window is the clock that matters, and it breaches',
      facts: [exam('2026-03-20T10:00:00Z')],
      now: '2026-04-03T09:00:00+01:00',
      clocks: [clock({ power: 'admission-window', startsAt: '2026-03-20T10:00:00.000Z', expiresAt: '2026-04-02T23:00:00.000Z', state: 'breached' })],
    },
    {
      name: 'referral-closed ends every open clock',
      facts: [...j1Facts, exam('2026-05-17T02:00:00+01:00'), { type: 'referral-closed', at: '2026-05-17T09:00:00+01:00' }],
      now: '2026-05-17T09:00:00+01:00',
      clocks: [
        clock({ power: 's136', startsAt: z(J1.arrival), expiresAt: J1.expiry, state: 'ended', endedAt: '2026-05-17T08:00:00.000Z', endedBy: 'referral-closed' }),
        clock({ power: 'admission-window', startsAt: '2026-05-17T01:00:00.000Z', expiresAt: '2026-05-30T23:00:00.000Z', state: 'ended', endedAt: '2026-05-17T08:00:00.000Z', endedBy: 'referral-closed' }),
      ],
    },
  ])('$name', ({ facts, now, clocks }) => {
    expect(computeClocks(facts, d(now))).toEqual(clocks);
  });
});

describe('computeClocks across the clock changes', () => {
  // Hour periods are elapsed time: the London wall clock gains or loses the hour.
  it.each<{ name: string; facts: ClockFact[]; power: Power; expiresAt: string; local: string }>([
    {
      name: 's.136 arrival 23:40 GMT Sat 28 Mar 2026: 24 h later is 00:40 BST Monday',
      facts: [{ type: 'detained', power: 's136', at: '2026-03-28T23:20:00Z' }, { type: 'arrived-at-place-of-safety', at: '2026-03-28T23:40:00Z' }],
      power: 's136',
      expiresAt: '2026-03-29T23:40:00.000Z',
      local: '2026-03-30T00:40:00+01:00',
    },
    {
      name: 's.5(4) at 00:30 GMT on 29 Mar 2026: 6 h later is 07:30 BST',
      facts: [{ type: 's5-4-recorded', at: '2026-03-29T00:30:00Z' }],
      power: 's5-4',
      expiresAt: '2026-03-29T06:30:00.000Z',
      local: '2026-03-29T07:30:00+01:00',
    },
    {
      name: 's.5(2) from noon GMT Fri 27 Mar 2026: 72 h later is 13:00 BST',
      facts: [{ type: 's5-2-furnished', at: '2026-03-27T12:00:00Z' }],
      power: 's5-2',
      expiresAt: '2026-03-30T12:00:00.000Z',
      local: '2026-03-30T13:00:00+01:00',
    },
    {
      name: 's.136 arrival 23:40 BST Sat 24 Oct 2026: 24 h later is 22:40 GMT Sunday',
      facts: [{ type: 'detained', power: 's136', at: '2026-10-24T23:10:00+01:00' }, { type: 'arrived-at-place-of-safety', at: '2026-10-24T23:40:00+01:00' }],
      power: 's136',
      expiresAt: '2026-10-25T22:40:00.000Z',
      local: '2026-10-25T22:40:00+00:00',
    },
    {
      name: 's.5(4) in the first 01:30 (BST) of 25 Oct 2026: 6 h later is 06:30 GMT',
      facts: [{ type: 's5-4-recorded', at: '2026-10-25T01:30:00+01:00' }],
      power: 's5-4',
      expiresAt: '2026-10-25T06:30:00.000Z',
      local: '2026-10-25T06:30:00+00:00',
    },
    {
      name: 's.4 admitted 18:00 BST Fri 23 Oct 2026: 72 h later is 17:00 GMT Monday',
      facts: [{ type: 'admitted', at: '2026-10-23T18:00:00+01:00', power: 's4' }],
      power: 's4',
      expiresAt: '2026-10-26T17:00:00.000Z',
      local: '2026-10-26T17:00:00+00:00',
    },
    {
      name: 's.4 examination 21:00 GMT Sat 27 Mar 2027: admission by 22:00 BST Sunday',
      facts: [{ type: 'application-made', at: '2027-03-27T22:00:00Z', section: 's4', medicalExaminationAt: '2027-03-27T21:00:00Z' }],
      power: 's4-admission',
      expiresAt: '2027-03-28T21:00:00.000Z',
      local: '2027-03-28T22:00:00+01:00',
    },
    {
      name: 's.135(1) kept at the premises 20:00 BST Sat 30 Oct 2027: 24 h later is 19:00 GMT Sunday',
      facts: [{ type: 'detained', power: 's135-1', at: '2027-10-30T20:00:00+01:00', keptWhereFound: true }],
      power: 's135-1',
      expiresAt: '2027-10-31T19:00:00.000Z',
      local: '2027-10-31T19:00:00+00:00',
    },
    // Day periods end at London midnight: the last day is a local day of 23 or 25 hours.
    {
      name: 's.2 admitted 2 Mar 2026: day 28 is 29 Mar (23 h), ends 00:00 BST 30 Mar',
      facts: [{ type: 'admitted', at: '2026-03-02T12:00:00Z', power: 's2' }],
      power: 's2',
      expiresAt: '2026-03-29T23:00:00.000Z',
      local: '2026-03-30T00:00:00+01:00',
    },
    {
      name: 's.2 admitted 23:30 BST 10 Oct 2026: day 1 is 10 Oct, ends 00:00 GMT 7 Nov',
      facts: [{ type: 'admitted', at: '2026-10-10T22:30:00Z', power: 's2' }],
      power: 's2',
      expiresAt: '2026-11-07T00:00:00.000Z',
      local: '2026-11-07T00:00:00+00:00',
    },
    {
      name: 's.2 admitted 00:30 BST 11 Oct 2026 (23:30Z on the 10th): day 1 is 11 Oct, ends 00:00 GMT 8 Nov',
      facts: [{ type: 'admitted', at: '2026-10-10T23:30:00Z', power: 's2' }],
      power: 's2',
      expiresAt: '2026-11-08T00:00:00.000Z',
      local: '2026-11-08T00:00:00+00:00',
    },
    {
      name: 's.2 admitted 10 Mar 2027: ends 00:00 BST 7 Apr 2027',
      facts: [{ type: 'admitted', at: '2027-03-10T12:00:00Z', power: 's2' }],
      power: 's2',
      expiresAt: '2027-04-06T23:00:00.000Z',
      local: '2027-04-07T00:00:00+01:00',
    },
    {
      name: 'admission window from 12 Oct 2026: day 14 is 25 Oct (25 h), ends 00:00 GMT 26 Oct',
      facts: [{ type: 'medical-examination-completed', at: '2026-10-12T14:00:00+01:00' }],
      power: 'admission-window',
      expiresAt: '2026-10-26T00:00:00.000Z',
      local: '2026-10-26T00:00:00+00:00',
    },
    {
      name: 'admission window from 18 Oct 2027: ends 00:00 GMT 1 Nov 2027',
      facts: [{ type: 'medical-examination-completed', at: '2027-10-18T09:00:00+01:00' }],
      power: 'admission-window',
      expiresAt: '2027-11-01T00:00:00.000Z',
      local: '2027-11-01T00:00:00+00:00',
    },
  ])('$name', ({ facts, power, expiresAt, local }) => {
    const found = computeClocks(facts, d('2020-01-01T00:00:00Z')).find((c) => c.power === power);
    expect(found?.expiresAt).toBe(expiresAt);
    expect(toLondonIso(d(expiresAt))).toBe(local);
  });
});

describe('clock states at now', () => {
  const s2Facts: ClockFact[] = [{ type: 'admitted', at: '2026-03-20T10:00:00Z', power: 's2' }];
  const s54Facts: ClockFact[] = [{ type: 's5-4-recorded', at: J3.s54 }];
  it.each<{ name: string; facts: ClockFact[]; now: string; state: ClockState }>([
    { name: 's.136 just arrived', facts: j1Facts, now: J1.arrival, state: 'running' },
    { name: 's.136 1 ms before 6 h left', facts: j1Facts, now: '2026-05-17T16:39:59.999Z', state: 'running' },
    { name: 's.136 at 6 h left', facts: j1Facts, now: '2026-05-17T16:40:00Z', state: 'warning' },
    { name: 's.136 at 2 h left', facts: j1Facts, now: '2026-05-17T20:40:00Z', state: 'warning' },
    { name: 's.136 1 ms before expiry', facts: j1Facts, now: '2026-05-17T22:39:59.999Z', state: 'warning' },
    { name: 's.136 at expiry', facts: j1Facts, now: J1.expiry, state: 'breached' },
    { name: 's.136 a day after expiry', facts: j1Facts, now: '2026-05-18T22:40:00Z', state: 'breached' },
    { name: 'extended s.136 back to running (14 h 40 left)', facts: j1Extended, now: '2026-05-17T21:00:00+01:00', state: 'running' },
    { name: 'extended s.136 past the original expiry', facts: j1Extended, now: '2026-05-17T23:40:00+01:00', state: 'running' },
    { name: 'extended s.136 at 6 h before the extended expiry', facts: j1Extended, now: '2026-05-18T05:40:00+01:00', state: 'warning' },
    { name: 'extended s.136 at the extended expiry', facts: j1Extended, now: '2026-05-18T11:40:00+01:00', state: 'breached' },
    { name: 's.5(4): a 6 h clock is in warning from its start', facts: s54Facts, now: J3.s54, state: 'warning' },
    { name: 's.5(4) at 18:00', facts: s54Facts, now: '2026-06-10T18:00:00+01:00', state: 'breached' },
    { name: 's.2 before its last day', facts: s2Facts, now: '2026-04-15T22:59:59Z', state: 'running' },
    { name: 's.2 at 00:00 BST on its last day (16 Apr)', facts: s2Facts, now: '2026-04-15T23:00:00Z', state: 'warning' },
    { name: 's.2 at 00:00 BST 17 Apr', facts: s2Facts, now: '2026-04-16T23:00:00Z', state: 'breached' },
    { name: 'ended beats breached', facts: [...s54Facts, { type: 'practitioner-arrived', at: '2026-06-10T19:00:00+01:00' }], now: '2026-06-10T20:00:00+01:00', state: 'ended' },
  ])('$name: $state', ({ facts, now, state }) => {
    expect(computeClocks(facts, d(now))[0]?.state).toBe(state);
  });
});

describe('checkExtension (s.136B)', () => {
  const base: ExtensionRequest = { power: 's136', at: J1.extensionAt, hours: 12, ground: GROUND, byRole: RMP };
  const now = J1.extensionAt;
  const atPoliceStation: ClockFact[] = [
    { type: 'detained', power: 's136', at: J1.detained },
    { type: 'arrived-at-place-of-safety', at: J1.arrival, placeOfSafetyType: 'police-station' },
  ];
  type Case = { name: string; facts?: ClockFact[]; request?: Partial<ExtensionRequest>; now?: string; result: 'ok' | ExtensionRefusal };
  it.each<Case>([
    { name: 'J1: 12 h at 20:00 Sunday, by the doctor, on the ground', result: 'ok' },
    { name: '6 h', request: { hours: 6 }, result: 'ok' },
    { name: 'one minute before expiry', request: { at: '2026-05-17T23:39:00+01:00' }, now: '2026-05-17T23:39:00+01:00', result: 'ok' },
    { name: 'decision time omitted: now', request: { at: undefined }, result: 'ok' },
    { name: 'J1: a second extension', facts: j1Extended, request: { at: '2026-05-17T21:00:00+01:00', hours: 1 }, now: '2026-05-17T21:00:00+01:00', result: 'already-extended' },
    { name: 'at the expiry instant', request: { at: J1.expiry }, now: J1.expiry, result: 'after-expiry' },
    { name: 'after expiry', request: { at: '2026-05-17T23:41:00+01:00' }, now: '2026-05-17T23:41:00+01:00', result: 'after-expiry' },
    { name: 'decision time omitted, asked after expiry', request: { at: undefined }, now: '2026-05-18T00:10:00+01:00', result: 'after-expiry' },
    { name: 'recorded late for a decision made before expiry', request: { at: '2026-05-17T23:00:00+01:00' }, now: '2026-05-17T23:50:00+01:00', result: 'ok' },
    { name: 'a decision time in the future', request: { at: '2026-05-17T21:00:00+01:00' }, now: '2026-05-17T20:00:00+01:00', result: 'at-in-future' },
    { name: '13 h', request: { hours: 13 }, result: 'too-long' },
    { name: '12.5 h', request: { hours: 12.5 }, result: 'too-long' },
    { name: '0 h', request: { hours: 0 }, result: 'invalid-hours' },
    { name: '-1 h', request: { hours: -1 }, result: 'invalid-hours' },
    { name: 'NaN h', request: { hours: Number.NaN }, result: 'invalid-hours' },
    { name: 'no ground', request: { ground: undefined }, result: 'ground-missing' },
    { name: 'another ground', request: { ground: 'no-bed-available' }, result: 'ground-missing' },
    { name: 'by an AMHP', request: { byRole: 'amhp' }, result: 'not-medical-practitioner' },
    { name: 'by nobody named', request: { byRole: undefined }, result: 'not-medical-practitioner' },
    { name: 'at a police station without a superintendent', request: { placeOfSafetyType: 'police-station' }, result: 'superintendent-approval-required' },
    { name: 'in custody without a superintendent', request: { placeOfSafetyType: 'custody' }, result: 'superintendent-approval-required' },
    { name: 'at a police station, superintendent approval false', request: { placeOfSafetyType: 'police-station', superintendentApproved: false }, result: 'superintendent-approval-required' },
    { name: 'at a police station with a superintendent', request: { placeOfSafetyType: 'police-station', superintendentApproved: true }, result: 'ok' },
    { name: 'recorded arrival at a police station, request silent about the place', facts: atPoliceStation, result: 'superintendent-approval-required' },
    {
      name: 'moved from the police station to a health-based place',
      facts: [...atPoliceStation, { type: 'transferred-between-places-of-safety', at: '2026-05-17T09:00:00+01:00', placeOfSafetyType: 'health-based' }],
      result: 'ok',
    },
    { name: 's.5(4)', request: { power: 's5-4' }, result: 'not-extendable' },
    { name: 's.2', request: { power: 's2' }, result: 'not-extendable' },
    { name: 's.4', request: { power: 's4' }, result: 'not-extendable' },
    { name: 'no facts at all', facts: [], result: 'no-running-clock' },
    { name: 's.135(1) when the detention is s.136', request: { power: 's135-1' }, result: 'no-running-clock' },
    // The clock runs from the detention until the arrival is recorded (DOMAIN §4), so it can be extended.
    { name: 'detained, not yet at a place of safety', facts: [j1Facts[0]!], result: 'ok' },
    { name: 'a decision before the clock started', request: { at: '2026-05-16T23:30:00+01:00' }, result: 'no-running-clock' },
    { name: 'after the detention ended', facts: [...j1Facts, { type: 'detention-ended', at: '2026-05-17T10:00:00+01:00' }], result: 'no-running-clock' },
    { name: 'after the application', facts: [...j1Facts, { type: 'application-made', at: '2026-05-17T10:00:00+01:00', section: 's2' }], result: 'no-running-clock' },
    {
      name: 's.135(2) at its place of safety',
      facts: [{ type: 'detained', power: 's135-2', at: '2026-05-17T08:00:00+01:00' }, { type: 'arrived-at-place-of-safety', at: '2026-05-17T08:30:00+01:00' }],
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
  const rows = (clocks: Clock[]): Row[] => clocks.flatMap((c) => thresholdsOf(c)).map((t) => [t.threshold, t.at, t.relativeTo]);
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
    { name: 'strictly after: at the 6 h warning, the 2 h one', facts: j1Facts, after: '2026-05-17T16:40:00Z', next: '2026-05-17T20:40:00.000Z' },
    { name: 'after the breach: nothing', facts: j1Facts, after: E, next: undefined },
    { name: 'J1 just after the extension: 6 h before 11:40 Monday', facts: j1Extended, after: '2026-05-17T19:00:00Z', next: '2026-05-18T04:40:00.000Z' },
    { name: 'several clocks: the s.5(4) warning comes first', facts: mixed, after: '2026-05-17T05:00:00Z', next: '2026-05-17T09:00:00.000Z' },
    {
      name: 'ended clocks do not count',
      facts: [...mixed, { type: 'practitioner-arrived', at: '2026-05-17T07:00:00+01:00' }],
      after: '2026-05-17T06:00:00Z',
      next: '2026-05-17T16:40:00.000Z',
    },
    { name: 'after the s.136: the window\'s day-before warning', facts: mixed, after: '2026-05-18T00:00:00Z', next: '2026-05-29T23:00:00.000Z' },
    { name: 'no clocks', facts: [], after: J1.arrival, next: undefined },
  ])('nextDeadline: $name', ({ facts, after, next }) => {
    expect(nextDeadline(computeClocks(facts, d(after)), d(after))).toBe(next);
  });

  it.each<{ name: string; facts: ClockFact[]; now: string; recorded: string[]; due: string[] }>([
    { name: 'nothing yet', facts: j1Facts, now: '2026-05-17T16:39:00Z', recorded: [], due: [] },
    { name: 'a late sweep gets both warnings, in order', facts: j1Facts, now: '2026-05-17T21:00:00Z', recorded: [], due: [`s136#warning-6h#${E}`, `s136#warning-2h#${E}`] },
    { name: 'recorded ones are not due again', facts: j1Facts, now: '2026-05-17T21:00:00Z', recorded: [`s136#warning-6h#${E}`], due: [`s136#warning-2h#${E}`] },
    { name: 'at the breach instant', facts: j1Facts, now: E, recorded: [`s136#warning-6h#${E}`, `s136#warning-2h#${E}`], due: [`s136#breach#${E}`] },
    {
      name: 'an ended clock: a breach before its end is still due, its warnings are not',
      facts: [
        { type: 'application-made', at: '2026-06-01T09:00:00Z', section: 's4', medicalExaminationAt: '2026-06-01T07:00:00Z' },
        { type: 'admitted', at: '2026-06-02T08:00:00Z', power: 's4' },
      ],
      now: '2026-06-02T08:01:00Z',
      recorded: [],
      due: ['s4-admission#breach#2026-06-02T07:00:00.000Z'],
    },
    { name: 'an ended clock that never breached: nothing', facts: [...j1Facts, { type: 'detention-ended', at: '2026-05-17T21:00:00Z' }], now: '2026-05-18T00:00:00Z', recorded: [], due: [] },
  ])('dueThresholds: $name', ({ facts, now, recorded, due }) => {
    expect(dueThresholds(computeClocks(facts, d(now)), d(now), new Set(recorded)).map((t) => t.key)).toEqual(due);
  });

  it('a sweep every minute through J1 appends each threshold exactly once: 6 h, then the extended clock\'s 6 h, 2 h and breach', () => {
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
  });

  it('nearestExpiry orders by the effective expiry of open clocks', () => {
    const clocks = computeClocks([...j1Extended, { type: 's5-2-furnished', at: '2026-05-17T10:00:00Z' }], d(J1.arrival));
    expect(nearestExpiry(clocks)).toBe(J1.extendedUntil);
    expect(nearestExpiry([])).toBeUndefined();
  });
});

describe('rule table as a parameter (MHA reform)', () => {
  const reform: ClockRules = {
    ...CLOCK_RULES,
    version: 'reform-test',
    powers: {
      ...CLOCK_RULES.powers,
      s136: { unit: 'hours', period: 12, extension: { ...CLOCK_RULES.powers.s136.extension, maxHours: 12, once: false } },
      s2: { unit: 'days', period: 14 },
    },
    warnings: { hours: [1], days: [2, 1] },
  };

  it.each<{ name: string; facts: ClockFact[]; expected: Partial<Clock> }>([
    { name: 'a shorter s.136 period', facts: j1Facts, expected: { expiresAt: '2026-05-17T10:40:00.000Z', rulesVersion: 'reform-test' } },
    {
      name: 'several extensions up to the total, when not once-only',
      facts: [...j1Facts, extended('2026-05-17T09:00:00+01:00', 6), extended('2026-05-17T15:00:00+01:00', 6), extended('2026-05-17T20:00:00+01:00', 1)],
      expected: { expiresAt: '2026-05-17T10:40:00.000Z', extendedUntil: '2026-05-17T22:40:00.000Z' },
    },
    { name: 'a shorter s.2', facts: [{ type: 'admitted', at: '2026-03-20T10:00:00Z', power: 's2' }], expected: { expiresAt: '2026-04-02T23:00:00.000Z' } },
  ])('$name', ({ facts, expected }) => {
    expect(computeClocks(facts, d('2026-05-17T00:00:00Z'), reform)[0]).toMatchObject(expected);
  });

  it('warning offsets come from the table too', () => {
    const [s2] = computeClocks([{ type: 'admitted', at: '2026-03-20T10:00:00Z', power: 's2' }], d('2026-03-20T10:00:00Z'), reform);
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
