/**
 * The events people (and partner systems acting for them) send to a referral (DOMAIN §3): one
 * discriminated union on `type`, each member strict (`z.strictObject`). System events (`clock-warning`,
 * `clock-breached`, `feedback-sent`) are not here: nobody may post them.
 *
 * `occurredAt`: events that report something that happened in the world (a doctor arrived, the
 * person reached a place of safety, the outcome was decided at the assessment) may carry when it
 * happened, because they are often entered afterwards and the clocks (§4) run from the real
 * time; absent means the time the Hub records it. Decisions made in the Hub itself (triage,
 * allocation, amendment, closing, withdrawal) take the Hub's time only: a backdated triage would
 * distort the received→accepted figures (§7), so those members refuse `occurredAt`.
 *
 * Which role may send which event, state preconditions, separation of duties and the s.13(4)
 * written-reasons rule are the domain's, not the schema's.
 */
import * as z from 'zod/mini';
import './zod-locale.js';
import { Id, Rfc3339 } from './common.js';
import {
  InspectorAuthorisation,
  LegalStatus,
  PlaceOfSafetyPower,
  PlaceOfSafetyType,
  textBlock,
  textLine,
} from './referral.js';
import {
  ACKNOWLEDGEABLE_FLAGS,
  APPLICATION_SECTIONS,
  PRACTITIONER_APPROVALS,
  outcomeMakesApplication,
} from '../domain/vocabulary.js';
import { CalendarDate, decision, fact, note, reason } from './event-member.js';
import {
  AMHP_CONSULTED,
  CLOSE_REASONS,
  CORRECTABLE_FIELDS,
  DETENTION_POWERS,
  EXTENSION_GROUNDS,
  NOT_ACCEPTED_DISPOSITIONS,
  Outcome,
  TEAMS,
} from './referral-event-vocabulary.js';
import {
  DisplacementApplied,
  GpLetterSent,
  NearestRelativeConsulted,
  NearestRelativeDisplaced,
  NearestRelativeIdentified,
  NearestRelativeInformed,
  NearestRelativeNotPracticable,
  ReasonsSent,
} from './nearest-relative-events.js';
import {
  BedIdentified,
  BedRequested,
  ConveyanceArrived,
  ConveyanceRequested,
  Escalated,
  InterpreterArrived,
  InterpreterRequested,
  MedicalExaminationCompleted,
  PoliceArrived,
  PoliceDeclined,
  PoliceRequested,
  S12DoctorArrived,
  S12DoctorRequested,
} from './logistics-events.js';

// Split by concern (each file ≤ 400 lines); everything stays importable from here.
export * from './referral-event-vocabulary.js';
export * from './nearest-relative-events.js';
export * from './logistics-events.js';
// Kept apart (no zod) so the domain can map input to recorded names without building every event schema.
export { RECORDED_EVENT_TYPE } from './recorded-event-type.js';

/** A medical recommendation as the statutory form records it (DOMAIN §3.1). */
export const MedicalRecommendation = z.strictObject({
  practitioner: textLine(120),
  /** s.12(2)-approved, an approved clinician (s.12(2A)), or another registered practitioner. */
  approval: z.enum(PRACTITIONER_APPROVALS),
  examinedOn: CalendarDate,
  signedOn: CalendarDate,
});

/**
 * The application made on paper and its evidence (DOMAIN §3.1). Missing or inconsistent
 * evidence is accepted and flagged, never refused: the application was made in the world.
 */
const applicationShape = {
  hospital: z.optional(textBlock(200)),
  guardian: z.optional(textBlock(200)),
  recommendations: z.optional(z.array(MedicalRecommendation).check(z.maxLength(2))),
  /** s.11(5): the day the AMHP last personally saw the person. */
  amhpSeenOn: z.optional(CalendarDate),
};
export const ApplicationDetails = z.strictObject(applicationShape);

type OutcomeFields = { outcome: Outcome; reasonsInWriting?: string | undefined; application?: unknown };
/**
 * §3: an outcome with no application carries the reasons in writing; only one that makes an application carries one.
 */
function checkReasons(v: OutcomeFields, ctx: z.core.$RefinementCtx): void {
  if (!outcomeMakesApplication(v.outcome) && v.reasonsInWriting === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['reasonsInWriting'],
      message: 'required when the outcome makes no application',
    });
  if (!outcomeMakesApplication(v.outcome) && v.application !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['application'],
      message: 'only an outcome that makes an application carries one',
    });
}

export const StartReview = decision('start-review', {});
export const Accept = decision('accept', { reason });
export const NotAccept = decision('not-accept', {
  reason,
  disposition: z.enum(NOT_ACCEPTED_DISPOSITIONS),
  /** Goes to the referrer with the triage decision (§6). */
  nextSteps: textBlock(2000),
});
export const Allocate = decision('allocate', { amhpId: Id, expectedAttendanceAt: Rfc3339 });
export const StartAssessment = fact('start-assessment', {});
const outcomeShape = {
  outcome: Outcome,
  /** Plan and next steps: the part of the outcome the referrer receives (§6). */
  nextSteps: textBlock(2000),
  /** Internal: why no application was made (§3). */
  reasonsInWriting: z.optional(textBlock(8000)),
  /** s.13(4): the text the AMHP approves for the nearest relative's letter, apart from the internal reasons. */
  reasonsForNearestRelative: z.optional(textBlock(8000)),
  /** The application and its evidence, for an outcome that makes one. */
  application: z.optional(ApplicationDetails),
};
export const RecordOutcome = fact('record-outcome', outcomeShape).check(z.superRefine(checkReasons));
/** A correction is a whole replacement of the outcome plus why (§3: the outcome is immutable). */
export const AmendOutcome = decision('amend-outcome', { ...outcomeShape, reason }).check(z.superRefine(checkReasons));
export const Close = decision('close', { reason: z.enum(CLOSE_REASONS), note: z.optional(textBlock(2000)) }).check(
  z.superRefine((v, ctx) => {
    if (v.reason === 'other' && v.note === undefined)
      ctx.addIssue({ code: 'custom', path: ['note'], message: "required when the reason is 'other'" });
  }),
);
export const Withdraw = decision('withdraw', { reason });
export const RequestWithdrawal = decision('request-withdrawal', { reason });
export const InformationAdded = decision('information-added', { note });
/**
 * A hand-over is an allocation (DOMAIN §3.1): to an AMHP it passes every allocation check; to a
 * team it leaves the allocation empty for the receiving lead.
 */
export const HandedOver = fact('handed-over', {
  toTeam: z.optional(z.enum(TEAMS)),
  toAmhpId: z.optional(Id),
  reason,
}).check(
  z.superRefine((v, ctx) => {
    if (v.toTeam === undefined && v.toAmhpId === undefined)
      ctx.addIssue({ code: 'custom', path: ['toTeam'], message: 'toTeam or toAmhpId is required' });
    if (v.toTeam !== undefined && v.toAmhpId !== undefined)
      ctx.addIssue({ code: 'custom', path: ['toAmhpId'], message: 'give toTeam or toAmhpId, not both' });
  }),
);
/** A second AMHP attending (for safety): the same checks as an allocation; no outcome of theirs. */
export const CoAllocate = decision('co-allocate', { amhpId: Id, reason: z.optional(reason) });
/**
 * An application made on paper after `recommendations-made-no-bed` (DOMAIN §3.1): by the AMHP
 * then allocated; it ends the holding power's clock.
 */
export const ApplicationMade = fact('application-made', {
  section: z.enum(APPLICATION_SECTIONS),
  ...applicationShape,
}).check(
  z.superRefine((v, ctx) => {
    if (v.section === 's7' && v.guardian === undefined)
      ctx.addIssue({ code: 'custom', path: ['guardian'], message: 'required for a guardianship application' });
    if (v.section !== 's7' && v.hospital === undefined)
      ctx.addIssue({ code: 'custom', path: ['hospital'], message: 'required for an application for admission' });
  }),
);
/**
 * A fact entered wrongly is corrected, never edited in place (§3.1): a time (the clocks are
 * recomputed), or the application's evidence (its flags are re-checked).
 */
export const FactCorrected = decision('fact-corrected', {
  /** The `seq` of the event corrected (1 = the referral as received). */
  eventSeq: z.number().check(z.int()).check(z.gte(1)),
  field: z.enum([...CORRECTABLE_FIELDS, 'application']),
  /** The corrected time, for a time field. */
  value: z.optional(Rfc3339),
  /** The corrected application (whole), for `field: application`. */
  application: z.optional(ApplicationDetails),
  reason,
}).check(
  z.superRefine((v, ctx) => {
    if (v.field === 'application' && v.application === undefined)
      ctx.addIssue({ code: 'custom', path: ['application'], message: 'required to correct the application' });
    if (v.field !== 'application' && v.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'required to correct a time' });
  }),
);

/** The lead acknowledges a flag that records something past (not one whose fact still holds). */
export const FlagAcknowledged = decision('flag-acknowledged', { flag: z.enum(ACKNOWLEDGEABLE_FLAGS), reason });
export const LegalStatusChanged = fact('legal-status-changed', { to: LegalStatus });
/** `occurredAt` is the arrival: the s.135/s.136 clock starts there (§4). */
export const ArrivedAtPlaceOfSafety = fact('arrived-at-place-of-safety', {
  placeOfSafetyType: PlaceOfSafetyType,
  siteId: z.optional(Id),
  inspectorAuthorisation: z.optional(InspectorAuthorisation),
});
/** The place moved to; a transfer does not restart the clock (§4). */
export const TransferredBetweenPlacesOfSafety = fact('transferred-between-places-of-safety', {
  placeOfSafetyType: PlaceOfSafetyType,
  siteId: z.optional(Id),
  inspectorAuthorisation: z.optional(InspectorAuthorisation),
});
/** Once, before expiry, up to 12 h; at a police station with a superintendent's approval (§4, domain). */
export const ClockExtended = fact('clock-extended', {
  power: PlaceOfSafetyPower,
  hours: z.number().check(z.int()).check(z.gte(1)).check(z.lte(12)),
  ground: z.enum(EXTENSION_GROUNDS),
  /** s.136B: the registered medical practitioner responsible for the examination. */
  authorisedBy: z.strictObject({ name: textLine(120), role: z.literal('registered-medical-practitioner') }),
  amhpConsulted: z.enum(AMHP_CONSULTED),
  superintendentApproved: z.optional(z.boolean()),
});
export const DetentionEnded = fact('detention-ended', {
  power: z.enum(DETENTION_POWERS),
  note: z.optional(textBlock(1000)),
});

export const ReferralEventInput = z
  .discriminatedUnion('type', [
    StartReview,
    Accept,
    NotAccept,
    Allocate,
    StartAssessment,
    RecordOutcome,
    AmendOutcome,
    Close,
    Withdraw,
    RequestWithdrawal,
    InformationAdded,
    HandedOver,
    CoAllocate,
    ApplicationMade,
    FactCorrected,
    FlagAcknowledged,
    NearestRelativeIdentified,
    NearestRelativeInformed,
    NearestRelativeConsulted,
    NearestRelativeNotPracticable,
    NearestRelativeDisplaced,
    DisplacementApplied,
    ReasonsSent,
    GpLetterSent,
    Escalated,
    S12DoctorRequested,
    S12DoctorArrived,
    MedicalExaminationCompleted,
    BedRequested,
    BedIdentified,
    ConveyanceRequested,
    ConveyanceArrived,
    PoliceRequested,
    PoliceArrived,
    PoliceDeclined,
    InterpreterRequested,
    InterpreterArrived,
    LegalStatusChanged,
    ArrivedAtPlaceOfSafety,
    TransferredBetweenPlacesOfSafety,
    ClockExtended,
    DetentionEnded,
  ])
  .check(
    z.meta({
      example: { type: 'allocate', amhpId: 'amhp-0042', expectedAttendanceAt: '2026-11-15T00:30:00Z' },
    }),
  );
export type ReferralEventInput = z.infer<typeof ReferralEventInput>;
export type ReferralEventInputType = ReferralEventInput['type'];

export const REFERRAL_EVENT_INPUT_TYPES = [
  'start-review',
  'accept',
  'not-accept',
  'allocate',
  'start-assessment',
  'record-outcome',
  'amend-outcome',
  'close',
  'withdraw',
  'request-withdrawal',
  'information-added',
  'handed-over',
  'co-allocate',
  'application-made',
  'fact-corrected',
  'flag-acknowledged',
  'nearest-relative-identified',
  'nearest-relative-informed',
  'nearest-relative-consulted',
  'nearest-relative-not-practicable',
  'nearest-relative-displaced',
  'displacement-applied',
  'reasons-sent',
  'gp-letter-sent',
  'escalated',
  's12-doctor-requested',
  's12-doctor-arrived',
  'medical-examination-completed',
  'bed-requested',
  'bed-identified',
  'conveyance-requested',
  'conveyance-arrived',
  'police-requested',
  'police-arrived',
  'police-declined',
  'interpreter-requested',
  'interpreter-arrived',
  'legal-status-changed',
  'arrived-at-place-of-safety',
  'transferred-between-places-of-safety',
  'clock-extended',
  'detention-ended',
] as const satisfies readonly ReferralEventInputType[];

/**
 * Decisions the service makes personal (triage, allocation) and the AMHP's own (the outcome,
 * s.13): the caller must be a person, whose `actorId` is recorded (§1).
 */
export const DECISION_EVENT_TYPES = [
  'start-review',
  'accept',
  'not-accept',
  'allocate',
  'co-allocate',
  'handed-over',
  'record-outcome',
  'amend-outcome',
  'application-made',
  'fact-corrected',
  'flag-acknowledged',
] as const satisfies readonly ReferralEventInputType[];
export const isDecisionEvent = (type: ReferralEventInputType): boolean =>
  (DECISION_EVENT_TYPES as readonly string[]).includes(type);

/** The members that accept `occurredAt` (see the header). */
export const EVENT_TYPES_WITH_OCCURRED_AT = REFERRAL_EVENT_INPUT_TYPES.filter((t) =>
  Object.hasOwn(ReferralEventInput.def.options.find((o) => o.shape.type.def.values[0] === t)!.shape, 'occurredAt'),
);
