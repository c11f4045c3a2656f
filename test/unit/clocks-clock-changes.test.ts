/**
 * Statutory clocks (DOMAIN §4): computeClocks across the clock changes, and the clock states at
 * now. Split out of clocks-admission.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { computeClocks, type ClockFact, type ClockState, type Power } from '../../shared/domain/clocks.js';
import { toLondonIso } from '../../shared/domain/london-time.js';
import { d, J1, j1Facts, j1Extended, J3 } from '../support/clock-fixtures.js';

describe('computeClocks across the clock changes', () => {
  // Hour periods are elapsed time: the London wall clock gains or loses the hour.
  it.each<{ name: string; facts: ClockFact[]; power: Power; expiresAt: string; local: string }>([
    {
      name: 's.136 arrival 23:40 GMT Sat 28 Mar 2026: 24 h later is 00:40 BST Monday',
      facts: [
        { type: 'detained', power: 's136', at: '2026-03-28T23:20:00Z' },
        { type: 'arrived-at-place-of-safety', at: '2026-03-28T23:40:00Z' },
      ],
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
      facts: [
        { type: 'detained', power: 's136', at: '2026-10-24T23:10:00+01:00' },
        { type: 'arrived-at-place-of-safety', at: '2026-10-24T23:40:00+01:00' },
      ],
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
      facts: [
        {
          type: 'application-made',
          at: '2027-03-27T22:00:00Z',
          section: 's4',
          medicalExaminationAt: '2027-03-27T21:00:00Z',
        },
      ],
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
    {
      name: 'extended s.136 back to running (14 h 40 left)',
      facts: j1Extended,
      now: '2026-05-17T21:00:00+01:00',
      state: 'running',
    },
    {
      name: 'extended s.136 past the original expiry',
      facts: j1Extended,
      now: '2026-05-17T23:40:00+01:00',
      state: 'running',
    },
    {
      name: 'extended s.136 at 6 h before the extended expiry',
      facts: j1Extended,
      now: '2026-05-18T05:40:00+01:00',
      state: 'warning',
    },
    {
      name: 'extended s.136 at the extended expiry',
      facts: j1Extended,
      now: '2026-05-18T11:40:00+01:00',
      state: 'breached',
    },
    { name: 's.5(4): a 6 h clock is in warning from its start', facts: s54Facts, now: J3.s54, state: 'warning' },
    { name: 's.5(4) at 18:00', facts: s54Facts, now: '2026-06-10T18:00:00+01:00', state: 'breached' },
    { name: 's.2 before its last day', facts: s2Facts, now: '2026-04-15T22:59:59Z', state: 'running' },
    {
      name: 's.2 at 00:00 BST on its last day (16 Apr)',
      facts: s2Facts,
      now: '2026-04-15T23:00:00Z',
      state: 'warning',
    },
    { name: 's.2 at 00:00 BST 17 Apr', facts: s2Facts, now: '2026-04-16T23:00:00Z', state: 'breached' },
    {
      name: 'ended beats breached',
      facts: [...s54Facts, { type: 'practitioner-arrived', at: '2026-06-10T19:00:00+01:00' }],
      now: '2026-06-10T20:00:00+01:00',
      state: 'ended',
    },
  ])('$name: $state', ({ facts, now, state }) => {
    expect(computeClocks(facts, d(now))[0]?.state).toBe(state);
  });
});
