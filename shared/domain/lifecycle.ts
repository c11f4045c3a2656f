/**
 * The referral lifecycle (DOMAIN §3) as a table: which events move which status, which keep it,
 * and who may send each. Pure: the handler gathers the facts, this module decides.
 */
import type { ReferralEventInputType } from '../schemas/referral-events.js';

export const REFERRAL_STATUSES = [
  'received',
  'under-review',
  'accepted',
  'not-accepted',
  'allocated',
  'assessment-in-progress',
  'outcome-recorded',
  'closed',
  'withdrawn',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Terminal: off the board, no further events except an outcome amendment after closing. */
export const TERMINAL_STATUSES: readonly ReferralStatus[] = ['not-accepted', 'closed', 'withdrawn'];
export const isOpen = (status: ReferralStatus): boolean => !TERMINAL_STATUSES.includes(status);

const OPEN = REFERRAL_STATUSES.filter(isOpen);
const AFTER_ACCEPTANCE: readonly ReferralStatus[] = ['accepted', 'allocated', 'assessment-in-progress'];

interface Transition {
  readonly from: readonly ReferralStatus[];
  /** Absent: the event is recorded without moving the status. */
  readonly to?: ReferralStatus;
}

export const TRANSITIONS: Record<ReferralEventInputType, Transition> = {
  'start-review': { from: ['received'], to: 'under-review' },
  accept: { from: ['under-review'], to: 'accepted' },
  'not-accept': { from: ['under-review'], to: 'not-accepted' },
  // Re-allocation before the assessment starts is an allocation too (e.g. the first AMHP is
  // called away); after that the AMHP hands over.
  allocate: { from: ['accepted', 'allocated'], to: 'allocated' },
  'start-assessment': { from: ['allocated'], to: 'assessment-in-progress' },
  'record-outcome': { from: ['allocated', 'assessment-in-progress'], to: 'outcome-recorded' },
  // The outcome is immutable; an amendment is a further record, also after closing (000:1183).
  'amend-outcome': { from: ['outcome-recorded', 'closed'] },
  // Closing before an outcome needs a reason that says why (checked in `closeProblem`).
  close: { from: ['outcome-recorded', ...AFTER_ACCEPTANCE], to: 'closed' },
  // Before acceptance the referrer may withdraw; after it, only ask (§3).
  withdraw: { from: ['received', 'under-review'], to: 'withdrawn' },
  'request-withdrawal': { from: AFTER_ACCEPTANCE },
  'information-added': { from: OPEN },
  'handed-over': { from: ['accepted', 'allocated', 'assessment-in-progress'] },
  escalated: { from: OPEN },
  's12-doctor-requested': { from: AFTER_ACCEPTANCE },
  's12-doctor-arrived': { from: AFTER_ACCEPTANCE },
  'medical-examination-completed': { from: ['allocated', 'assessment-in-progress', 'outcome-recorded'] },
  'bed-requested': { from: ['allocated', 'assessment-in-progress', 'outcome-recorded'] },
  'bed-identified': { from: ['allocated', 'assessment-in-progress', 'outcome-recorded'] },
  'conveyance-requested': { from: ['allocated', 'assessment-in-progress', 'outcome-recorded'] },
  'conveyance-arrived': { from: ['allocated', 'assessment-in-progress', 'outcome-recorded'] },
  'legal-status-changed': { from: OPEN },
  'arrived-at-place-of-safety': { from: OPEN },
  'transferred-between-places-of-safety': { from: OPEN },
  'clock-extended': { from: OPEN },
  'detention-ended': { from: OPEN },
};

export type TransitionResult = { ok: true; to: ReferralStatus } | { ok: false; detail: string };

export function transition(status: ReferralStatus, type: ReferralEventInputType): TransitionResult {
  const rule = TRANSITIONS[type];
  if (!rule.from.includes(status)) return { ok: false, detail: `A referral that is ${status} cannot take '${type}'.` };
  return { ok: true, to: rule.to ?? status };
}

/** Events the referring organisation may send; everything else is the AMHP service's. */
const REFERRER_EVENTS: readonly ReferralEventInputType[] = [
  'withdraw',
  'request-withdrawal',
  'information-added',
  'arrived-at-place-of-safety',
  'transferred-between-places-of-safety',
  'detention-ended',
  'conveyance-arrived',
];
const SERVICE_EVENTS = (Object.keys(TRANSITIONS) as ReferralEventInputType[]).filter((t) => !['withdraw', 'request-withdrawal'].includes(t));
const TRIAGE: readonly ReferralEventInputType[] = ['start-review', 'accept', 'not-accept'];
const ALLOCATED_AMHP_ONLY: readonly ReferralEventInputType[] = ['start-assessment', 'record-outcome'];
const LEAD_ONLY: readonly ReferralEventInputType[] = ['allocate', 'close'];

export interface ActorFacts {
  readonly role: string;
  /** The caller's organisation referred it. */
  readonly isReferrer: boolean;
  /** The caller's organisation is the AMHP service responsible for the referral's LSSA. */
  readonly isService: boolean;
  readonly isPerson: boolean;
  /** The caller is an AMHP marked as duty reviewer on the register. */
  readonly isDutyReviewer: boolean;
  readonly callerAmhpId?: string;
  readonly allocatedAmhpId?: string;
  readonly outcomeByAmhpId?: string;
}

/** Who may send this event here; `undefined` when allowed, else why not (403). */
export function actorProblem(type: ReferralEventInputType, a: ActorFacts, decisionNeedsPerson: boolean): string | undefined {
  const asReferrer = a.isReferrer && REFERRER_EVENTS.includes(type);
  const asService = a.isService && (a.role === 'amhp-lead' || a.role === 'amhp') && SERVICE_EVENTS.includes(type);
  if (!asReferrer && !asService) return `Your organisation may not send '${type}' for this referral.`;
  if (asReferrer) return undefined;
  if (decisionNeedsPerson && !a.isPerson) return `'${type}' is a decision a signed-in person must make.`;
  if (TRIAGE.includes(type) && !(a.role === 'amhp-lead' || a.isDutyReviewer)) return 'Triage is for the duty lead or an AMHP marked as duty reviewer.';
  if (LEAD_ONLY.includes(type) && a.role !== 'amhp-lead') return `'${type}' is for the duty lead.`;
  if (ALLOCATED_AMHP_ONLY.includes(type) && (!a.callerAmhpId || a.callerAmhpId !== a.allocatedAmhpId)) return `'${type}' is for the AMHP allocated to this referral.`;
  if (type === 'amend-outcome' && (!a.callerAmhpId || a.callerAmhpId !== a.outcomeByAmhpId)) return 'Only the AMHP who recorded the outcome may amend it.';
  return undefined;
}

/** Closing before an outcome is recorded needs a reason that explains the missing outcome. */
export function closeProblem(status: ReferralStatus, reason: string, withdrawalRequested: boolean): string | undefined {
  if (status === 'outcome-recorded') return undefined;
  if (reason === 'withdrawn-by-referrer') return withdrawalRequested ? undefined : 'The referrer has not requested withdrawal.';
  if (reason === 'completed') return 'A referral is completed by recording its outcome first.';
  return undefined;
}

/** Board order: nearest clock expiry, then urgency, then age (§3, §4). */
export const URGENCY_RANK: Record<string, number> = { immediate: 1, today: 2, planned: 3 };
