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
import { CLOCK_RULES, PLACE_OF_SAFETY_POWERS, type ClockRules, type Power, type PowerRule } from './clock-rules.js';
import { endOfLondonDayPeriod } from './london-time.js';
import {
  DETENTION_POWERS,
  HOUR_MS,
  iso,
  nowMs,
  ORDER_TOLERANCE_MS,
  parseInstant,
  type Clock,
  type ClockFact,
  type ClockFactType,
  type ClockState,
  type ExtensionRefusal,
  type ExtensionRequest,
} from './clock-facts.js';
import { thresholdsFor } from './clock-thresholds.js';

export { CLOCK_RULES, POWERS, PLACE_OF_SAFETY_POWERS } from './clock-rules.js';
export type { ClockRules, PlaceOfSafetyPower, Power } from './clock-rules.js';
// Split by concern (each file ≤ 400 lines); everything stays importable from here.
export * from './clock-facts.js';
export * from './clock-thresholds.js';

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
  if (typeof request.hours !== 'number' || !Number.isFinite(request.hours) || request.hours <= 0)
    return 'invalid-hours';
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
