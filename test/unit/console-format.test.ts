/** The console's time formatting: countdowns, states in words, London times. */
import { describe, expect, it } from 'vitest';
import {
  ago,
  clockDisplay,
  duration,
  fromLocalInput,
  hms,
  nearestClock,
  toLocalInput,
  type BoardClock,
} from '../../console/src/format.js';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const clock = (minutesLeft: number, state: BoardClock['state'] = 'running', power = 's136'): BoardClock => ({
  power,
  state,
  expiresAt: new Date(NOW + minutesLeft * 60_000).toISOString(),
});

describe('hms', () => {
  it.each([
    [0, '0:00:00'],
    [59_999, '0:00:59'],
    [3_600_000, '1:00:00'],
    [(23 * 3600 + 24 * 60 + 51) * 1000, '23:24:51'],
    [36 * 3_600_000, '36:00:00'],
    [-(12 * 60 + 3) * 1000, '0:12:03'],
  ])('%i ms -> %s', (ms, text) => expect(hms(ms)).toBe(text));
});

describe('clockDisplay', () => {
  it.each([
    ['running, 2 h left', clock(120), 'running', 's136 2:00:00 left'],
    ['the server says warning', clock(90, 'warning'), 'warning', 'Warning s136 1:30:00 left'],
    [
      'expired since the last refresh: breached at once',
      clock(-5, 'warning'),
      'breached',
      'Breached s136 0:05:00 over',
    ],
    ['breached per the server', clock(-65, 'breached'), 'breached', 'Breached s136 1:05:00 over'],
    [
      'breached per the server while this computer runs behind: still breached',
      clock(3, 'breached'),
      'breached',
      'Breached s136 0:00:00 over',
    ],
    [
      'extended: counts to the extended expiry',
      { ...clock(-30, 'running'), extendedUntil: new Date(NOW + 11 * 3_600_000).toISOString() },
      'running',
      's136 11:00:00 left',
    ],
    ['a s.135(1) clock names its power', clock(30, 'running', 's135-1'), 'running', 's135(1) 0:30:00 left'],
    ['ended', clock(-600, 'ended'), 'ended', 's136 ended'],
  ])('%s', (_why, c, state, text) => {
    expect(clockDisplay(c, NOW)).toEqual({ state, text });
  });

  it('states every non-running state in words, not only by colour', () => {
    for (const c of [clock(10, 'warning'), clock(-1, 'breached')])
      expect(clockDisplay(c, NOW).text).toMatch(/^(Warning|Breached) /);
  });
});

describe('nearestClock', () => {
  it('picks the earliest expiry among clocks that have not ended', () => {
    const ended = clock(-100, 'ended');
    const later = clock(300);
    const sooner = clock(45, 'warning', 's135-1');
    expect(nearestClock([later, ended, sooner])).toBe(sooner);
    expect(nearestClock([ended])).toBeUndefined();
  });
});

describe('duration and ago', () => {
  it.each([
    [0, '0 m'],
    [59, '59 m'],
    [125, '2 h 05 m'],
    [1500, '1 d 1 h 00 m'],
  ])('duration(%i) = %s', (m, text) => expect(duration(m)).toBe(text));

  it.each([
    [0.5, 'just now'],
    [12, '12 min ago'],
    [5 * 60 + 1, '5 h ago'],
    [72 * 60, '3 d ago'],
  ])('%f minutes ago', (m, text) => expect(ago(new Date(NOW - m * 60_000).toISOString(), NOW)).toBe(text));
});

describe('London local times for datetime-local inputs', () => {
  it.each([
    ['winter (GMT)', '2026-12-03T12:00:00.000Z', '2026-12-03T12:00'],
    ['summer (BST)', '2026-07-01T12:00:00.000Z', '2026-07-01T13:00'],
  ])('%s round-trips', (_season, iso, local) => {
    expect(toLocalInput(Date.parse(iso))).toBe(local);
    expect(fromLocalInput(local)).toBe(iso);
  });

  it('refuses what is not a date and time', () => expect(() => fromLocalInput('soon')).toThrow(RangeError));

  it('refuses a time the clocks skip in spring, and reads the repeated autumn hour once', () => {
    expect(() => fromLocalInput('2026-03-29T01:30')).toThrow(/does not exist/);
    expect(fromLocalInput('2026-10-25T01:30')).toMatch(/^2026-10-25T0[01]:30:00.000Z$/);
  });
});
