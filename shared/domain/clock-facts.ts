/**
 * The facts and shapes of the statutory clocks (split out of clocks.ts, which re-exports all of
 * this). The clocks of a referral (DOMAIN §4) are recomputed from its clock-relevant facts by one
 * pure function: no I/O, no ambient time (`now` is a parameter), periods from a versioned rule
 * table. Nothing is stored that can be recomputed, so a correction to a fact corrects every clock.
 *
 * Facts (`ClockFact`, in any order: they are replayed in order of `at`, ties in the given order):
 *   detained                              s.135/s.136 power exercised; starts the clock only if
 *                                         `keptWhereFound` (at `decisionToKeepAt ?? at`), otherwise
 *                                         waits for the arrival [ss.135(3ZA), 136(2A)]
 *   arrived-at-place-of-safety            first arrival starts a waiting s.135/s.136 clock; later
 *                                         arrivals are transfers and change nothing
 *   transferred-between-places-of-safety  never restarts the clock (DOMAIN §4)
 *   clock-extended                        s.136B, applied only if valid at its own `at`
 *   detention-ended                       ends one detention clock (`power`) or all of them
 *   application-made                      ends s.135/s.136 (DOMAIN §4); an s.4 application also
 *                                         starts 's4-admission' and supersedes the 14-day window
 *   s5-4-recorded / practitioner-arrived  s.5(4) 6 h; lapses when the doctor or AC arrives
 *   s5-2-furnished                        s.5(2) 72 h, from the s.5(4) record if one preceded [s.5(5)]
 *   medical-examination-completed         (re)starts the 14-day admission window [s.6(1)(a)]
 *   admitted                              ends every open clock (a new application supersedes
 *                                         them) and starts s.4 (72 h) or s.2 (28 days); s.3 has no
 *                                         clock in DOMAIN §4
 *   s4-converted-to-s2                    second recommendation within the 72 h: s.2 runs from the
 *                                         s.4 admission [s.4(4)]
 *   referral-closed                       ends every open clock: the Hub stops tracking them
 */
import type { PlaceOfSafetyPower, Power } from './clock-rules.js';

/** An ISO 8601 instant with an explicit offset (`Z` or `±hh:mm`); outputs are always UTC `Z`. */
export type Instant = string;

/** Powers under which a person is held (so `detention-ended` applies), as opposed to admission windows. */
export type DetentionPower = Exclude<Power, 's4-admission' | 'admission-window'>;
export const DETENTION_POWERS: readonly DetentionPower[] = ['s136', 's135-1', 's135-2', 's5-4', 's5-2', 's4', 's2'];

export interface ClockExtendedFact {
  type: 'clock-extended';
  power: PlaceOfSafetyPower;
  at: Instant;
  hours: number;
  ground: 'condition-makes-assessment-impracticable';
  byRole: 'registered-medical-practitioner';
  /** Where the person is held now; if absent, the last recorded arrival or transfer decides. */
  placeOfSafetyType?: string;
  superintendentApproved?: boolean;
}

/**
 * Where a fact came from, so `fact-corrected` can find it (DOMAIN §3.1): the change sequence of
 * the event (1 = intake) and, for outcomes, that an outcome made it (an amendment replaces them).
 * `computeClocks` ignores both.
 */
export interface FactSource {
  seq?: number;
  origin?: 'outcome';
}

export type ClockFact = FactSource &
  (
    | {
        type: 'detained';
        power: PlaceOfSafetyPower;
        at: Instant;
        keptWhereFound?: boolean;
        decisionToKeepAt?: Instant;
        /** s.135(3ZA): kept at the premises, the clock runs from the constable's first entry. */
        enteredPremisesAt?: Instant;
      }
    | { type: 'arrived-at-place-of-safety'; at: Instant; placeOfSafetyType?: string }
    | { type: 'transferred-between-places-of-safety'; at: Instant; placeOfSafetyType?: string }
    | ClockExtendedFact
    | { type: 'detention-ended'; at: Instant; power?: DetentionPower }
    | {
        type: 'application-made';
        at: Instant;
        section: 's2' | 's3' | 's4' | 'guardianship';
        medicalExaminationAt?: Instant;
      }
    | { type: 's5-4-recorded'; at: Instant }
    | { type: 'practitioner-arrived'; at: Instant }
    | { type: 's5-2-furnished'; at: Instant }
    | { type: 'medical-examination-completed'; at: Instant }
    | { type: 'admitted'; at: Instant; power: 's2' | 's3' | 's4' }
    | { type: 's4-converted-to-s2'; at: Instant }
    | { type: 'referral-closed'; at: Instant }
    /** s.29(3)(c)/(d): a displacement application pending extends a running s.2 (s.29(4)). */
    | { type: 'displacement-applied'; at: Instant }
    /** s.29: the order made; the s.2 then runs for a further seven days (s.29(4)). */
    | { type: 'nearest-relative-displaced'; at: Instant }
  );

export type ClockFactType = ClockFact['type'];
export type ClockState = 'running' | 'warning' | 'breached' | 'ended';

export interface Clock {
  power: Power;
  startsAt: Instant;
  /** The statutory expiry before any extension (kept so the record shows what was extended). */
  expiresAt: Instant;
  extendedUntil?: Instant;
  /** When the (last) extension was made: thresholds of the original expiry up to it still count. */
  extendedAt?: Instant;
  state: ClockState;
  endedAt?: Instant;
  endedBy?: ClockFactType;
  /** s.29(4): the s.2 runs on while a displacement application is pending: no expiry, no thresholds. */
  suspendedAt?: Instant;
  rulesVersion: string;
}

export type ExtensionRefusal =
  | 'not-extendable'
  | 'no-running-clock'
  | 'already-extended'
  | 'at-in-future'
  | 'after-expiry'
  | 'invalid-hours'
  | 'too-long'
  | 'not-medical-practitioner'
  | 'ground-missing'
  | 'superintendent-approval-required';

/** A proposed extension: a `clock-extended` fact before it is accepted, loosely typed as it comes from a request. */
export interface ExtensionRequest {
  power: Power;
  /** When the doctor decided; defaults to `now`. */
  at?: Instant;
  hours: number;
  ground?: string;
  byRole?: string;
  placeOfSafetyType?: string;
  superintendentApproved?: boolean;
}

export type ThresholdName = `warning-${number}h` | `warning-${number}d` | 'breach';

export interface Threshold {
  power: Power;
  threshold: ThresholdName;
  at: Instant;
  /** The expiry this threshold warns about: the original one, or the extended one. */
  relativeTo: Instant;
  /** `${power}#${threshold}#${relativeTo}`: what the sweep records to append each exactly once. */
  key: string;
}

export const HOUR_MS = 3_600_000;
/** DOMAIN §3.1: a fact may precede the fact it follows by at most 5 minutes (clock skew, rounding). */
export const ORDER_TOLERANCE_MS = 5 * 60_000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** Refuses instants without an offset: `new Date` would read them in the server's zone. */
export function parseInstant(value: Instant): number {
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`invalid instant (ISO 8601 with offset required): ${value}`);
  return ms;
}

export const iso = (ms: number): Instant => new Date(ms).toISOString();

export function nowMs(now: Date): number {
  const ms = now instanceof Date ? now.getTime() : NaN;
  if (Number.isNaN(ms)) throw new RangeError('invalid now');
  return ms;
}
