/**
 * Europe/London arithmetic under the statutory clocks (DOMAIN §4): split out of clocks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  endOfLondonDayPeriod,
  londonDate,
  londonOffsetMinutes,
  startOfLondonDay,
  toLondonIso,
} from '../../shared/domain/london-time.js';
import { d } from '../support/clock-fixtures.js';

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
    {
      start: '2026-03-20T10:00:00Z',
      days: 28,
      end: '2026-04-16T23:00:00.000Z',
      why: 's.2 across spring 2026: ends 00:00 BST 17 Apr',
    },
    {
      start: '2026-03-29T00:30:00Z',
      days: 1,
      end: '2026-03-29T23:00:00.000Z',
      why: 'a one-day period on the 23 h day',
    },
    {
      start: '2026-10-24T23:30:00Z',
      days: 1,
      end: '2026-10-26T00:00:00.000Z',
      why: '00:30 BST is already 25 Oct, the 25 h day',
    },
    { start: '2026-10-20T09:00:00Z', days: 14, end: '2026-11-03T00:00:00.000Z', why: '14 days across autumn 2026' },
    {
      start: '2026-07-01T23:30:00Z',
      days: 14,
      end: '2026-07-15T23:00:00.000Z',
      why: 'late UTC evening is the next London day',
    },
    {
      start: '2027-03-15T09:00:00Z',
      days: 14,
      end: '2027-03-28T23:00:00.000Z',
      why: 'ends on the first BST midnight of 2027',
    },
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
        return (
          londonDate(start) === date &&
          toLondonIso(start).slice(11, 19) === '00:00:00' &&
          [23, 24, 25].includes(length / 3_600_000)
        );
      }),
    );
  });
});
