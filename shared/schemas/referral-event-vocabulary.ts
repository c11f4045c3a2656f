/**
 * The vocabularies of the referral events (DOMAIN §3, §4, §9): split out of referral-events.ts by
 * concern; referral-events.ts re-exports everything here, so importers need not change.
 */
import * as z from 'zod/mini';
import './zod-locale.js';
import { BED_TYPES, ESCALATION_TYPES, OUTCOMES, type Outcome as VocabularyOutcome } from '../domain/vocabulary.js';

export { OUTCOMES, APPLICATION_OUTCOMES, outcomeMakesApplication, BED_TYPES } from '../domain/vocabulary.js';
export type Outcome = VocabularyOutcome;

export const NOT_ACCEPTED_DISPOSITIONS = ['advice', 'signposted', 'redirected'] as const;
export const CLOSE_REASONS = [
  'completed',
  'withdrawn-by-referrer',
  'duplicate',
  'transferred-to-other-lssa',
  'no-longer-required',
  'other',
] as const;
export const TEAMS = ['day-service', 'out-of-hours'] as const;
// A plain list in the domain vocabulary (zod-free, for the extracts), re-exported here.
export { ESCALATION_TYPES };
/** A bed for one person is on a male or a female ward (or a mixed unit that has either). */
export const BED_REQUEST_SEXES = ['male', 'female'] as const;
export const CONVEYANCE_MODES = ['ambulance', 'secure-transport', 'police', 'other'] as const;
/** The only ground for extending a s.135/s.136 detention (§4). */
export const EXTENSION_GROUNDS = ['condition-makes-assessment-impracticable'] as const;
/** Whether an AMHP was consulted on an s.136B extension (DOMAIN §4). */
export const AMHP_CONSULTED = ['yes', 'no', 'not-yet-involved'] as const;
/**
 * The times `fact-corrected` may correct (DOMAIN §3.1): an event's `occurredAt`, or a time of
 * the legal status given at intake or by `legal-status-changed`.
 */
export const CORRECTABLE_FIELDS = [
  'occurredAt',
  'detainedAt',
  'arrivedAtPlaceOfSafetyAt',
  'keptWhereFoundAt',
  'enteredPremisesAt',
  'recordedAt',
  'furnishedAt',
  'precedingS54RecordedAt',
  'applicationAt',
  'medicalExaminationAt',
  'admittedAt',
] as const;
/** Every power with a clock that can end (§4). */
export const DETENTION_POWERS = ['s136', 's135-1', 's135-2', 's5-4', 's5-2', 's4', 's2'] as const;

export const Outcome = z.enum(OUTCOMES);
export const BedType = z.enum(BED_TYPES);
export const EscalationType = z.enum(ESCALATION_TYPES);

/** Which doctor a s.12 request or arrival is for: an application needs two (DOMAIN §9). */
export const DOCTORS = ['first', 'second'] as const;
/** Why police declined to attend (Right Care, Right Person: 003:37). */
export const POLICE_DECLINED_REASONS = ['rcrp-threshold-not-met', 'no-resources', 'other'] as const;
/** Bed-request answers (DOMAIN §5, §9): `out-of-area` names the ICB where the bed is. */
export const BED_REQUEST_RESPONSES = ['offered', 'identified', 'out-of-area', 'none'] as const;
