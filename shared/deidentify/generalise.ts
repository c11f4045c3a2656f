/**
 * Generalisation (DOMAIN §7): age bands instead of dates of birth, ethnicity groups, London hour
 * and weekday instead of exact times, and periods on fixed calendar boundaries so that two
 * overlapping queries cannot be subtracted to isolate a few referrals. Pure.
 */
import { addDays, londonDate, type LocalDate } from '../domain/london-time.js';

/** The same bands as the referral schema's estimated age band (§2), so estimates need no re-banding. */
export const AGE_BANDS = ['0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Lower age (years) of each band, in AGE_BANDS order. */
const BAND_FLOORS = [0, 18, 25, 35, 45, 55, 65] as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(date: string): { year: number; month: number; day: number } {
  const m = DATE.exec(date);
  // addDays validates the calendar date (refuses 2026-02-30) with the same rules as london-time.
  if (!m || addDays(date, 0) !== date) throw new RangeError(`invalid date: ${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** Whole years completed on `on` by someone born on `dateOfBirth` (both calendar dates). */
export function ageOn(dateOfBirth: string, on: LocalDate): number {
  const b = parseDate(dateOfBirth);
  const d = parseDate(on);
  // A 29 February birthday is reached on 1 March in a common year (compare month/day pairs:
  // 28 Feb < 29 Feb <= 1 Mar), the usual reading of the Family Law Reform Act 1969 s.9.
  const beforeBirthday = d.month < b.month || (d.month === b.month && d.day < b.day);
  const age = d.year - b.year - (beforeBirthday ? 1 : 0);
  if (age < 0) throw new RangeError(`date of birth ${dateOfBirth} is after ${on}`);
  return age;
}

/** The age band on the London calendar date of `at` (birthdays are calendar days in England). */
export function ageBandAt(dateOfBirth: string, at: Date): AgeBand {
  const age = ageOn(dateOfBirth, londonDate(at));
  let band: AgeBand = AGE_BANDS[0];
  BAND_FLOORS.forEach((floor, i) => {
    if (age >= floor) band = AGE_BANDS[i] ?? band;
  });
  return band;
}

export const ETHNICITY_GROUPS = ['white', 'mixed', 'asian', 'black', 'other', 'not-stated', 'not-known'] as const;
export type EthnicityGroup = (typeof ETHNICITY_GROUPS)[number];

/** NHS Data Dictionary ethnic category (2001 census letters) to its top-level group. */
const ETHNICITY: Readonly<Record<string, EthnicityGroup>> = {
  A: 'white',
  B: 'white',
  C: 'white',
  D: 'mixed',
  E: 'mixed',
  F: 'mixed',
  G: 'mixed',
  H: 'asian',
  J: 'asian',
  K: 'asian',
  L: 'asian',
  M: 'black',
  N: 'black',
  P: 'black',
  R: 'other',
  S: 'other',
  Z: 'not-stated',
  '99': 'not-known',
};

/** Throws on a code outside the vocabulary: the schema admits none, so one is a defect to surface. */
export function ethnicityGroupOf(code: string): EthnicityGroup {
  const group = Object.hasOwn(ETHNICITY, code) ? ETHNICITY[code] : undefined;
  if (group === undefined) throw new RangeError(`unknown NHS ethnic category: ${code}`);
  return group;
}

export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: LocalDate): number {
  const { year, month, day: d } = parseDate(day);
  return ((new Date(Date.UTC(year, month - 1, d)).getUTCDay() + 6) % 7) + 1;
}

/**
 * The first day of the fixed calendar period containing `day`: the day itself, the Monday of its
 * ISO week (which may be in the previous year: 2027-01-01 is in the week of 2026-12-28), or the 1st
 * of its month. Fixed boundaries are what stops differencing of overlapping queries (§7).
 */
export function periodOf(day: LocalDate, period: Period): LocalDate {
  const { year, month } = parseDate(day);
  switch (period) {
    case 'day':
      return day;
    case 'week':
      return addDays(day, 1 - isoWeekday(day));
    case 'month':
      return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
    default:
      throw new RangeError(`unknown period: ${String(period)}`);
  }
}

/** The last day of the fixed period containing `day`. */
export function periodEndOf(day: LocalDate, period: Period): LocalDate {
  const start = periodOf(day, period);
  switch (period) {
    case 'day':
      return start;
    case 'week':
      return addDays(start, 6);
    default: {
      const { year, month } = parseDate(start);
      const next =
        month === 12
          ? `${String(year + 1).padStart(4, '0')}-01-01`
          : `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-01`;
      return addDays(next, -1);
    }
  }
}

/**
 * True when [from, to] is a union of whole periods. An extract over part of a period could be
 * subtracted from the whole period's figures (§7), so handlers should refuse other ranges.
 */
export function isWholePeriods(from: LocalDate, to: LocalDate, period: Period): boolean {
  return from <= to && periodOf(from, period) === from && periodEndOf(to, period) === to;
}

/** Every calendar date from `from` to `to` inclusive; empty when `to` is before `from`. */
export function daysBetween(from: LocalDate, to: LocalDate): LocalDate[] {
  parseDate(from);
  parseDate(to);
  const days: LocalDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** Made on first use, as in shared/domain/london-time.ts: ICU's time-zone data loads then, not at import. */
let londonClockFormat: Intl.DateTimeFormat | undefined;
const londonClock = (): Intl.DateTimeFormat =>
  (londonClockFormat ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }));

/** Hour and minute of the Europe/London wall clock at `instant` (BST or GMT as in force). */
export function londonTimeOfDay(instant: Date): { hour: number; minute: number } {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError('invalid instant');
  const parts: Record<string, number> = {};
  for (const part of londonClock().formatToParts(instant))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { hour: parts.hour ?? NaN, minute: parts.minute ?? NaN };
}

/** 0–23, Europe/London: the finest time §7 allows in an extract. */
export const londonHour = (instant: Date): number => londonTimeOfDay(instant).hour;

/** 1 = Monday … 7 = Sunday, on the London calendar date of `instant`. */
export const londonDayOfWeek = (instant: Date): number => isoWeekday(londonDate(instant));
