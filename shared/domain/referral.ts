/**
 * The referral aggregate: its stored record, the clock facts its data and events imply, and the
 * views each kind of reader gets (referral-views.ts, re-exported here). Pure: no AWS, no ambient time.
 */
import type { Clock, ClockFact } from './clocks.js';
import type { ReferralStatus } from './lifecycle.js';
import type { Flag, PlaceOfSafetyNow } from './referral-flags.js';
import type { Application, NearestRelativeStatus } from './applications.js';
import { ageBandOf } from './capacity.js';
import { londonDate } from './london-time.js';
import { ageOn } from './referral-rules.js';
import type { LegalStatus, ReferralCreate } from '../schemas/referral.js';
import type { ReferralEventInput } from '../schemas/referral-events.js';
import type { LogisticsRequest } from './logistics.js';
import type { BedLadder } from './bed-ladder.js';

export interface Actor {
  readonly organisationId: string;
  readonly clientId: string;
  readonly role: string;
  readonly actorId?: string;
  readonly amhpId?: string;
}

export interface ReferralRecord extends Omit<ReferralCreate, 'referrer'> {
  readonly id: string;
  readonly reference: string;
  status: ReferralStatus;
  /** Bumped by events people send (If-Match). */
  version: number;
  /** Bumped by every write, system events included: stream consumers guard on it. */
  changeSeq: number;
  readonly receivedAt: string;
  updatedAt: string;
  /** The AMHP service acting for `responsibleLssa`. */
  readonly serviceId: string;
  readonly referrer: ReferralCreate['referrer'] & {
    organisationId: string;
    agencyType: string;
    clientId: string;
    actorId?: string;
  };
  clockFacts: ClockFact[];
  clocks: Clock[];
  /** Threshold keys (`power#threshold#expiry`) the sweep has announced. */
  recordedThresholds: string[];
  review?: { at: string; byActorId?: string; byAmhpId?: string };
  triage?: {
    decision: 'accepted' | 'not-accepted';
    at: string;
    reason: string;
    disposition?: string;
    nextSteps?: string;
    byActorId?: string;
  };
  allocation?: { amhpId: string; expectedAttendanceAt: string; at: string; byActorId?: string };
  /** Second AMHPs attending (for safety): they see the full referral, never record the outcome. */
  coAllocations?: { amhpId: string; at: string; byActorId?: string }[];
  /** The application made on paper, by the outcome or after `recommendations-made-no-bed` (DOMAIN §3.1). */
  application?: Application;
  /** The nearest relative's position (DOMAIN §3.2). */
  nearestRelativeStatus?: NearestRelativeStatus;
  /** s.13(4): the written reasons sent to the nearest relative. */
  reasonsSent?: { at: string; method: string };
  /** The GP told of the outcome and plan. */
  gpLetterSent?: { at: string; method: string };
  /** Where the person is held now (place-of-safety rules, s.136B's superintendent). */
  placeOfSafety?: PlaceOfSafetyNow;
  /** Flags raised (DOMAIN §2, §3.1); resolved ones are kept with when and how. */
  flags?: Flag[];
  /** When each request was last made (a doctor's or conveyance's arrival may not precede it). */
  factTimes?: Partial<Record<string, string>>;
  /** Requests and their answers, paired (DOMAIN §9): open ones are the board's "waiting for". */
  logistics?: LogisticsRequest[];
  /** The bed-finding ladder of each bed request (DOMAIN §9). */
  bedLadders?: BedLadder[];
  outcome?: {
    outcome: string;
    nextSteps: string;
    reasonsInWriting?: string;
    /** s.13(4): the text the AMHP approved for the nearest relative's letter. */
    reasonsForNearestRelative?: string;
    at: string;
    byAmhpId?: string;
    amendments: number;
  };
  withdrawalRequested?: boolean;
  closure?: { reason: string; at: string };
  lastEvent: { type: string; at: string };
  possibleDuplicateOf?: string[];
  /** The X-Correlation-ID of the message that made it (FHIR intake): feedback carries it back. */
  correlationId?: string;
  /** When each milestone was first reached (demand planning's intervals, DOMAIN §7). */
  milestones: Partial<Record<Milestone, string>>;
  /** Escalation types raised, in order (may repeat). */
  escalations: string[];
  /** Powers whose clock was breached. */
  breaches: string[];
}

export const MILESTONES = {
  'review-started': 'reviewStarted',
  accepted: 'accepted',
  'not-accepted': 'notAccepted',
  allocated: 'allocated',
  'assessment-started': 'assessmentStarted',
  'medical-examination-completed': 'medicalExamination',
  'outcome-recorded': 'outcomeRecorded',
  'bed-requested': 'bedRequested',
  'bed-identified': 'bedIdentified',
  withdrawn: 'withdrawn',
  closed: 'closed',
} as const;
export type Milestone = (typeof MILESTONES)[keyof typeof MILESTONES];

/** Records the first time a recorded event type reaches a milestone; later repeats keep the first. */
export function withMilestone(r: ReferralRecord, recordedType: string, at: string): Partial<Record<Milestone, string>> {
  const name = (MILESTONES as Record<string, Milestone>)[recordedType];
  if (!name || r.milestones?.[name]) return r.milestones ?? {};
  return { ...(r.milestones ?? {}), [name]: at };
}

const detentionFacts = (status: LegalStatus): ClockFact[] => {
  switch (status.status) {
    case 's136':
    case 's135-1':
    case 's135-2': {
      const entered =
        'enteredPremisesAt' in status && status.enteredPremisesAt
          ? { enteredPremisesAt: status.enteredPremisesAt }
          : {};
      const facts: ClockFact[] = [
        {
          type: 'detained',
          power: status.status,
          at: status.detainedAt,
          ...(status.keptWhereFoundAt
            ? { keptWhereFound: true, decisionToKeepAt: status.keptWhereFoundAt, ...entered }
            : {}),
        },
      ];
      if (status.arrivedAtPlaceOfSafetyAt) {
        facts.push({
          type: 'arrived-at-place-of-safety',
          at: status.arrivedAtPlaceOfSafetyAt,
          ...(status.placeOfSafetyType ? { placeOfSafetyType: status.placeOfSafetyType } : {}),
        });
      }
      return facts;
    }
    case 's5-4':
      return [{ type: 's5-4-recorded', at: status.recordedAt }];
    case 's5-2':
      return [
        ...(status.precedingS54RecordedAt
          ? [
              { type: 's5-4-recorded', at: status.precedingS54RecordedAt } as const,
              { type: 'practitioner-arrived', at: status.furnishedAt } as const,
            ]
          : []),
        { type: 's5-2-furnished', at: status.furnishedAt },
      ];
    case 's4':
      return [
        {
          type: 'application-made',
          section: 's4',
          at: status.applicationAt,
          medicalExaminationAt: status.medicalExaminationAt,
        },
        ...(status.admittedAt ? [{ type: 'admitted', power: 's4', at: status.admittedAt } as const] : []),
      ];
    case 's2':
      return [{ type: 'admitted', power: 's2', at: status.admittedAt }];
    default:
      return [];
  }
};

/**
 * The person's age band on the English calendar date of `at` (DOMAIN §3.1: ages from calendar
 * dates in Europe/London, not elapsed days); an unidentified person's estimate as given.
 */
export function ageBandAt(person: ReferralRecord['person'], at: Date): string {
  if (person.identityUnknown) return person.estimatedAgeBand;
  return ageBandOf(ageOn(person.dateOfBirth, londonDate(at)));
}

/** Tags facts with the change that made them, so `fact-corrected` can find them. */
const tagged = (facts: ClockFact[], seq: number, origin?: 'outcome'): ClockFact[] =>
  facts.map((f) => ({ ...f, seq, ...(origin ? { origin } : {}) }));

export const clockFactsOfReferral = (body: ReferralCreate): ClockFact[] => tagged(detentionFacts(body.legalStatus), 1);

/** The application an outcome makes, as a clock fact (it ends s.135/s.136: DOMAIN §4). */
export function applicationFactsOfOutcome(outcome: string, at: string, seq: number): ClockFact[] {
  const section = APPLICATION_SECTION_OF_OUTCOME[outcome];
  return section ? tagged([{ type: 'application-made', at, section }], seq, 'outcome') : [];
}
const APPLICATION_SECTION_OF_OUTCOME: Record<string, 's2' | 's3' | 's4' | 'guardianship'> = {
  'detained-s2': 's2',
  'detained-s3': 's3',
  'detained-s4': 's4',
  'guardianship-s7': 'guardianship',
};

/**
 * The clock facts an event adds (most add none). `at` is when it happened, `seq` the change that
 * records it. Outcomes are `applicationFactsOfOutcome` (an amendment replaces them).
 */
export function clockFactsOfEvent(
  event: ReferralEventInput,
  at: string,
  seq: number,
  placeOfSafetyType?: string,
): ClockFact[] {
  const facts = ((): ClockFact[] => {
    switch (event.type) {
      case 'arrived-at-place-of-safety':
        return [{ type: 'arrived-at-place-of-safety', at, placeOfSafetyType: event.placeOfSafetyType }];
      case 'transferred-between-places-of-safety':
        return [{ type: 'transferred-between-places-of-safety', at, placeOfSafetyType: event.placeOfSafetyType }];
      case 'clock-extended':
        return [
          {
            type: 'clock-extended',
            power: event.power,
            at,
            hours: event.hours,
            ground: event.ground,
            byRole: event.authorisedBy.role,
            ...(placeOfSafetyType ? { placeOfSafetyType } : {}),
            ...(event.superintendentApproved !== undefined
              ? { superintendentApproved: event.superintendentApproved }
              : {}),
          },
        ];
      case 'detention-ended':
        return [{ type: 'detention-ended', at, power: event.power }];
      case 's12-doctor-arrived':
        return [{ type: 'practitioner-arrived', at }];
      case 'medical-examination-completed':
        return [{ type: 'medical-examination-completed', at }];
      case 'legal-status-changed':
        return detentionFacts(event.to);
      case 'application-made':
        return [{ type: 'application-made', at, section: event.section === 's7' ? 'guardianship' : event.section }];
      case 'displacement-applied':
        return [{ type: 'displacement-applied', at }];
      case 'nearest-relative-displaced':
        return [{ type: 'nearest-relative-displaced', at }];
      case 'close':
        return [{ type: 'referral-closed', at }];
      default:
        return [];
    }
  })();
  return tagged(facts, seq);
}

export {
  clockStateAt,
  clocksAt,
  recomputeClocks,
  boardSortKey,
  urgencyOfRank,
  type BoardClock,
  boardClocksOf,
  boardClockView,
  nextClockDeadline,
  serviceView,
  viewBasics,
  referrerView,
} from './referral-views.js';
