/**
 * Statutory clocks (DOMAIN §4, JOURNEYS J3): computeClocks for s.5(4) and s.5(2). Every
 * expectation is a UTC instant so the tables can be checked by hand. Split out of clocks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { computeClocks, type Clock, type ClockFact } from '../../shared/domain/clocks.js';
import { d, clock, J3 } from '../support/clock-fixtures.js';

describe('computeClocks: s.5(4) and s.5(2) (J3)', () => {
  const s54: ClockFact = { type: 's5-4-recorded', at: J3.s54 };
  it.each<{ name: string; facts: ClockFact[]; clocks: Clock[] }>([
    {
      name: 'J3: s.5(4) at 12:00 expires 18:00; the doctor arrives and furnishes s.5(2) at 15:00: 72 h from 12:00',
      facts: [s54, { type: 'practitioner-arrived', at: J3.doctor }, { type: 's5-2-furnished', at: J3.doctor }],
      clocks: [
        clock({
          power: 's5-4',
          startsAt: '2026-06-10T11:00:00.000Z',
          expiresAt: '2026-06-10T17:00:00.000Z',
          state: 'ended',
          endedAt: '2026-06-10T14:00:00.000Z',
          endedBy: 'practitioner-arrived',
        }),
        clock({
          power: 's5-2',
          startsAt: '2026-06-10T11:00:00.000Z',
          expiresAt: '2026-06-13T11:00:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 'the report furnished on arrival, with no separate arrival fact: same result',
      facts: [s54, { type: 's5-2-furnished', at: J3.doctor }],
      clocks: [
        clock({
          power: 's5-4',
          startsAt: '2026-06-10T11:00:00.000Z',
          expiresAt: '2026-06-10T17:00:00.000Z',
          state: 'ended',
          endedAt: '2026-06-10T14:00:00.000Z',
          endedBy: 's5-2-furnished',
        }),
        clock({
          power: 's5-2',
          startsAt: '2026-06-10T11:00:00.000Z',
          expiresAt: '2026-06-13T11:00:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      // DOMAIN §4: a report after an s.5(4) that lapsed at 6 h runs from the report.
      name: 's.5(4) lapsed at 18:00 before the doctor came at 19:00: the s.5(2) runs from the report',
      facts: [s54, { type: 's5-2-furnished', at: '2026-06-10T19:00:00+01:00' }],
      clocks: [
        clock({
          power: 's5-4',
          startsAt: '2026-06-10T11:00:00.000Z',
          expiresAt: '2026-06-10T17:00:00.000Z',
          state: 'ended',
          endedAt: '2026-06-10T18:00:00.000Z',
          endedBy: 's5-2-furnished',
        }),
        clock({
          power: 's5-2',
          startsAt: '2026-06-10T18:00:00.000Z',
          expiresAt: '2026-06-13T18:00:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 's.5(4) ended otherwise (the patient stayed informally) and a later s.5(2): 72 h from the report',
      facts: [
        s54,
        { type: 'detention-ended', at: '2026-06-10T13:00:00+01:00', power: 's5-4' },
        { type: 's5-2-furnished', at: '2026-06-10T16:00:00+01:00' },
      ],
      clocks: [
        clock({
          power: 's5-4',
          startsAt: '2026-06-10T11:00:00.000Z',
          expiresAt: '2026-06-10T17:00:00.000Z',
          state: 'ended',
          endedAt: '2026-06-10T12:00:00.000Z',
          endedBy: 'detention-ended',
        }),
        clock({
          power: 's5-2',
          startsAt: '2026-06-10T15:00:00.000Z',
          expiresAt: '2026-06-13T15:00:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 's.5(2) without s.5(4): 72 h from the report',
      facts: [{ type: 's5-2-furnished', at: J3.doctor }],
      clocks: [
        clock({
          power: 's5-2',
          startsAt: '2026-06-10T14:00:00.000Z',
          expiresAt: '2026-06-13T14:00:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 'the same report recorded twice: one clock',
      facts: [
        { type: 's5-2-furnished', at: J3.doctor },
        { type: 's5-2-furnished', at: '2026-06-10T15:05:00+01:00' },
      ],
      clocks: [
        clock({
          power: 's5-2',
          startsAt: '2026-06-10T14:00:00.000Z',
          expiresAt: '2026-06-13T14:00:00.000Z',
          state: 'running',
        }),
      ],
    },
    {
      name: 'admission under s.2 from the ward ends s.5(2)',
      facts: [
        { type: 's5-2-furnished', at: J3.doctor },
        { type: 'admitted', at: '2026-06-11T10:00:00Z', power: 's2' },
      ],
      clocks: [
        clock({
          power: 's5-2',
          startsAt: '2026-06-10T14:00:00.000Z',
          expiresAt: '2026-06-13T14:00:00.000Z',
          state: 'ended',
          endedAt: '2026-06-11T10:00:00.000Z',
          endedBy: 'admitted',
        }),
        clock({
          power: 's2',
          startsAt: '2026-06-11T10:00:00.000Z',
          expiresAt: '2026-07-08T23:00:00.000Z',
          state: 'running',
        }),
      ],
    },
  ])('$name', ({ facts, clocks }) => {
    expect(computeClocks(facts, d('2026-06-11T00:00:00Z'))).toEqual(clocks);
  });
});
