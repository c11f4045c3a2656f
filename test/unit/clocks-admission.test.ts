/**
 * Statutory clocks (DOMAIN §4): s.4, s.2 and the admission window, across the clock changes,
 * and the states at now. Split out of clocks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { computeClocks, parseInstant, type Clock, type ClockFact } from '../../shared/domain/clocks.js';
import { d, z, clock, J1, j1Facts } from '../support/clock-fixtures.js';

describe('computeClocks: s.4, s.2 and the admission window', () => {
  const app = (medicalExaminationAt?: string): ClockFact =>
    medicalExaminationAt
      ? { type: 'application-made', at: '2026-06-01T09:00:00Z', section: 's4', medicalExaminationAt }
      : { type: 'application-made', at: '2026-06-01T09:00:00Z', section: 's4' };
  const exam = (at: string): ClockFact => ({ type: 'medical-examination-completed', at });
  const now = d('2026-06-01T12:00:00Z');

  it.each<{ name: string; facts: ClockFact[]; startsAt: string }>([
    {
      name: 'examined before the application: from the examination',
      facts: [app('2026-06-01T07:00:00Z')],
      startsAt: '2026-06-01T07:00:00.000Z',
    },
    {
      name: 'the examination given by the earlier fact',
      facts: [exam('2026-06-01T06:30:00Z'), app()],
      startsAt: '2026-06-01T06:30:00.000Z',
    },
    {
      name: 'the application carries the examination it rests on',
      facts: [exam('2026-06-01T06:30:00Z'), app('2026-06-01T07:00:00Z')],
      startsAt: '2026-06-01T07:00:00.000Z',
    },
    { name: 'no examination recorded: from the application', facts: [app()], startsAt: '2026-06-01T09:00:00.000Z' },
    {
      name: 'an examination time after the application: the earlier, the application',
      facts: [app('2026-06-01T11:00:00Z')],
      startsAt: '2026-06-01T09:00:00.000Z',
    },
  ])('s.4 admission within 24 h of examination or application, whichever is earlier: $name', ({ facts, startsAt }) => {
    const s4admission = computeClocks(facts, now).find((c) => c.power === 's4-admission');
    expect(s4admission).toMatchObject({
      startsAt,
      expiresAt: new Date(parseInstant(startsAt) + 24 * 3_600_000).toISOString(),
    });
  });

  it.each<{ name: string; facts: ClockFact[]; now: string; clocks: Clock[] }>([
    {
      name: 's.4: admitted within the 24 h; the 72 h run from admission',
      facts: [exam('2026-06-01T07:00:00Z'), app(), { type: 'admitted', at: '2026-06-01T15:00:00Z', power: 's4' }],
      now: '2026-06-01T16:00:00Z',
      clocks: [
        clock({
          power: 'admission-window',
          startsAt: '2026-06-01T07:00:00.000Z',
          expiresAt: '2026-06-14T23:00:00.000Z',
          state: 'ended',
          endedAt: '2026-06-01T09:00:00.000Z',
          endedBy: 'application-made',
        }),
        clock({
          power: 's4-admission',
          startsAt: '2026-06-01T07:00:00.000Z',
          expiresAt: '2026-06-02T07:00:00.000Z',
          state: 'ended',
          endedAt: '2026-06-01T15:00:00.000Z',
          endedBy: 'admitted',
        }),
        clock({
          power: 's4',
          startsAt: '2026-06-01T15:00:00.000Z',
          expiresAt: '2026-06-04T15:00:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 's.4 converted to s.2 by a second recommendation: 28 days beginning with the day of the s.4 admission',
      facts: [
        app('2026-06-01T07:00:00Z'),
        { type: 'admitted', at: '2026-06-01T15:00:00Z', power: 's4' },
        { type: 's4-converted-to-s2', at: '2026-06-03T12:00:00Z' },
      ],
      now: '2026-06-03T12:00:00Z',
      clocks: [
        clock({
          power: 's4-admission',
          startsAt: '2026-06-01T07:00:00.000Z',
          expiresAt: '2026-06-02T07:00:00.000Z',
          state: 'ended',
          endedAt: '2026-06-01T15:00:00.000Z',
          endedBy: 'admitted',
        }),
        clock({
          power: 's4',
          startsAt: '2026-06-01T15:00:00.000Z',
          expiresAt: '2026-06-04T15:00:00.000Z',
          state: 'ended',
          endedAt: '2026-06-03T12:00:00.000Z',
          endedBy: 's4-converted-to-s2',
        }),
        clock({
          power: 's2',
          startsAt: '2026-06-01T15:00:00.000Z',
          expiresAt: '2026-06-28T23:00:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 'a second recommendation after the 72 h converts nothing: the s.4 has lapsed',
      facts: [
        { type: 'admitted', at: '2026-06-01T15:00:00Z', power: 's4' },
        { type: 's4-converted-to-s2', at: '2026-06-04T16:00:00Z' },
      ],
      now: '2026-06-04T16:00:00Z',
      clocks: [
        clock({
          power: 's4',
          startsAt: '2026-06-01T15:00:00.000Z',
          expiresAt: '2026-06-04T15:00:00.000Z',
          state: 'breached',
        }),
      ],
    },
    {
      name: 's.2: 28 days beginning with the day of admission, ending at London midnight across spring 2026',
      facts: [{ type: 'admitted', at: '2026-03-20T10:00:00Z', power: 's2' }],
      now: '2026-03-20T10:00:00Z',
      clocks: [
        clock({
          power: 's2',
          startsAt: '2026-03-20T10:00:00.000Z',
          expiresAt: '2026-04-16T23:00:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 's.2 converting to s.3: admission under s.3 ends the s.2 clock (no s.3 clock in DOMAIN §4)',
      facts: [
        { type: 'admitted', at: '2026-03-20T10:00:00Z', power: 's2' },
        exam('2026-04-01T10:00:00Z'),
        { type: 'admitted', at: '2026-04-02T10:00:00Z', power: 's3' },
      ],
      now: '2026-04-02T10:00:00Z',
      clocks: [
        clock({
          power: 's2',
          startsAt: '2026-03-20T10:00:00.000Z',
          expiresAt: '2026-04-16T23:00:00.000Z',
          state: 'ended',
          endedAt: '2026-04-02T10:00:00.000Z',
          endedBy: 'admitted',
        }),
        clock({
          power: 'admission-window',
          startsAt: '2026-04-01T10:00:00.000Z',
          expiresAt: '2026-04-14T23:00:00.000Z',
          state: 'ended',
          endedAt: '2026-04-02T10:00:00.000Z',
          endedBy: 'admitted',
        }),
      ],
    },
    {
      name:
        'admission window: 14 days beginning with the day of the examination (20 Mar to 2 Apr, ends 00:00 ' +
        'BST 3 Apr)',
      facts: [exam('2026-03-20T10:00:00Z')],
      now: '2026-03-20T10:00:00Z',
      clocks: [
        clock({
          power: 'admission-window',
          startsAt: '2026-03-20T10:00:00.000Z',
          expiresAt: '2026-04-02T23:00:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 'admission window restarted by a later examination: one clock, from the last',
      facts: [exam('2026-03-20T10:00:00Z'), exam('2026-03-25T09:00:00Z')],
      now: '2026-03-25T09:00:00Z',
      clocks: [
        clock({
          power: 'admission-window',
          startsAt: '2026-03-25T09:00:00.000Z',
          expiresAt: '2026-04-07T23:00:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 'admission window ended by admission; a later examination opens a new one',
      facts: [
        exam('2026-03-20T10:00:00Z'),
        { type: 'admitted', at: '2026-03-21T18:00:00Z', power: 's2' },
        exam('2026-04-10T10:00:00Z'),
      ],
      now: '2026-04-10T10:00:00Z',
      clocks: [
        clock({
          power: 'admission-window',
          startsAt: '2026-03-20T10:00:00.000Z',
          expiresAt: '2026-04-02T23:00:00.000Z',
          state: 'ended',
          endedAt: '2026-03-21T18:00:00.000Z',
          endedBy: 'admitted',
        }),
        clock({
          power: 's2',
          startsAt: '2026-03-21T18:00:00.000Z',
          expiresAt: '2026-04-17T23:00:00.000Z',
          state: 'running',
        }),
        clock({
          power: 'admission-window',
          startsAt: '2026-04-10T10:00:00.000Z',
          expiresAt: '2026-04-23T23:00:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 'recommendations made, no bed: the window is the clock that matters, and it breaches',
      facts: [exam('2026-03-20T10:00:00Z')],
      now: '2026-04-03T09:00:00+01:00',
      clocks: [
        clock({
          power: 'admission-window',
          startsAt: '2026-03-20T10:00:00.000Z',
          expiresAt: '2026-04-02T23:00:00.000Z',
          state: 'breached',
        }),
      ],
    },
    {
      name: 'referral-closed ends every open clock',
      facts: [
        ...j1Facts,
        exam('2026-05-17T02:00:00+01:00'),
        { type: 'referral-closed', at: '2026-05-17T09:00:00+01:00' },
      ],
      now: '2026-05-17T09:00:00+01:00',
      clocks: [
        clock({
          power: 's136',
          startsAt: z(J1.arrival),
          expiresAt: J1.expiry,
          state: 'ended',
          endedAt: '2026-05-17T08:00:00.000Z',
          endedBy: 'referral-closed',
        }),
        clock({
          power: 'admission-window',
          startsAt: '2026-05-17T01:00:00.000Z',
          expiresAt: '2026-05-30T23:00:00.000Z',
          state: 'ended',
          endedAt: '2026-05-17T08:00:00.000Z',
          endedBy: 'referral-closed',
        }),
      ],
    },
  ])('$name', ({ facts, now, clocks }) => {
    expect(computeClocks(facts, d(now))).toEqual(clocks);
  });
});
