/**
 * Generalisation and the service calendar (DOMAIN §7): age bands, ethnicity groups, London hour
 * and weekday, fixed periods, and in-hours/out-of-hours across weekends, bank holidays and both
 * clock changes. Instants are written in UTC with the London wall time alongside.
 */
import { describe, expect, it } from 'vitest';
import { ETHNIC_CATEGORIES, AGE_BANDS as SCHEMA_AGE_BANDS } from '../../shared/schemas/referral.js';
import {
  AGE_BANDS,
  ageBandAt,
  ageOn,
  daysBetween,
  ethnicityGroupOf,
  isWholePeriods,
  londonDayOfWeek,
  londonHour,
  periodEndOf,
  periodOf,
  type AgeBand,
  type EthnicityGroup,
  type Period,
} from '../../shared/deidentify/generalise.js';
import {
  DEFAULT_CALENDAR,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  isOutOfHours,
  type ServiceCalendar,
} from '../../shared/deidentify/service-calendar.js';
import { addDays } from '../../shared/domain/london-time.js';

const d = (iso: string) => new Date(iso);

describe('ageBandAt', () => {
  it('uses the same bands as the schema', () => {
    expect(AGE_BANDS).toEqual(SCHEMA_AGE_BANDS);
  });

  it.each<[string, string, AgeBand, string]>([
    ['2008-06-15', '2026-06-14T12:00:00Z', '0-17', 'day before the 18th birthday'],
    ['2008-06-15', '2026-06-15T12:00:00Z', '18-24', '18th birthday'],
    ['2008-06-15', '2026-06-14T23:30:00Z', '18-24', '23:30 UTC on the 14th is 00:30 BST on the birthday'],
    ['2008-12-15', '2026-12-14T23:30:00Z', '0-17', 'in GMT 23:30 UTC is still the 14th'],
    ['2001-03-10', '2026-03-09T12:00:00Z', '18-24', 'last day at 24'],
    ['2001-03-10', '2026-03-10T00:00:00Z', '25-34', '25th birthday at midnight GMT'],
    ['1992-03-08', '2026-11-14T23:05:00Z', '25-34', 'J1: 34'],
    ['1991-11-14', '2026-11-14T12:00:00Z', '35-44', '35th birthday'],
    ['1981-11-15', '2026-11-14T12:00:00Z', '35-44', '44, a day short of 45'],
    ['1971-11-14', '2026-11-14T12:00:00Z', '55-64', '55th birthday'],
    ['1961-11-15', '2026-11-14T12:00:00Z', '55-64', 'last day at 64'],
    ['1961-11-14', '2026-11-14T12:00:00Z', '65+', '65th birthday'],
    ['1925-01-01', '2026-01-01T12:00:00Z', '65+', '101'],
    ['2026-05-01', '2026-05-01T12:00:00Z', '0-17', 'born that day'],
    // 29 February: the birthday is reached on 1 March in a common year.
    ['2008-02-29', '2026-02-28T12:00:00Z', '0-17', 'leap-day birth, 28 Feb of a common year: still 17'],
    ['2008-02-29', '2026-03-01T00:30:00Z', '18-24', 'leap-day birth, 1 Mar of a common year: 18'],
    ['2012-02-29', '2030-02-28T12:00:00Z', '0-17', 'born 2012-02-29: 17 on 28 Feb 2030'],
    ['2012-02-29', '2030-03-01T12:00:00Z', '18-24', '18 on 1 Mar 2030'],
    ['2008-02-29', '2032-02-29T12:00:00Z', '18-24', 'a real birthday in a leap year (24)'],
    ['2000-02-29', '2025-02-28T12:00:00Z', '18-24', '24 on 28 Feb 2025'],
    ['2000-02-29', '2025-03-01T12:00:00Z', '25-34', '25 on 1 Mar 2025'],
  ])('born %s, at %s → %s (%s)', (dob, at, band) => {
    expect(ageBandAt(dob, d(at))).toBe(band);
  });

  it.each<[string, string, number]>([
    ['2008-02-29', '2009-02-28', 0],
    ['2008-02-29', '2009-03-01', 1],
    ['2008-02-29', '2012-02-29', 4],
    ['2008-03-01', '2009-02-28', 0],
    ['1992-03-08', '2026-03-07', 33],
    ['1992-03-08', '2026-03-08', 34],
  ])('ageOn(%s, %s) = %i', (dob, on, age) => {
    expect(ageOn(dob, on)).toBe(age);
  });

  it.each([
    ['2026-06-16', '2026-06-15T12:00:00Z', 'born after the instant'],
    ['2026-02-30', '2026-06-15T12:00:00Z', 'no such date'],
    ['15/06/2008', '2026-06-15T12:00:00Z', 'not ISO'],
  ])('refuses %s at %s (%s)', (dob, at) => {
    expect(() => ageBandAt(dob, d(at))).toThrow(RangeError);
  });
});

describe('ethnicityGroupOf', () => {
  it.each<[string, EthnicityGroup]>([
    ['A', 'white'],
    ['B', 'white'],
    ['C', 'white'],
    ['D', 'mixed'],
    ['E', 'mixed'],
    ['F', 'mixed'],
    ['G', 'mixed'],
    ['H', 'asian'],
    ['J', 'asian'],
    ['K', 'asian'],
    ['L', 'asian'],
    ['M', 'black'],
    ['N', 'black'],
    ['P', 'black'],
    ['R', 'other'],
    ['S', 'other'],
    ['Z', 'not-stated'],
    ['99', 'not-known'],
  ])('%s → %s', (code, group) => {
    expect(ethnicityGroupOf(code)).toBe(group);
  });

  it('covers every code the schema accepts', () => {
    for (const code of ETHNIC_CATEGORIES) expect(() => ethnicityGroupOf(code)).not.toThrow();
  });

  it.each(['I', 'a', '', 'toString', '9'])('refuses %j', (code) => {
    expect(() => ethnicityGroupOf(code)).toThrow(RangeError);
  });
});

describe('periodOf', () => {
  it.each<[string, Period, string, string]>([
    ['2026-11-14', 'day', '2026-11-14', ''],
    ['2026-11-09', 'week', '2026-11-09', 'a Monday is its own week'],
    ['2026-11-14', 'week', '2026-11-09', 'Saturday'],
    ['2026-11-15', 'week', '2026-11-09', 'Sunday ends the ISO week'],
    ['2026-12-31', 'week', '2026-12-28', 'Thursday 31 Dec 2026: ISO week 2026-W53'],
    ['2027-01-01', 'week', '2026-12-28', 'Friday 1 Jan 2027 is in 2026-W53'],
    ['2027-01-03', 'week', '2026-12-28', 'Sunday 3 Jan 2027 is in 2026-W53'],
    ['2027-01-04', 'week', '2027-01-04', 'Monday 4 Jan 2027 starts 2027-W01'],
    ['2025-12-31', 'week', '2025-12-29', 'Wednesday 31 Dec 2025 is in 2026-W01'],
    ['2026-01-01', 'week', '2025-12-29', 'Thursday 1 Jan 2026 starts 2026-W01 on 29 Dec 2025'],
    ['2024-03-01', 'week', '2024-02-26', 'across a leap day'],
    ['2026-11-14', 'month', '2026-11-01', ''],
    ['2026-11-01', 'month', '2026-11-01', 'the 1st is its own month'],
    ['2026-12-31', 'month', '2026-12-01', ''],
    ['2024-02-29', 'month', '2024-02-01', 'leap day'],
  ])('%s by %s → %s %s', (day, period, start) => {
    expect(periodOf(day, period)).toBe(start);
  });

  it.each<[string, Period, string]>([
    ['2026-11-14', 'day', '2026-11-14'],
    ['2026-12-31', 'week', '2027-01-03'],
    ['2026-02-10', 'month', '2026-02-28'],
    ['2024-02-10', 'month', '2024-02-29'],
    ['2026-12-05', 'month', '2026-12-31'],
  ])('periodEndOf(%s, %s) = %s', (day, period, end) => {
    expect(periodEndOf(day, period)).toBe(end);
  });

  it.each<[string, string, Period, boolean]>([
    ['2026-11-01', '2026-11-30', 'month', true],
    ['2026-10-01', '2026-11-30', 'month', true],
    ['2026-11-02', '2026-11-30', 'month', false],
    ['2026-11-01', '2026-11-29', 'month', false],
    ['2026-12-28', '2027-01-03', 'week', true],
    ['2026-12-29', '2027-01-03', 'week', false],
    ['2026-11-14', '2026-11-14', 'day', true],
    ['2026-11-30', '2026-11-01', 'month', false],
  ])('isWholePeriods(%s, %s, %s) = %s', (from, to, period, whole) => {
    expect(isWholePeriods(from, to, period)).toBe(whole);
  });

  it('refuses an invalid date or period', () => {
    expect(() => periodOf('2026-02-30', 'day')).toThrow(RangeError);
    expect(() => periodOf('2026-11-14', 'year' as Period)).toThrow(RangeError);
  });
});

describe('daysBetween', () => {
  it.each<[string, string, string[]]>([
    ['2026-11-14', '2026-11-14', ['2026-11-14']],
    ['2026-12-30', '2027-01-02', ['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']],
    ['2024-02-28', '2024-03-01', ['2024-02-28', '2024-02-29', '2024-03-01']],
    ['2026-03-28', '2026-03-30', ['2026-03-28', '2026-03-29', '2026-03-30']],
    ['2026-11-15', '2026-11-14', []],
  ])('%s to %s', (from, to, days) => {
    expect(daysBetween(from, to)).toEqual(days);
  });

  it('lists a whole year', () => {
    expect(daysBetween('2026-01-01', '2026-12-31')).toHaveLength(365);
    expect(daysBetween('2024-01-01', '2024-12-31')).toHaveLength(366);
  });
});

describe('londonHour and londonDayOfWeek', () => {
  it.each<[string, number, number, string]>([
    ['2026-11-14T23:05:00Z', 23, 6, 'Saturday, GMT'],
    ['2026-11-15T00:05:00Z', 0, 7, 'Sunday'],
    ['2026-11-16T08:59:59Z', 8, 1, 'Monday'],
    ['2026-06-14T23:30:00Z', 0, 1, 'BST: 00:30 Monday 15 June'],
    ['2026-03-29T00:59:59Z', 0, 7, 'last second of GMT'],
    ['2026-03-29T01:00:00Z', 2, 7, 'clocks go forward: 02:00 BST'],
    ['2026-10-25T00:30:00Z', 1, 7, 'first 01:30 (BST)'],
    ['2026-10-25T01:30:00Z', 1, 7, 'second 01:30 (GMT)'],
    ['2026-10-24T23:00:00Z', 0, 7, 'midnight BST starts Sunday'],
    ['2026-12-31T23:59:59Z', 23, 4, 'Thursday'],
  ])('%s → hour %i, day %i (%s)', (iso, hour, dow) => {
    expect(londonHour(d(iso))).toBe(hour);
    expect(londonDayOfWeek(d(iso))).toBe(dow);
  });

  it('refuses an invalid instant', () => {
    expect(() => londonHour(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('service calendar: isOutOfHours', () => {
  it.each<[string, boolean, string]>([
    // Monday 16 Nov 2026, GMT: London = UTC.
    ['2026-11-16T08:59:00Z', true, '08:59 GMT'],
    ['2026-11-16T08:59:59Z', true, '08:59:59 GMT'],
    ['2026-11-16T09:00:00Z', false, '09:00 GMT: start inclusive'],
    ['2026-11-16T12:00:00Z', false, 'midday'],
    ['2026-11-16T16:59:00Z', false, '16:59 GMT'],
    ['2026-11-16T16:59:59Z', false, '16:59:59 GMT'],
    ['2026-11-16T17:00:00Z', true, '17:00 GMT: end exclusive'],
    ['2026-11-16T23:30:00Z', true, 'night'],
    // Monday 15 June 2026, BST: London = UTC + 1.
    ['2026-06-15T07:59:00Z', true, '08:59 BST'],
    ['2026-06-15T08:00:00Z', false, '09:00 BST'],
    ['2026-06-15T15:59:00Z', false, '16:59 BST'],
    ['2026-06-15T16:00:00Z', true, '17:00 BST'],
    ['2026-06-15T16:30:00Z', true, '17:30 BST although 16:30 UTC'],
    // Weekends.
    ['2026-11-14T12:00:00Z', true, 'Saturday midday'],
    ['2026-11-15T12:00:00Z', true, 'Sunday midday'],
    ['2026-11-13T16:59:00Z', false, 'Friday 16:59'],
    // Clock changes: both fall on a Sunday, so test the Mondays after and the changes themselves.
    ['2026-03-29T10:00:00Z', true, 'Sunday 29 Mar 11:00 BST: weekend'],
    ['2026-03-30T08:00:00Z', false, 'Mon 30 Mar 09:00 BST: first in-hours minute after spring forward'],
    ['2026-03-30T07:59:00Z', true, 'Mon 30 Mar 08:59 BST'],
    ['2026-03-27T16:59:00Z', false, 'Fri 27 Mar 16:59 GMT: last minute before'],
    ['2026-10-26T09:00:00Z', false, 'Mon 26 Oct 09:00 GMT after fall back'],
    ['2026-10-26T08:00:00Z', true, 'Mon 26 Oct 08:00 GMT (would be 09:00 in BST)'],
    ['2026-10-23T15:59:00Z', false, 'Fri 23 Oct 16:59 BST'],
    ['2026-10-23T16:00:00Z', true, 'Fri 23 Oct 17:00 BST'],
    // Bank holidays: out of hours all day.
    ['2026-04-03T11:00:00Z', true, 'Good Friday 2026, 12:00 BST'],
    ['2026-04-06T11:00:00Z', true, 'Easter Monday 2026'],
    ['2026-04-07T11:00:00Z', false, 'Tuesday after Easter'],
    ['2026-12-28T12:00:00Z', true, 'substitute for Boxing Day 2026 (a Saturday)'],
    ['2026-12-29T12:00:00Z', false, 'Tuesday 29 Dec 2026'],
    ['2026-12-24T12:00:00Z', false, 'Christmas Eve is not a holiday'],
    ['2026-05-04T11:00:00Z', true, 'early May bank holiday 2026, 12:00 BST'],
    ['2027-12-27T12:00:00Z', true, 'substitute for Christmas Day 2027 (a Saturday)'],
    ['2027-12-28T12:00:00Z', true, 'substitute for Boxing Day 2027 (a Sunday)'],
    ['2025-08-25T10:00:00Z', true, 'summer bank holiday 2025'],
  ])('%s → %s (%s)', (iso, out) => {
    expect(isOutOfHours(d(iso))).toBe(out);
  });

  it('follows a local calendar', () => {
    const extended: ServiceCalendar = {
      id: 'seven-day-0800-2000',
      days: [1, 2, 3, 4, 5, 6, 7],
      start: '08:00',
      end: '20:00',
      bankHolidays: [],
    };
    expect(isOutOfHours(d('2026-11-14T12:00:00Z'), extended)).toBe(false);
    expect(isOutOfHours(d('2026-11-14T07:59:00Z'), extended)).toBe(true);
    expect(isOutOfHours(d('2026-11-14T19:59:00Z'), extended)).toBe(false);
    expect(isOutOfHours(d('2026-11-14T20:00:00Z'), extended)).toBe(true);
    expect(isOutOfHours(d('2026-12-28T12:00:00Z'), extended)).toBe(false);
  });

  it('takes the bank holiday by the London date, not the UTC date', () => {
    const allDay: ServiceCalendar = {
      id: 'all-day',
      days: [1, 2, 3, 4, 5, 6, 7],
      start: '00:00',
      end: '23:59',
      bankHolidays: ['2026-05-04'],
    };
    expect(isOutOfHours(d('2026-05-03T23:30:00Z'), allDay)).toBe(true); // 00:30 BST on 4 May
    expect(isOutOfHours(d('2026-05-03T22:30:00Z'), allDay)).toBe(false); // 23:30 BST on 3 May
    expect(isOutOfHours(d('2026-05-04T23:30:00Z'), allDay)).toBe(false); // 00:30 BST on 5 May
  });

  it.each<[string, Partial<ServiceCalendar>]>([
    ['an end before the start', { start: '17:00', end: '09:00' }],
    ['a malformed time', { start: '9:00' }],
    ['an impossible time', { end: '24:00' }],
  ])('refuses a calendar with %s', (_why, over) => {
    expect(() => isOutOfHours(d('2026-11-16T12:00:00Z'), { ...DEFAULT_CALENDAR, ...over })).toThrow(RangeError);
  });
});

describe('England and Wales bank holidays 2025–2027', () => {
  /** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
  function easter(y: number): string {
    const a = y % 19,
      b = Math.floor(y / 100),
      c = y % 100,
      dd = Math.floor(b / 4),
      e = b % 4;
    const f = Math.floor((b + 8) / 25),
      g = Math.floor((b - f + 1) / 3),
      h = (19 * a + b - dd - g + 15) % 30;
    const i = Math.floor(c / 4),
      k = c % 4,
      l = (32 + 2 * e + 2 * i - h - k) % 7,
      m = Math.floor((a + 11 * h + 22 * l) / 451);
    const month = Math.floor((h + l - 7 * m + 114) / 31),
      day = ((h + l - 7 * m + 114) % 31) + 1;
    return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  const dow = (day: string) => ((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
  const firstMonday = (y: number, m: number) => {
    let day = `${y}-${String(m).padStart(2, '0')}-01`;
    while (dow(day) !== 1) day = addDays(day, 1);
    return day;
  };
  const lastMonday = (y: number, m: number) => {
    let day = addDays(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`, -1);
    while (dow(day) !== 1) day = addDays(day, -1);
    return day;
  };
  /** The statutory pattern with substitute days: each weekend holiday moves to the next free weekday. */
  function rule(y: number): string[] {
    const taken = new Set<string>();
    const substitute = (day: string) => {
      let s = day;
      while (dow(s) > 5 || taken.has(s)) s = addDays(s, 1);
      taken.add(s);
      return s;
    };
    const newYear = substitute(`${y}-01-01`);
    const fixed = [easter(y), firstMonday(y, 5), lastMonday(y, 5), lastMonday(y, 8)];
    const goodFriday = addDays(fixed[0] as string, -2);
    const easterMonday = addDays(fixed[0] as string, 1);
    const christmas = substitute(`${y}-12-25`);
    const boxing = substitute(`${y}-12-26`);
    return [newYear, goodFriday, easterMonday, fixed[1], fixed[2], fixed[3], christmas, boxing] as string[];
  }

  it.each([2025, 2026, 2027])('%i matches the statutory pattern', (y) => {
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((day) => day.startsWith(`${y}-`))).toEqual(rule(y));
  });

  it.each<[number, string[]]>([
    [
      2025,
      ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'],
    ],
    [
      2026,
      ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'],
    ],
    [
      2027,
      ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'],
    ],
  ])('%i as published', (y, days) => {
    expect(DEFAULT_CALENDAR.bankHolidays.filter((day) => day.startsWith(`${y}-`))).toEqual(days);
    for (const day of days) expect(dow(day)).toBeLessThanOrEqual(5);
  });
});
