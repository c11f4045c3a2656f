/**
 * When a clock warns and breaches (DOMAIN §4), and what the minute sweep finds due: split out of
 * clocks.ts, which re-exports all of this. Pure.
 */
import { CLOCK_RULES, type ClockRules, type Power } from './clock-rules.js';
import { addDays, londonDate, startOfLondonDay } from './london-time.js';
import {
  HOUR_MS,
  iso,
  nowMs,
  parseInstant,
  type Clock,
  type Instant,
  type Threshold,
  type ThresholdName,
} from './clock-facts.js';

/** Thresholds for one expiry: each warning offset, then the breach. */
export function thresholdsFor(power: Power, expiry: number, rules: ClockRules): Threshold[] {
  const unit = rules.powers[power].unit;
  const relativeTo = iso(expiry);
  const make = (threshold: ThresholdName, at: number): Threshold => ({
    power,
    threshold,
    at: iso(at),
    relativeTo,
    key: `${power}#${threshold}#${relativeTo}`,
  });
  const warnings =
    unit === 'hours'
      ? rules.warnings.hours.map((n) => make(`warning-${n}h`, expiry - n * HOUR_MS))
      : // A day before a day-period expiry is the start of the last local day (23 or 25 h on change days).
        rules.warnings.days.map((n) =>
          make(`warning-${n}d`, startOfLondonDay(addDays(londonDate(new Date(expiry)), -n)).getTime()),
        );
  return [...warnings, make('breach', expiry)].sort((a, b) => parseInstant(a.at) - parseInstant(b.at));
}

/** The clock's expiry now: the extended one if extended. */
export const effectiveExpiry = (clock: Clock): Instant => clock.extendedUntil ?? clock.expiresAt;

/**
 * The instants at which a clock warns and breaches, in time order. For an extended clock, the
 * original expiry's thresholds that had passed when the extension was made stay (they happened
 * and may already be on record); the rest are replaced by the extended expiry's. Those of the
 * extended expiry that already lay in the past at the extension (only with an extension under
 * 6 h made late) are kept too: they are due at once, which is true (less than 6 h remain).
 */
export function thresholdsOf(clock: Clock, rules: ClockRules = CLOCK_RULES): Threshold[] {
  // A suspended clock (s.29(4)) has no expiry while the displacement application is pending.
  if (clock.suspendedAt !== undefined) return [];
  const original = thresholdsFor(clock.power, parseInstant(clock.expiresAt), rules);
  if (clock.extendedUntil === undefined) return original;
  const extendedAt = parseInstant(clock.extendedAt ?? clock.expiresAt);
  return [
    ...original.filter((t) => parseInstant(t.at) <= extendedAt),
    ...thresholdsFor(clock.power, parseInstant(clock.extendedUntil), rules),
  ].sort((a, b) => parseInstant(a.at) - parseInstant(b.at));
}

/** The earliest threshold strictly after `after` over clocks still open: the sweep's index key. */
export function nextDeadline(
  clocks: readonly Clock[],
  after: Date,
  rules: ClockRules = CLOCK_RULES,
): Instant | undefined {
  const from = nowMs(after);
  let next: number | undefined;
  for (const clock of clocks) {
    if (clock.endedAt !== undefined) continue;
    for (const t of thresholdsOf(clock, rules)) {
      const at = parseInstant(t.at);
      if (at > from && (next === undefined || at < next)) next = at;
    }
  }
  return next === undefined ? undefined : iso(next);
}

/**
 * Thresholds at or before `now` whose key is not in `alreadyRecorded`, in time order: the sweep
 * appends one system event for each and records its key, so each is appended exactly once. An
 * ended clock contributes only a breach that happened before it ended: a detention that ran past
 * its limit is a fact for the record even if the sweep was late; stale warnings are not.
 */
export function dueThresholds(
  clocks: readonly Clock[],
  now: Date,
  alreadyRecorded: ReadonlySet<string>,
  rules: ClockRules = CLOCK_RULES,
): Threshold[] {
  const current = nowMs(now);
  const due: Threshold[] = [];
  for (const clock of clocks) {
    const endedAt = clock.endedAt === undefined ? undefined : parseInstant(clock.endedAt);
    for (const t of thresholdsOf(clock, rules)) {
      const at = parseInstant(t.at);
      if (at > current || alreadyRecorded.has(t.key)) continue;
      if (endedAt !== undefined && !(t.threshold === 'breach' && at < endedAt)) continue;
      due.push(t);
    }
  }
  return due.sort((a, b) => parseInstant(a.at) - parseInstant(b.at) || a.key.localeCompare(b.key));
}

/** The nearest effective expiry over open clocks: what the board orders open referrals by. */
export function nearestExpiry(clocks: readonly Clock[]): Instant | undefined {
  const open = clocks
    .filter((c) => c.endedAt === undefined && c.suspendedAt === undefined)
    .map((c) => parseInstant(effectiveExpiry(c)));
  return open.length === 0 ? undefined : iso(Math.min(...open));
}
