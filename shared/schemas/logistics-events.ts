/**
 * Assessment logistics (DOMAIN §5, §9): escalations and the paired requests and arrivals that
 * decide whether an assessment happens in time — s.12 doctors, police, conveyance, an
 * interpreter, a bed. Each request opens a wait that its arrival (or the police's reply, or a bed
 * found) closes; the pairing and its times are the domain's (shared/domain/logistics.ts).
 * Split out of referral-events.ts, which re-exports these and puts them in the one union.
 */
import * as z from 'zod/mini';
import './zod-locale.js';
import { Id } from './common.js';
import { LocationType, RcrpGround, textBlock, textLine } from './referral.js';
import { fact } from './event-member.js';
import {
  BED_REQUEST_SEXES,
  BedType,
  CONVEYANCE_MODES,
  DOCTORS,
  EscalationType,
  POLICE_DECLINED_REASONS,
} from './referral-event-vocabulary.js';

/** An ICB by its ODS code (as on a bed unit). */
export const IcbCode = z.string().check(z.regex(/^[A-Z0-9]{3,5}$/, 'an ODS code'));

export const Escalated = fact('escalated', {
  escalationType: EscalationType,
  bedType: z.optional(BedType),
  whereWaiting: z.optional(LocationType),
  note: z.optional(textBlock(2000)),
}).check(
  z.superRefine((v, ctx) => {
    // §5: "No bed" records the bed type needed and where the person waits.
    if (v.escalationType === 'no-bed') {
      if (v.bedType === undefined)
        ctx.addIssue({ code: 'custom', path: ['bedType'], message: 'required for a no-bed escalation' });
      if (v.whereWaiting === undefined)
        ctx.addIssue({ code: 'custom', path: ['whereWaiting'], message: 'required for a no-bed escalation' });
    }
  }),
);
/**
 * §9: which doctor (`first` when absent), whether s.12-approved, whether they know the person
 * already (the Code of Practice prefers one who does).
 */
export const S12DoctorRequested = fact('s12-doctor-requested', {
  doctor: z.optional(z.enum(DOCTORS)),
  s12Approved: z.optional(z.boolean()),
  previousKnowledge: z.optional(z.boolean()),
});
/** Without `doctor`, the arrival answers the longest-waiting doctor request. */
export const S12DoctorArrived = fact('s12-doctor-arrived', { doctor: z.optional(z.enum(DOCTORS)) });
/** Starts the s.6(1)(a) 14-day admission window (§4). */
export const MedicalExaminationCompleted = fact('medical-examination-completed', {
  recommendationMade: z.optional(z.boolean()),
});
export const BedRequested = fact('bed-requested', {
  bedType: BedType,
  sex: z.enum(BED_REQUEST_SEXES),
  note: z.optional(textBlock(1000)),
  /** s.131A: required when a person under 18 needs a bed type other than `camhs` (§3.1). */
  reasonForBedType: z.optional(textBlock(1000)),
});
export const BedIdentified = fact('bed-identified', {
  unitId: z.optional(Id),
  outOfArea: z.boolean(),
  /** §9: the ICB where an out-of-area bed is. */
  icb: z.optional(IcbCode),
});
export const ConveyanceRequested = fact('conveyance-requested', { mode: z.enum(CONVEYANCE_MODES) });
export const ConveyanceArrived = fact('conveyance-arrived', {});
/** Police presence asked for, on its Right Care, Right Person ground (003:37). */
export const PoliceRequested = fact('police-requested', { ground: RcrpGround });
export const PoliceArrived = fact('police-arrived', {});
/** The police's reply that they will not attend: it answers the request (no arrival follows). */
export const PoliceDeclined = fact('police-declined', {
  reason: z.enum(POLICE_DECLINED_REASONS),
  note: z.optional(textBlock(1000)),
}).check(
  z.superRefine((v, ctx) => {
    if (v.reason === 'other' && v.note === undefined)
      ctx.addIssue({ code: 'custom', path: ['note'], message: "required when the reason is 'other'" });
  }),
);
/** The language asked for (never exported: a language narrows who the person is). */
export const InterpreterRequested = fact('interpreter-requested', { language: textLine(60) });
export const InterpreterArrived = fact('interpreter-arrived', {});
