/**
 * Statutory clocks (DOMAIN §4, JOURNEYS J1 and J3) and the Europe/London arithmetic under them.
 * Every expectation is written out as a UTC instant so the tables can be checked by hand; the
 * clock-change cases also state the London wall time the board would show. Split by concern:
 * clocks-london-time, clocks-admission and clocks-thresholds hold the rest.
 */
import { describe, expect, it } from 'vitest';
import { CLOCK_RULES, computeClocks, type Clock, type ClockFact, type Power } from '../../shared/domain/clocks.js';
import { toLondonIso } from '../../shared/domain/london-time.js';
import { d, z, clock, extended, J1, j1Facts, j1Extended } from '../support/clock-fixtures.js';

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
      facts: [
        kept('s136', '2026-06-05T14:00:00Z', '2026-06-05T14:20:00Z'),
        { type: 'arrived-at-place-of-safety', at: '2026-06-05T15:00:00Z' },
      ],
      now: '2026-06-05T15:00:00Z',
      clocks: [
        clock({
          power: 's136',
          startsAt: '2026-06-05T14:20:00.000Z',
          expiresAt: '2026-06-06T14:20:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 'kept where found without a separate decision time: starts at the detention',
      facts: [kept('s136', '2026-06-05T14:00:00Z')],
      now: '2026-06-05T15:00:00Z',
      clocks: [
        clock({
          power: 's136',
          startsAt: '2026-06-05T14:00:00.000Z',
          expiresAt: '2026-06-06T14:00:00.000Z',
          state: 'running',
        }),
      ],
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
      clocks: [
        clock({
          power: 's136',
          startsAt: '2026-06-05T10:00:00.000Z',
          expiresAt: '2026-06-06T10:00:00.000Z',
          state: 'warning',
        }),
      ],
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
        clock({
          power: 's136',
          startsAt: '2026-06-05T09:30:00.000Z',
          expiresAt: '2026-06-06T09:30:00.000Z',
          state: 'ended',
          endedAt: '2026-06-05T09:50:00.000Z',
          endedBy: 'detention-ended',
        }),
      ],
    },
    {
      // DOMAIN §4: a detention always has a clock; with no arrival yet it runs from the detention.
      name: 'detained but not yet arrived: a clock from the detention (the earliest the facts allow)',
      facts: [{ type: 'detained', power: 's136', at: '2026-06-05T09:30:00Z' }],
      now: '2026-06-05T09:45:00Z',
      clocks: [
        clock({
          power: 's136',
          startsAt: '2026-06-05T09:30:00.000Z',
          expiresAt: '2026-06-06T09:30:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 'a transfer with no recorded arrival: the clock keeps the detention as its start',
      facts: [
        { type: 'detained', power: 's136', at: '2026-06-05T09:30:00Z' },
        {
          type: 'transferred-between-places-of-safety',
          at: '2026-06-05T11:00:00Z',
          placeOfSafetyType: 'health-based-place-of-safety',
        },
        { type: 'arrived-at-place-of-safety', at: '2026-06-05T12:00:00Z' },
      ],
      now: '2026-06-05T12:00:00Z',
      clocks: [
        clock({
          power: 's136',
          startsAt: '2026-06-05T09:30:00.000Z',
          expiresAt: '2026-06-06T09:30:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 'an arrival dated 3 minutes before the detention (within the tolerance): the clock runs from the detention',
      facts: [
        { type: 'arrived-at-place-of-safety', at: '2026-06-05T09:27:00Z' },
        { type: 'detained', power: 's136', at: '2026-06-05T09:30:00Z' },
      ],
      now: '2026-06-05T09:45:00Z',
      clocks: [
        clock({
          power: 's136',
          startsAt: '2026-06-05T09:30:00.000Z',
          expiresAt: '2026-06-06T09:30:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 's.135(2): waits for arrival like s.136',
      facts: [
        { type: 'detained', power: 's135-2', at: '2026-06-05T09:30:00Z' },
        { type: 'arrived-at-place-of-safety', at: '2026-06-05T10:10:00Z' },
      ],
      now: '2026-06-05T10:10:00Z',
      clocks: [
        clock({
          power: 's135-2',
          startsAt: '2026-06-05T10:10:00.000Z',
          expiresAt: '2026-06-06T10:10:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      // s.135(3ZA): from the constable's first entry, never the later decision to keep.
      name: 's.135(1) kept at the premises, entry not given: starts at the detention, not the decision',
      facts: [kept('s135-1', '2026-06-05T09:30:00Z', '2026-06-05T09:40:00Z')],
      now: '2026-06-05T10:00:00Z',
      clocks: [
        clock({
          power: 's135-1',
          startsAt: '2026-06-05T09:30:00.000Z',
          expiresAt: '2026-06-06T09:30:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: "s.135(1) kept at the premises: starts at the constable's entry",
      facts: [
        {
          type: 'detained',
          power: 's135-1',
          at: '2026-06-05T09:30:00Z',
          keptWhereFound: true,
          decisionToKeepAt: '2026-06-05T09:40:00Z',
          enteredPremisesAt: '2026-06-05T09:10:00Z',
        },
      ],
      now: '2026-06-05T10:00:00Z',
      clocks: [
        clock({
          power: 's135-1',
          startsAt: '2026-06-05T09:10:00.000Z',
          expiresAt: '2026-06-06T09:10:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 'the same detention reported twice gives one clock',
      facts: [
        ...j1Facts,
        { type: 'detained', power: 's136', at: J1.detained },
        { type: 'arrived-at-place-of-safety', at: '2026-05-17T01:00:00+01:00' },
      ],
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
    expect(computeClocks(shuffled, now)[0]).toMatchObject({
      extendedUntil: J1.extendedUntil,
      endedBy: 'detention-ended',
    });
  });

  it.each<{ name: string; fact: ClockFact }>([
    { name: '13 h', fact: extended(J1.extensionAt, 13) },
    { name: 'after expiry', fact: extended('2026-05-17T23:41:00+01:00', 12) },
    {
      name: 'at a police station without a superintendent',
      fact: extended(J1.extensionAt, 12, { placeOfSafetyType: 'police-station' }),
    },
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
    expect(s136).toMatchObject({
      expiresAt: '2026-03-29T23:40:00.000Z',
      extendedUntil: '2026-03-30T11:40:00.000Z',
      state: 'running',
    });
    expect(toLondonIso(d(s136!.expiresAt))).toBe('2026-03-30T00:40:00+01:00');
    expect(toLondonIso(d(s136!.extendedUntil!))).toBe('2026-03-30T12:40:00+01:00');
  });
});
