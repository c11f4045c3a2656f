/** Pure formatting of times for the console (tested in test/unit/console-format.test.ts). */

export type ClockState = 'running' | 'warning' | 'breached' | 'ended';

export interface BoardClock {
  readonly power: string;
  readonly expiresAt: string;
  /** Set when the clock was extended: the expiry that counts (a referral's full view has both). */
  readonly extendedUntil?: string;
  readonly state: ClockState;
}

/** The expiry that counts: the extended one when there is one. */
export const expiryOf = (clock: BoardClock): string => clock.extendedUntil ?? clock.expiresAt;

/** `H:MM:SS` of a duration in ms (sign ignored): hours are not wrapped at 24. */
export function hms(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

const POWER_NAMES: Record<string, string> = {
  s136: 's136',
  's135-1': 's135(1)',
  's135-2': 's135(2)',
  's5-4': 's5(4)',
  's5-2': 's5(2)',
  s4: 's4',
  s2: 's2',
  's4-admission': 's4 admission',
  'admission-window': 'admission window',
};
export const powerName = (power: string): string => POWER_NAMES[power] ?? power;

/** The clock that runs out first among those still running; undefined when none runs. */
export function nearestClock(clocks: readonly BoardClock[]): BoardClock | undefined {
  return clocks.filter((c) => c.state !== 'ended').sort((a, b) => Date.parse(expiryOf(a)) - Date.parse(expiryOf(b)))[0];
}

/**
 * What a clock shows at `now`: the server's state, or a later one when the time says so (a
 * clock whose expiry has passed reads as breached at once, not at the next refresh), never an
 * earlier one (a breach the server recorded stays a breach whatever this computer's clock says).
 * The state is also spelt out in words, so it never depends on colour alone.
 */
export function clockDisplay(clock: BoardClock, now: number): { state: ClockState; text: string } {
  const left = Date.parse(expiryOf(clock)) - now;
  const name = powerName(clock.power);
  if (clock.state === 'ended') return { state: 'ended', text: `${name} ended` };
  if (clock.state === 'breached' || left <= 0)
    return { state: 'breached', text: `Breached ${name} ${hms(Math.min(left, 0))} over` };
  if (clock.state === 'warning') return { state: 'warning', text: `Warning ${name} ${hms(left)} left` };
  return { state: 'running', text: `${name} ${hms(left)} left` };
}

/** "2 h 05 m" for a duration in minutes. */
export function duration(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  if (m < 60) return `${m} m`;
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  const rest = String(m % 60).padStart(2, '0');
  return days ? `${days} d ${hours} h ${rest} m` : `${hours} h ${rest} m`;
}

/** How long ago, coarse: "just now", "12 min ago", "5 h ago", "3 d ago". */
export function ago(iso: string, now: number): string {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** Date and time as people in England read it, in London time whatever the browser's zone. */
export function londonDateTime(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** A `datetime-local` value (London time) for an instant. */
export function toLocalInput(ms: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The instant of a `datetime-local` value read as London time (the offset found by one correction). */
export function fromLocalInput(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) throw new RangeError('not a date and time');
  const asUtc = Date.parse(`${value}:00Z`);
  const shown = Date.parse(`${toLocalInput(asUtc)}:00Z`);
  const instant = asUtc - (shown - asUtc);
  // A time the clocks skip in spring (01:30 on the last Sunday of March) names no instant.
  if (toLocalInput(instant) !== value)
    throw new RangeError('that time does not exist in London (the clocks went forward)');
  return new Date(instant).toISOString();
}
