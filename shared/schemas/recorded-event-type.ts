/**
 * The recorded name of each event input, apart from the event schemas: the domain (and so the
 * create handler) needs this map but not the schemas, whose construction at module load would
 * otherwise be part of every such handler's cold start (#21). referral-events.ts re-exports it.
 */
import type { ReferralEventInputType } from './referral-events.js';

/**
 * The name under which each input is recorded in the history and sent as feedback: DOMAIN §3
 * and §6 name recorded events in the past tense (`accepted`, `outcome-amended`,
 * `withdrawal-requested`); inputs that already are such names are recorded as sent.
 */
export const RECORDED_EVENT_TYPE = {
  'start-review': 'review-started',
  accept: 'accepted',
  'not-accept': 'not-accepted',
  allocate: 'allocated',
  'start-assessment': 'assessment-started',
  'record-outcome': 'outcome-recorded',
  'amend-outcome': 'outcome-amended',
  close: 'closed',
  withdraw: 'withdrawn',
  'request-withdrawal': 'withdrawal-requested',
  'information-added': 'information-added',
  'handed-over': 'handed-over',
  'co-allocate': 'co-allocated',
  'application-made': 'application-made',
  'fact-corrected': 'fact-corrected',
  'flag-acknowledged': 'flag-acknowledged',
  'nearest-relative-identified': 'nearest-relative-identified',
  'nearest-relative-informed': 'nearest-relative-informed',
  'nearest-relative-consulted': 'nearest-relative-consulted',
  'nearest-relative-not-practicable': 'nearest-relative-not-practicable',
  'nearest-relative-displaced': 'nearest-relative-displaced',
  'displacement-applied': 'displacement-applied',
  'reasons-sent': 'reasons-sent',
  'gp-letter-sent': 'gp-letter-sent',
  escalated: 'escalated',
  's12-doctor-requested': 's12-doctor-requested',
  's12-doctor-arrived': 's12-doctor-arrived',
  'medical-examination-completed': 'medical-examination-completed',
  'bed-requested': 'bed-requested',
  'bed-identified': 'bed-identified',
  'conveyance-requested': 'conveyance-requested',
  'conveyance-arrived': 'conveyance-arrived',
  'police-requested': 'police-requested',
  'police-arrived': 'police-arrived',
  'police-declined': 'police-declined',
  'interpreter-requested': 'interpreter-requested',
  'interpreter-arrived': 'interpreter-arrived',
  'legal-status-changed': 'legal-status-changed',
  'arrived-at-place-of-safety': 'arrived-at-place-of-safety',
  'transferred-between-places-of-safety': 'transferred-between-places-of-safety',
  'clock-extended': 'clock-extended',
  'detention-ended': 'detention-ended',
} as const satisfies Record<ReferralEventInputType, string>;
