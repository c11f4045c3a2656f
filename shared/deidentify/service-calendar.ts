/**
 * The service calendar behind "in hours vs out of hours" (DOMAIN §7 figures; J5). Which hours an
 * AMHP service staffs as "in hours" is local, so the calendar is data, not code. Pure.
 */
import { londonDate } from '../domain/london-time.js';
import { londonDayOfWeek, londonTimeOfDay } from './generalise.js';
import BANK_HOLIDAYS from './bank-holidays-england-wales.json' with { type: 'json' };

export interface ServiceCalendar {
  readonly id: string;
  /** ISO weekdays that have in-hours time (1 = Monday … 7 = Sunday). */
  readonly days: readonly number[];
  /** Start of in-hours, `HH:MM` Europe/London, inclusive. */
  readonly start: string;
  /** End of in-hours, `HH:MM` Europe/London, exclusive; after `start` (no overnight day shifts). */
  readonly end: string;
  /** `YYYY-MM-DD`: out of hours all day. */
  readonly bankHolidays: readonly string[];
}

/**
 * England and Wales bank holidays, shipped as data (bank-holidays-england-wales.json): published
 * years, then years expected by the regular rules (substitute days included). A holiday falling at
 * a weekend moves to the next weekday not already a holiday: Boxing Day 2026 (Sat) → Mon 28 Dec;
 * Christmas and Boxing Day 2027 (Sat, Sun) → Mon 27 and Tue 28 Dec.
 */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly string[] = Object.freeze(
  [...Object.values(BANK_HOLIDAYS.published), ...Object.values(BANK_HOLIDAYS.expected)].flat().sort(),
);

export const DEFAULT_CALENDAR: ServiceCalendar = Object.freeze({
  id: 'weekdays-0900-1700-england-wales',
  days: Object.freeze([1, 2, 3, 4, 5]),
  start: '09:00',
  end: '17:00',
  bankHolidays: ENGLAND_AND_WALES_BANK_HOLIDAYS,
});

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minuteOfDay(hhmm: string, calendar: ServiceCalendar): number {
  const m = HH_MM.exec(hhmm);
  if (!m) throw new RangeError(`service calendar ${calendar.id}: not HH:MM: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Out of hours at `instant` on the London wall clock: a bank holiday, a day not in `days`, or a
 * time outside [start, end). Local time, so 09:00 means 09:00 BST in summer and GMT in winter.
 */
export function isOutOfHours(instant: Date, calendar: ServiceCalendar = DEFAULT_CALENDAR): boolean {
  const start = minuteOfDay(calendar.start, calendar);
  const end = minuteOfDay(calendar.end, calendar);
  if (end <= start) throw new RangeError(`service calendar ${calendar.id}: end must be after start`);
  if (calendar.bankHolidays.includes(londonDate(instant))) return true;
  if (!calendar.days.includes(londonDayOfWeek(instant))) return true;
  const { hour, minute } = londonTimeOfDay(instant);
  const now = hour * 60 + minute;
  return now < start || now >= end;
}

/** A service's calendar as the registry holds it (shared/schemas/registry.ts `calendar`). */
export interface CalendarSetting {
  readonly days: readonly number[];
  readonly start: string;
  readonly end: string;
  readonly bankHolidays?: 'england-and-wales' | 'none';
}

/** The calendar of a service (DOMAIN §7: in-hours times and bank holidays are registry data). */
export function calendarOf(serviceId: string, setting: CalendarSetting | undefined): ServiceCalendar {
  if (!setting) return DEFAULT_CALENDAR;
  return {
    id: `${serviceId}-${setting.start}-${setting.end}`,
    days: setting.days,
    start: setting.start,
    end: setting.end,
    bankHolidays: setting.bankHolidays === 'none' ? [] : ENGLAND_AND_WALES_BANK_HOLIDAYS,
  };
}
