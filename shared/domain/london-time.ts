/**
 * Europe/London calendar arithmetic without a date library. Periods in days "beginning with" a
 * day are counted in local days and end at local midnight (DOMAIN §4), so they need the London
 * date of an instant and the instant of a London midnight, across BST and GMT. Only Intl is used:
 * its tz database knows every change, so nothing here hard-codes the last-Sunday rule.
 */

/** A calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

/**
 * Made on first use, not at import: the first Europe/London formatter makes ICU load its time-zone
 * data (about 12 ms of CPU). Many handlers import this module through shared code without any of
 * their requests asking a London date, and they no longer pay that at init; one whose requests do
 * (the create: date-of-birth rule, clocks) pays it once on its first request, which the bench's
 * cold-start figure (import + first invocation) still counts.
 */
let wallClockFormat: Intl.DateTimeFormat | undefined;
const wallClock = (): Intl.DateTimeFormat =>
  (wallClockFormat ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }));

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function assertInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError('invalid instant');
}

function wall(instant: Date): Wall {
  assertInstant(instant);
  const parts: Record<string, number> = {};
  for (const part of wallClock().formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? NaN,
    month: parts.month ?? NaN,
    day: parts.day ?? NaN,
    hour: parts.hour ?? NaN,
    minute: parts.minute ?? NaN,
    second: parts.second ?? NaN,
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const formatDate = (year: number, month: number, day: number): LocalDate => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

function parseDate(date: LocalDate): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`invalid date: ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Round-trip through UTC to refuse dates such as 2026-02-30 instead of silently rolling them over.
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`invalid date: ${date}`);
  }
  return { year, month, day };
}

/** Minutes Europe/London is ahead of UTC at `instant`: 0 in GMT, 60 in BST. */
export function londonOffsetMinutes(instant: Date): number {
  const w = wall(instant);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const wholeSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((wallAsUtc - wholeSeconds) / 60_000);
}

/** The Europe/London calendar date of an instant: 2026-03-29T23:30Z is already 30 March (BST). */
export function londonDate(instant: Date): LocalDate {
  const w = wall(instant);
  return formatDate(w.year, w.month, w.day);
}

/**
 * The instant of 00:00 Europe/London on `date`. London changes at 01:00 UTC, never at midnight,
 * so local midnight always exists exactly once; the second pass settles the offset on change days.
 */
export function startOfLondonDay(date: LocalDate): Date {
  const { year, month, day } = parseDate(date);
  const midnightUtc = Date.UTC(year, month - 1, day);
  const guess = midnightUtc - londonOffsetMinutes(new Date(midnightUtc)) * 60_000;
  const result = new Date(midnightUtc - londonOffsetMinutes(new Date(guess)) * 60_000);
  const w = wall(result);
  if (londonDate(result) !== date || w.hour !== 0 || w.minute !== 0) {
    throw new RangeError(`no London midnight found for ${date}`);
  }
  return result;
}

/** Calendar arithmetic on dates (no time zone involved: a day is a day). */
export function addDays(date: LocalDate, days: number): LocalDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer: ${days}`);
  const { year, month, day } = parseDate(date);
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return formatDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/**
 * The end of a period of `days` days "beginning with" the London day of `start` (Interpretation
 * Act usage, as in MHA ss.2(4) and 6(1)(a)): that day is day 1, and the period ends at the end of
 * day N, which is 00:00 Europe/London on day N+1. Local days are 23 or 25 hours long on change days.
 */
export function endOfLondonDayPeriod(start: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive integer: ${days}`);
  return startOfLondonDay(addDays(londonDate(start), days));
}

/** An instant as London wall time with its offset, for display: `2026-03-30T00:40:00+01:00`. */
export function toLondonIso(instant: Date): string {
  const w = wall(instant);
  const offset = londonOffsetMinutes(instant);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${formatDate(w.year, w.month, w.day)}T${pad(w.hour)}:${pad(w.minute)}:` +
    `${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
