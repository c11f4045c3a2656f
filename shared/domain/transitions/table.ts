/**
 * Which decider each event type has: one line per type, grouped as the modules are. The type
 * makes the table complete: an event type added to the schema without a line here fails to
 * compile. `unchanged` marks the events whose effect is all in the shared part (the status, a
 * milestone, their clock facts, the requests they answer).
 */
import { allocate, coAllocate, handedOver } from './allocation.js';
import { factCorrected, flagAcknowledged } from './corrections.js';
import {
  displacementApplied,
  nearestRelativeConsulted,
  nearestRelativeDisplaced,
  nearestRelativeIdentified,
  nearestRelativeInformed,
  nearestRelativeNotPracticable,
} from './nearest-relative.js';
import { amendOutcome, applicationMade, gpLetterSent, reasonsSent, recordOutcome } from './outcome.js';
import { clockExtended, legalStatusChanged, placeOfSafetyReached } from './place-of-safety.js';
import { bedIdentified, bedRequested, escalated, requested } from './requests.js';
import { accept, close, notAccept, requestWithdrawal, startReview } from './triage.js';
import { unchanged, type DeciderTable } from './step.js';

export const DECIDERS: DeciderTable = {
  // Review, triage, withdrawal and closing.
  'start-review': startReview,
  accept,
  'not-accept': notAccept,
  'start-assessment': unchanged,
  'request-withdrawal': requestWithdrawal,
  withdraw: unchanged,
  close,
  'information-added': unchanged,
  // Allocation.
  allocate,
  'co-allocate': coAllocate,
  'handed-over': handedOver,
  // The outcome and what follows it.
  'record-outcome': recordOutcome,
  'amend-outcome': amendOutcome,
  'application-made': applicationMade,
  'reasons-sent': reasonsSent,
  'gp-letter-sent': gpLetterSent,
  // Corrections and acknowledgements.
  'fact-corrected': factCorrected,
  'flag-acknowledged': flagAcknowledged,
  // The nearest relative.
  'nearest-relative-identified': nearestRelativeIdentified,
  'nearest-relative-informed': nearestRelativeInformed,
  'nearest-relative-consulted': nearestRelativeConsulted,
  'nearest-relative-not-practicable': nearestRelativeNotPracticable,
  'nearest-relative-displaced': nearestRelativeDisplaced,
  'displacement-applied': displacementApplied,
  // Requests and what answers them (the answers pair in requests.ts after every decider).
  escalated,
  's12-doctor-requested': requested,
  's12-doctor-arrived': unchanged,
  'medical-examination-completed': unchanged,
  'bed-requested': bedRequested,
  'bed-identified': bedIdentified,
  'conveyance-requested': requested,
  'conveyance-arrived': unchanged,
  'police-requested': requested,
  'police-arrived': unchanged,
  'police-declined': unchanged,
  'interpreter-requested': requested,
  'interpreter-arrived': unchanged,
  // Legal status and place of safety.
  'legal-status-changed': legalStatusChanged,
  'arrived-at-place-of-safety': placeOfSafetyReached,
  'transferred-between-places-of-safety': placeOfSafetyReached,
  'clock-extended': clockExtended,
  'detention-ended': unchanged,
};
