/**
 * The service calendar behind "in hours vs out of hours" (DOMAIN §7 figures; J5). Which hours an
 * AMHP service staffs as "in hours" is local, so the calendar is data, not code. Pure.
 */
import { londonDate } from '../domain/london-time.js';
import { londonDayOfWeek, londonTimeOfDay } from './generalise.js';

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
 * England and Wales bank holidays (gov.uk/bank-holidays; Banking and Financial Dealings Act 1971
 * with the substitute-day convention). A holiday falling at a weekend moves to the next weekday
 * not already a holiday: Boxing Day 2026 (Sat) → Mon 28 Dec; Christmas and Boxing Day 2027
 * (Sat, Sun) → Mon 27 and Tue 28 Dec. Proclaimed one-off holidays must be added when announced.
 */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly string[] = Object.freeze([
  // 2025: Easter Sunday 20 April.
  '2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26',
  // 2026: Easter Sunday 5 April.
  '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28',
  // 2027: Easter Sunday 28 March.
  '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28',
]);

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
