/**
 * The de-identified demand fact of one referral (DOMAIN §7), and the roll-up counter changes one
 * change of that fact implies. Fed from the change stream, never from live reads (§7). Pure.
 *
 * What a fact may hold is what §7 allows: keyed hashes instead of ids and identifiers, an age
 * band instead of a date of birth, the London day and hour instead of exact times, the LSSA
 * instead of an address, codes instead of free text. Nothing else is copied from the referral.
 */
import type { Milestone } from '../domain/referral.js';
import { londonDate } from '../domain/london-time.js';
import { FLAG_CODES } from '../domain/vocabulary.js';
import { AGE_BANDS, ageBandAt, ethnicityGroupOf, londonDayOfWeek, londonHour } from './generalise.js';
import { bucketOf } from './histogram.js';
import { factKeyOf, pseudonymousPersonKey } from './pseudonymise.js';
import { DEFAULT_CALENDAR, isOutOfHours, type ServiceCalendar } from './service-calendar.js';
import { logisticsContributions, logisticsFactOf, type LogisticsFact, type LogisticsLike } from './logistics-facts.js';

export const DIMENSIONS = [
  'agencyType',
  'legalStatus',
  'outcome',
  'ethnicityGroup',
  'ageBand',
  'sex',
  'lssa',
  'hourOfDay',
  'dayOfWeek',
  'outOfHours',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const INTERVALS = [
  'receivedToAccepted',
  'receivedToAllocated',
  'receivedToAssessment',
  'receivedToOutcome',
  'bedRequestedToIdentified',
] as const;
export type Interval = (typeof INTERVALS)[number];

export interface DemandFact {
  /** Keyed hash of the referral id (`factKeyOf`). */
  factKey: string;
  /** Keyed hash of the person's identifiers; absent for an unidentified person. */
  personKey?: string;
  /** London calendar date of receipt, YYYY-MM-DD. */
  receivedDay: string;
  dims: Record<Dimension, string>;
  urgency: string;
  status: string;
  /** Whole minutes. */
  intervals: Partial<Record<Interval, number>>;
  /** Escalation types, one entry per escalation (repeats kept). */
  escalations: string[];
  /** Powers whose clock was breached. */
  breaches: string[];
  /**
   * Flag codes ever raised on the referral (DOMAIN §3.1: data quality), each once, sorted; a
   * resolved or acknowledged flag still counts. Codes of FLAG_CODES only, never free text. Absent
   * on facts stored before flags were counted.
   */
  flags?: string[];
  /** Delays by cause, the s.136 duration, out-of-area placements (logistics-facts.ts); absent on older facts. */
  logistics?: LogisticsFact;
  changeSeq: number;
}

/** Outcome dimension values other than the §3 outcome codes. */
export const OUTCOME_PENDING = 'pending';
export const OUTCOME_NOT_ACCEPTED = 'not-accepted';
export const OUTCOME_WITHDRAWN = 'withdrawn';
/** Closed after acceptance without an outcome (e.g. the person was admitted informally first). */
export const OUTCOME_CLOSED_WITHOUT_OUTCOME = 'closed-without-outcome';
/** Age band when there is neither a usable date of birth nor an estimate. */
export const AGE_UNKNOWN = 'unknown';

/**
 * The fields of a stored referral the fact is built from, and no more: a ReferralRecord is
 * accepted as it is. Bookkeeping arrays are optional because records written before they
 * existed do not have them.
 */
export interface ReferralLike extends LogisticsLike {
  readonly id: string;
  readonly receivedAt: string;
  readonly status: string;
  readonly urgency: string;
  readonly changeSeq: number;
  readonly responsibleLssa: string;
  readonly person: {
    readonly identityUnknown?: boolean | undefined;
    readonly givenName?: string | undefined;
    readonly familyName?: string | undefined;
    readonly dateOfBirth?: string | undefined;
    readonly nhsNumber?: string | undefined;
    readonly estimatedAgeBand?: string | undefined;
    readonly sex: string;
    readonly ethnicity: string;
  };
  readonly referrer: { readonly agencyType: string };
  readonly legalStatus: { readonly status: string };
  readonly outcome?: { readonly outcome: string } | undefined;
  readonly milestones?: Readonly<Partial<Record<Milestone, string>>> | undefined;
  readonly escalations?: readonly string[] | undefined;
  readonly breaches?: readonly string[] | undefined;
  readonly flags?: readonly { readonly code: string }[] | undefined;
}

function outcomeOf(r: ReferralLike): string {
  if (r.outcome) return r.outcome.outcome;
  if (r.status === 'not-accepted') return OUTCOME_NOT_ACCEPTED;
  if (r.status === 'withdrawn') return OUTCOME_WITHDRAWN;
  if (r.status === 'closed') return OUTCOME_CLOSED_WITHOUT_OUTCOME;
  return OUTCOME_PENDING;
}

function ageBandOf(r: ReferralLike, receivedAt: Date): string {
  const p = r.person;
  if (p.identityUnknown !== true && p.dateOfBirth) {
    try {
      return ageBandAt(p.dateOfBirth, receivedAt);
    } catch {
      // A malformed date or one after receipt cannot be banded; the stream must not stall on it.
      return AGE_UNKNOWN;
    }
  }
  const estimate = p.estimatedAgeBand;
  return estimate !== undefined && (AGE_BANDS as readonly string[]).includes(estimate) ? estimate : AGE_UNKNOWN;
}

/** The known flag codes the referral ever raised, once each: anything else is dropped, not copied. */
const flagCodesOf = (r: ReferralLike): string[] =>
  [...new Set((r.flags ?? []).map((f) => f.code))].filter((c) => (FLAG_CODES as readonly string[]).includes(c)).sort();

function minutesBetween(from: string | undefined, to: string | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  // A fact reported with an earlier occurredAt than receipt (or a bed found before it was asked
  // for) is not a waiting time; dropping it keeps it from piling into the first bucket.
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.floor(ms / 60_000);
}

/**
 * The demand fact of a referral's current state.
 *
 * `legalStatus` is the status at receipt (§7 figures are "by legal status" of the referral),
 * but the stored record holds only the current status (a `legal-status-changed` event replaces
 * it). Passing the previous fact keeps the status first seen, so the consumer should pass it;
 * without it the record's current status is used.
 */
export function demandFactOf(
  referral: ReferralLike,
  keys: { pseudonymisation: Buffer },
  calendar: ServiceCalendar = DEFAULT_CALENDAR,
  previous?: DemandFact,
): DemandFact {
  const received = new Date(referral.receivedAt);
  if (Number.isNaN(received.getTime())) throw new RangeError('receivedAt is not an instant');
  const m = referral.milestones ?? {};
  const personKey = pseudonymousPersonKey(referral.person, keys.pseudonymisation);
  const dims: Record<Dimension, string> = {
    agencyType: referral.referrer.agencyType,
    legalStatus: previous?.dims.legalStatus ?? referral.legalStatus.status,
    outcome: outcomeOf(referral),
    ethnicityGroup: ethnicityGroupOf(referral.person.ethnicity),
    ageBand: ageBandOf(referral, received),
    sex: referral.person.sex,
    lssa: referral.responsibleLssa,
    hourOfDay: String(londonHour(received)),
    dayOfWeek: String(londonDayOfWeek(received)),
    outOfHours: String(isOutOfHours(received, calendar)),
  };
  tupleOf(dims); // refuses a value that would corrupt the counter names
  const intervals: Partial<Record<Interval, number>> = {};
  const spans: Record<Interval, number | undefined> = {
    receivedToAccepted: minutesBetween(referral.receivedAt, m.accepted),
    receivedToAllocated: minutesBetween(referral.receivedAt, m.allocated),
    receivedToAssessment: minutesBetween(referral.receivedAt, m.assessmentStarted ?? m.medicalExamination),
    receivedToOutcome: minutesBetween(referral.receivedAt, m.outcomeRecorded),
    bedRequestedToIdentified: minutesBetween(m.bedRequested, m.bedIdentified),
  };
  for (const name of INTERVALS) {
    const minutes = spans[name];
    if (minutes !== undefined) intervals[name] = minutes;
  }
  return {
    factKey: factKeyOf(referral.id, keys.pseudonymisation),
    ...(personKey !== undefined ? { personKey } : {}),
    receivedDay: londonDate(received),
    dims,
    urgency: referral.urgency,
    status: referral.status,
    intervals,
    escalations: [...(referral.escalations ?? [])],
    breaches: [...(referral.breaches ?? [])],
    flags: flagCodesOf(referral),
    logistics: logisticsFactOf(referral),
    changeSeq: referral.changeSeq,
  };
}

const SEPARATOR = '|';

/** The dimension tuple as one counter-name segment: values in DIMENSIONS order, '|'-joined. */
export function tupleOf(dims: Record<Dimension, string>): string {
  return DIMENSIONS.map((d) => {
    const value = dims[d];
    if (typeof value !== 'string' || value.includes(SEPARATOR))
      throw new RangeError(`dimension ${d}: a value without '|' is required`);
    return value;
  }).join(SEPARATOR);
}

export function dimsOfTuple(tuple: string): Record<Dimension, string> {
  const values = tuple.split(SEPARATOR);
  if (values.length !== DIMENSIONS.length) throw new RangeError(`a tuple of ${DIMENSIONS.length} values is required`);
  return Object.fromEntries(DIMENSIONS.map((d, i) => [d, values[i] as string])) as Record<Dimension, string>;
}

/** Counter names of the roll-up day item (see `rollupDelta`). */
export const counterName = {
  referrals: (dims: Record<Dimension, string>): string => `n|${tupleOf(dims)}`,
  histogram: (interval: Interval, bucket: number): string => `h|${interval}|${bucket}`,
  escalation: (type: string): string => `e|${type}`,
  breach: (power: string): string => `b|${power}`,
  /** One per referral that ever raised the flag. */
  flag: (code: string): string => `f|${code}`,
};

function contributions(fact: DemandFact): Map<string, number> {
  const out = new Map<string, number>();
  const add = (name: string) => out.set(name, (out.get(name) ?? 0) + 1);
  add(counterName.referrals(fact.dims));
  for (const name of INTERVALS) {
    const minutes = fact.intervals[name];
    if (minutes !== undefined) add(counterName.histogram(name, bucketOf(minutes)));
  }
  for (const type of fact.escalations) add(counterName.escalation(type));
  for (const power of fact.breaches) add(counterName.breach(power));
  for (const code of fact.flags ?? []) add(counterName.flag(code));
  for (const name of logisticsContributions(fact.logistics)) add(name);
  return out;
}

/**
 * The counter changes that move the roll-up of (receivedDay, lssa) from `previous` to `next`:
 * +1 per contribution of `next`, −1 per contribution of `previous`, netted, zeros omitted. Applied
 * as DynamoDB ADDs, a replayed change would count twice, so the caller guards on `changeSeq`.
 */
export function rollupDelta(previous: DemandFact | undefined, next: DemandFact): Record<string, number> {
  if (previous && (previous.receivedDay !== next.receivedDay || previous.dims.lssa !== next.dims.lssa)) {
    throw new RangeError('a referral keeps its received day and LSSA; the facts disagree');
  }
  const delta = new Map<string, number>();
  for (const [name, n] of contributions(next)) delta.set(name, n);
  if (previous) for (const [name, n] of contributions(previous)) delta.set(name, (delta.get(name) ?? 0) - n);
  const out: Record<string, number> = {};
  for (const [name, n] of [...delta].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (n !== 0) out[name] = n;
  return out;
}
