/**
 * The statutory clocks of a referral (DOMAIN §4), recomputed from its clock-relevant facts by one
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
import {
  CLOCK_RULES,
  PLACE_OF_SAFETY_POWERS,
  type ClockRules,
  type PlaceOfSafetyPower,
  type Power,
  type PowerRule,
} from './clock-rules.js';
import { addDays, endOfLondonDayPeriod, londonDate, startOfLondonDay } from './london-time.js';

export { CLOCK_RULES, POWERS, PLACE_OF_SAFETY_POWERS } from './clock-rules.js';
export type { ClockRules, PlaceOfSafetyPower, Power } from './clock-rules.js';

/** An ISO 8601 instant with an explicit offset (`Z` or `±hh:mm`); outputs are always UTC `Z`. */
export type Instant = string;

/** Powers under which a person is held (so `detention-ended` applies), as opposed to admission windows. */
export type DetentionPower = Exclude<Power, 's4-admission' | 'admission-window'>;
const DETENTION_POWERS: readonly DetentionPower[] = ['s136', 's135-1', 's135-2', 's5-4', 's5-2', 's4', 's2'];

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
  | { type: 'application-made'; at: Instant; section: 's2' | 's3' | 's4' | 'guardianship'; medicalExaminationAt?: Instant }
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

const HOUR_MS = 3_600_000;
/** DOMAIN §3.1: a fact may precede the fact it follows by at most 5 minutes (clock skew, rounding). */
export const ORDER_TOLERANCE_MS = 5 * 60_000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** Refuses instants without an offset: `new Date` would read them in the server's zone. */
export function parseInstant(value: Instant): number {
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`invalid instant (ISO 8601 with offset required): ${value}`);
  return ms;
}

const iso = (ms: number): Instant => new Date(ms).toISOString();

function nowMs(now: Date): number {
  const ms = now instanceof Date ? now.getTime() : NaN;
  if (Number.isNaN(ms)) throw new RangeError('invalid now');
  return ms;
}

/** Hours are elapsed time (24 h across a change is still 24 h); days end at London midnight. */
function expiryOf(rule: PowerRule, start: number): number {
  return rule.unit === 'hours'
    ? start + rule.period * HOUR_MS
    : endOfLondonDayPeriod(new Date(start), rule.period).getTime();
}

/** The replay's working record of one clock. */
interface Rec {
  power: Power;
  start: number;
  expires: number;
  extendedHours: number;
  extensions: number;
  extendedAt?: number;
  endedAt?: number;
  endedBy?: ClockFactType;
  /** An s.5(4) record already used as the start of an s.5(2). */
  consumed?: boolean;
  /**
   * A s.135/s.136 clock started at the detention because no arrival is recorded yet: the
   * earliest instant the facts allow (DOMAIN §4, "a detention always has a clock"). The first
   * arrival moves the start to itself (never before the detention).
   */
  awaitingArrival?: boolean;
  /** An extension to a fixed instant (s.29(4)'s seven days after the order). */
  extendedTo?: number;
  /** A displacement application pending since (s.29(4)). */
  suspendedAt?: number;
}

const effectiveExpiryMs = (rec: Rec): number => rec.extendedTo ?? rec.expires + rec.extendedHours * HOUR_MS;
/** s.29(4): "a further period of seven days" after the order. */
const DISPLACEMENT_FURTHER_MS = 7 * 24 * HOUR_MS;

interface Replay {
  recs: Rec[];
  /** Type of the place the person was last recorded at, for the police-station rule of s.136B. */
  place?: string;
}

function validateExtension(
  rec: Rec | undefined,
  request: ExtensionRequest,
  decision: number,
  recordedPlace: string | undefined,
  rules: ClockRules,
): ExtensionRefusal | undefined {
  const rule = rules.powers[request.power];
  const extension = rule.unit === 'hours' ? rule.extension : undefined;
  if (!extension) return 'not-extendable';
  if (!rec || rec.endedAt !== undefined || decision < rec.start) return 'no-running-clock';
  if (extension.once && rec.extensions > 0) return 'already-extended';
  // s.136B: "at any time before the expiry"; an extension cannot revive a lapsed power.
  if (decision >= effectiveExpiryMs(rec)) return 'after-expiry';
  if (typeof request.hours !== 'number' || !Number.isFinite(request.hours) || request.hours <= 0) return 'invalid-hours';
  if (rec.extendedHours + request.hours > extension.maxHours) return 'too-long';
  if (request.byRole !== extension.byRole) return 'not-medical-practitioner';
  if (request.ground !== extension.ground) return 'ground-missing';
  // Either the request or the record saying "police station" is enough: omitting the place
  // must not be a way around the superintendent's approval.
  const atPoliceStation = [request.placeOfSafetyType, recordedPlace].some(
    (place) => place !== undefined && extension.superintendentApprovalAt.includes(place),
  );
  if (atPoliceStation && request.superintendentApproved !== true) return 'superintendent-approval-required';
  return undefined;
}

function replay(facts: readonly ClockFact[], rules: ClockRules): Replay {
  const ordered = facts
    .map((fact, index) => ({ fact, index, t: parseInstant(fact.at) }))
    .sort((a, b) => a.t - b.t || a.index - b.index);

  const state: Replay = { recs: [] };
  const recs = state.recs;
  let lastExamination: number | undefined;
  /** The last arrival or transfer replayed: an arrival recorded just before a detention belongs to it. */
  let lastArrival: number | undefined;
  const arrivedSince = (detention: number): boolean =>
    lastArrival !== undefined && lastArrival >= detention - ORDER_TOLERANCE_MS && lastArrival <= detention;

  const open = (power: Power): Rec | undefined => recs.findLast((r) => r.power === power && r.endedAt === undefined);
  const start = (power: Power, at: number): Rec => {
    const rec: Rec = { power, start: at, expires: expiryOf(rules.powers[power], at), extendedHours: 0, extensions: 0 };
    recs.push(rec);
    return rec;
  };
  const end = (rec: Rec | undefined, at: number, by: ClockFactType): void => {
    if (rec && rec.endedAt === undefined) {
      rec.endedAt = at;
      rec.endedBy = by;
    }
  };
  const endAll = (powers: readonly Power[], at: number, by: ClockFactType): void => {
    for (const rec of recs) if (powers.includes(rec.power)) end(rec, at, by);
  };
  const allPowers = (): Power[] => recs.map((r) => r.power);

  for (const { fact, t } of ordered) {
    switch (fact.type) {
      case 'detained': {
        if (open(fact.power)) break; // the same detention reported again
        if (fact.keptWhereFound) {
          // s.136(2A): from the decision to keep the person where found. s.135(3ZA): kept at the
          // premises, from the constable's first entry; without that time, the warrant's
          // execution (the detention) is the earliest instant the facts allow, never the
          // later decision.
          const kept = fact.power === 's136' ? fact.decisionToKeepAt : fact.enteredPremisesAt;
          start(fact.power, kept ? parseInstant(kept) : t);
        } else {
          const rec = start(fact.power, t);
          // An arrival already on record (dated up to the tolerance before the detention) is this
          // detention's: the clock runs from the detention itself.
          if (!arrivedSince(t)) rec.awaitingArrival = true;
        }
        break;
      }
      case 'arrived-at-place-of-safety': {
        for (const rec of recs) {
          if (!rec.awaitingArrival || rec.endedAt !== undefined) continue;
          rec.awaitingArrival = false;
          rec.start = Math.max(rec.start, t);
          rec.expires = expiryOf(rules.powers[rec.power], rec.start);
        }
        lastArrival = t;
        state.place = fact.placeOfSafetyType;
        break;
      }
      case 'transferred-between-places-of-safety': {
        // A transfer never restarts the clock; with no recorded arrival the clock keeps the
        // detention as its start (the earliest the facts allow), never none.
        for (const rec of recs) if (rec.awaitingArrival && rec.endedAt === undefined) rec.awaitingArrival = false;
        lastArrival = t;
        state.place = fact.placeOfSafetyType;
        break;
      }
      case 'clock-extended': {
        const rec = open(fact.power);
        if (rec && validateExtension(rec, fact, t, state.place, rules) === undefined) {
          rec.extendedHours += fact.hours;
          rec.extensions += 1;
          rec.extendedAt = t;
        }
        break;
      }
      case 'detention-ended': {
        const powers = fact.power ? [fact.power] : DETENTION_POWERS;
        endAll(powers, t, fact.type);
        break;
      }
      case 'application-made': {
        endAll(PLACE_OF_SAFETY_POWERS, t, fact.type);
        if (fact.section === 's4') {
          // s.6(1)(b): 24 h from the examination or the application, whichever is earlier.
          const examined = fact.medicalExaminationAt ? parseInstant(fact.medicalExaminationAt) : lastExamination;
          end(open('admission-window'), t, fact.type);
          if (!open('s4-admission')) start('s4-admission', Math.min(t, examined ?? t));
        }
        break;
      }
      case 's5-4-recorded': {
        if (!open('s5-4')) start('s5-4', t);
        break;
      }
      case 'practitioner-arrived': {
        end(open('s5-4'), t, fact.type);
        break;
      }
      case 's5-2-furnished': {
        if (open('s5-2')) break;
        // s.5(5): a report furnished while the person is held under s.5(4) (or on the arrival of
        // the practitioner that ended it) runs from the s.5(4) record. After the 6 h lapse, or an
        // s.5(4) ended otherwise (the patient was let go), the report runs from itself (§4).
        const holding = recs.findLast(
          (r) =>
            r.power === 's5-4' &&
            !r.consumed &&
            t < r.expires &&
            (r.endedAt === undefined || r.endedBy === 'practitioner-arrived'),
        );
        if (holding) {
          holding.consumed = true;
          end(holding, t, fact.type);
        } else {
          // A lapsed s.5(4) still open on the record is superseded by the report (a breach it
          // suffered before stays owed: see dueThresholds).
          end(open('s5-4'), t, fact.type);
        }
        start('s5-2', holding ? holding.start : t);
        break;
      }
      case 'medical-examination-completed': {
        lastExamination = t;
        // "beginning with the date on which the patient was last medically examined": a later
        // examination moves the same window rather than opening a second one.
        const window = open('admission-window');
        if (window) {
          window.start = t;
          window.expires = expiryOf(rules.powers['admission-window'], t);
        } else {
          start('admission-window', t);
        }
        break;
      }
      case 'admitted': {
        endAll(allPowers(), t, fact.type);
        if (fact.power === 's4' || fact.power === 's2') start(fact.power, t);
        break;
      }
      case 's4-converted-to-s2': {
        const s4 = open('s4');
        // s.4(4): only a second recommendation received within the 72 h converts; after that the
        // s.4 has lapsed and a new application is needed.
        if (s4 && t < effectiveExpiryMs(s4)) {
          end(s4, t, fact.type);
          end(open('admission-window'), t, fact.type);
          start('s2', s4.start); // s.2(4): 28 days beginning with the day of the (s.4) admission
        }
        break;
      }
      case 'referral-closed': {
        endAll(allPowers(), t, fact.type);
        break;
      }
      case 'displacement-applied': {
        const s2 = open('s2');
        // Only an application made while the s.2 still runs extends it.
        if (s2 && s2.suspendedAt === undefined && t < effectiveExpiryMs(s2)) s2.suspendedAt = t;
        break;
      }
      case 'nearest-relative-displaced': {
        const s2 = open('s2');
        if (s2?.suspendedAt !== undefined) {
          s2.suspendedAt = undefined;
          s2.extendedTo = Math.max(effectiveExpiryMs(s2), t + DISPLACEMENT_FURTHER_MS);
          s2.extendedAt = t;
          s2.extensions += 1;
        }
        break;
      }
    }
  }
  return state;
}

/** Thresholds for one expiry: each warning offset, then the breach. */
function thresholdsFor(power: Power, expiry: number, rules: ClockRules): Threshold[] {
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

function stateAt(rec: Rec, now: number, rules: ClockRules): ClockState {
  if (rec.endedAt !== undefined) return 'ended';
  if (rec.suspendedAt !== undefined) return 'running';
  const expiry = effectiveExpiryMs(rec);
  if (now >= expiry) return 'breached';
  const first = thresholdsFor(rec.power, expiry, rules)[0];
  return first && first.threshold !== 'breach' && now >= parseInstant(first.at) ? 'warning' : 'running';
}

function toClock(rec: Rec, now: number, rules: ClockRules): Clock {
  const clock: Clock = {
    power: rec.power,
    startsAt: iso(rec.start),
    expiresAt: iso(rec.expires),
    state: stateAt(rec, now, rules),
    rulesVersion: rules.version,
  };
  if (rec.extensions > 0) {
    clock.extendedUntil = iso(effectiveExpiryMs(rec));
    if (rec.extendedAt !== undefined) clock.extendedAt = iso(rec.extendedAt);
  }
  if (rec.endedAt !== undefined) {
    clock.endedAt = iso(rec.endedAt);
    if (rec.endedBy) clock.endedBy = rec.endedBy;
  }
  if (rec.suspendedAt !== undefined && rec.endedAt === undefined) clock.suspendedAt = iso(rec.suspendedAt);
  return clock;
}

/**
 * Every clock the facts give, in the order they started, with its state at `now`. Facts are taken
 * as recorded (one dated slightly after `now` still counts); `now` only decides running, warning
 * or breached. Throws RangeError on an instant without an offset or an invalid `now`.
 */
export function computeClocks(facts: readonly ClockFact[], now: Date, rules: ClockRules = CLOCK_RULES): Clock[] {
  const at = nowMs(now);
  return replay(facts, rules).recs.map((rec) => toClock(rec, at, rules));
}

/**
 * Whether an s.136B extension may be recorded now. The same check runs again inside
 * `computeClocks` at the fact's own time, so an invalid `clock-extended` fact can never extend a
 * clock (it is ignored: the shorter, safer expiry stands).
 */
export function checkExtension(
  facts: readonly ClockFact[],
  request: ExtensionRequest,
  now: Date,
  rules: ClockRules = CLOCK_RULES,
): { ok: true } | { ok: false; reason: ExtensionRefusal } {
  const current = nowMs(now);
  const rule = rules.powers[request.power];
  if (rule.unit !== 'hours' || !rule.extension) return { ok: false, reason: 'not-extendable' };
  const decision = request.at === undefined ? current : parseInstant(request.at);
  const { recs, place } = replay(facts, rules);
  const rec = recs.findLast((r) => r.power === request.power && r.endedAt === undefined);
  if (decision > current) return { ok: false, reason: 'at-in-future' };
  const reason = validateExtension(rec, request, decision, place, rules);
  return reason ? { ok: false, reason } : { ok: true };
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
export function nextDeadline(clocks: readonly Clock[], after: Date, rules: ClockRules = CLOCK_RULES): Instant | undefined {
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
  const open = clocks.filter((c) => c.endedAt === undefined && c.suspendedAt === undefined).map((c) => parseInstant(effectiveExpiry(c)));
  return open.length === 0 ? undefined : iso(Math.min(...open));
}
