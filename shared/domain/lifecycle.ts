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
const ASSESSING: readonly ReferralStatus[] = ['allocated', 'assessment-in-progress', 'outcome-recorded'];

/** What the lifecycle needs to know of a referral beyond its status. */
export interface LifecycleFacts {
  readonly status: ReferralStatus;
  readonly allocation?: { readonly amhpId: string } | undefined;
  readonly outcome?: { readonly outcome: string } | undefined;
  readonly application?: unknown;
}

/**
 * DOMAIN §3.1, "the no-bed pathway stays open": after `recommendations-made-no-bed` and until an
 * application is made, the referral can be handed over, (re)allocated and take the application.
 */
export const onNoBedPathway = (r: LifecycleFacts): boolean =>
  r.status === 'outcome-recorded' &&
  r.outcome?.outcome === 'recommendations-made-no-bed' &&
  r.application === undefined;

interface Transition {
  readonly from: readonly ReferralStatus[];
  /** Absent: the event is recorded without moving the status. */
  readonly to?: ReferralStatus;
  /** Further states it may be sent in, beyond `from` (the no-bed pathway). */
  readonly alsoWhen?: (r: LifecycleFacts) => boolean;
}

export const TRANSITIONS: Record<ReferralEventInputType, Transition> = {
  'start-review': { from: ['received'], to: 'under-review' },
  accept: { from: ['under-review'], to: 'accepted' },
  'not-accept': { from: ['under-review'], to: 'not-accepted' },
  // Re-allocation before the assessment starts is an allocation too (e.g. the first AMHP is
  // called away); later, an unallocated referral (handed to a team) is allocated where it stands.
  allocate: {
    from: ['accepted', 'allocated'],
    to: 'allocated',
    alsoWhen: (r) => r.allocation === undefined && (r.status === 'assessment-in-progress' || onNoBedPathway(r)),
  },
  'co-allocate': { from: ['allocated', 'assessment-in-progress'], alsoWhen: onNoBedPathway },
  'start-assessment': { from: ['allocated'], to: 'assessment-in-progress' },
  'record-outcome': { from: ['allocated', 'assessment-in-progress'], to: 'outcome-recorded' },
  // The outcome is immutable; an amendment is a further record, also after closing (000:1183).
  'amend-outcome': { from: ['outcome-recorded', 'closed'] },
  'application-made': { from: [], alsoWhen: onNoBedPathway },
  // Closing before an outcome needs a reason that says why (checked in `closeProblem`).
  close: { from: ['outcome-recorded', ...AFTER_ACCEPTANCE], to: 'closed' },
  // Before acceptance the referrer may withdraw; after it, only ask (§3).
  withdraw: { from: ['received', 'under-review'], to: 'withdrawn' },
  'request-withdrawal': { from: AFTER_ACCEPTANCE },
  'information-added': { from: OPEN },
  'handed-over': { from: AFTER_ACCEPTANCE, alsoWhen: onNoBedPathway },
  'fact-corrected': { from: OPEN },
  'flag-acknowledged': { from: REFERRAL_STATUSES },
  'nearest-relative-identified': { from: OPEN },
  'nearest-relative-informed': { from: OPEN },
  'nearest-relative-consulted': { from: OPEN },
  'nearest-relative-not-practicable': { from: OPEN },
  'nearest-relative-displaced': { from: OPEN },
  'displacement-applied': { from: OPEN },
  // Letters often go after the referral is closed.
  'reasons-sent': { from: ['outcome-recorded', 'closed'] },
  'gp-letter-sent': { from: ['outcome-recorded', 'closed'] },
  escalated: { from: OPEN },
  's12-doctor-requested': { from: AFTER_ACCEPTANCE, alsoWhen: onNoBedPathway },
  's12-doctor-arrived': { from: AFTER_ACCEPTANCE, alsoWhen: onNoBedPathway },
  'medical-examination-completed': { from: ASSESSING },
  'bed-requested': { from: ASSESSING },
  'bed-identified': { from: ASSESSING },
  'conveyance-requested': { from: ASSESSING },
  'conveyance-arrived': { from: ASSESSING },
  // DOMAIN §9: police and an interpreter are arranged for the assessment, and for conveyance
  // on the no-bed pathway.
  'police-requested': { from: AFTER_ACCEPTANCE, alsoWhen: onNoBedPathway },
  'police-arrived': { from: AFTER_ACCEPTANCE, alsoWhen: onNoBedPathway },
  'police-declined': { from: AFTER_ACCEPTANCE, alsoWhen: onNoBedPathway },
  'interpreter-requested': { from: AFTER_ACCEPTANCE, alsoWhen: onNoBedPathway },
  'interpreter-arrived': { from: AFTER_ACCEPTANCE, alsoWhen: onNoBedPathway },
  'legal-status-changed': { from: OPEN },
  'arrived-at-place-of-safety': { from: OPEN },
  'transferred-between-places-of-safety': { from: OPEN },
  'clock-extended': { from: OPEN },
  'detention-ended': { from: OPEN },
};

export type TransitionResult = { ok: true; to: ReferralStatus } | { ok: false; detail: string };

export function transition(r: LifecycleFacts, type: ReferralEventInputType, toTeam = false): TransitionResult {
  const rule = TRANSITIONS[type];
  if (!rule.from.includes(r.status) && !rule.alsoWhen?.(r)) {
    return { ok: false, detail: `A referral that is ${r.status} cannot take '${type}'.` };
  }
  // Handed to a team before the assessment: back to the receiving lead to allocate.
  if (type === 'handed-over' && toTeam && r.status === 'allocated') return { ok: true, to: 'accepted' };
  return { ok: true, to: rule.to ?? r.status };
}

// ---------------------------------------------------------------------------------------------
// Who may send what (DOMAIN §1, §3.1): ONE table. The code has no second copy.

/**
 * - `referrer`: any client or person of the referring organisation with the referrer role.
 * - `lead`: a signed-in duty lead of the AMHP service (a machine client never decides).
 * - `duty-reviewer`: a signed-in AMHP of the service marked duty reviewer on its register.
 * - `allocated`: the AMHP allocated to this referral (signed in: only people have an amhpId).
 * - `outcome-author`: the AMHP who recorded the outcome.
 * - `service`: anyone of the AMHP service, machine clients included.
 */
export type Sender = 'referrer' | 'lead' | 'duty-reviewer' | 'allocated' | 'outcome-author' | 'service';

const ALLOCATED_OR_LEAD: readonly Sender[] = ['lead', 'allocated'];
/** Clock facts come from the lead, the allocated AMHP, or the referrer that witnessed them. */
const CLOCK_FACT: readonly Sender[] = ['lead', 'allocated', 'referrer'];

export const WHO_MAY_SEND: Record<ReferralEventInputType, readonly Sender[]> = {
  'start-review': ['lead', 'duty-reviewer'],
  accept: ['lead', 'duty-reviewer'],
  'not-accept': ['lead', 'duty-reviewer'],
  allocate: ['lead'],
  'co-allocate': ALLOCATED_OR_LEAD,
  'handed-over': ALLOCATED_OR_LEAD,
  'start-assessment': ['allocated'],
  'record-outcome': ['allocated'],
  'amend-outcome': ['outcome-author'],
  'application-made': ['allocated'],
  close: ['lead'],
  withdraw: ['referrer'],
  'request-withdrawal': ['referrer'],
  'information-added': ['referrer', 'service'],
  'fact-corrected': ALLOCATED_OR_LEAD,
  'flag-acknowledged': ['lead'],
  'nearest-relative-identified': ALLOCATED_OR_LEAD,
  'nearest-relative-informed': ALLOCATED_OR_LEAD,
  'nearest-relative-consulted': ALLOCATED_OR_LEAD,
  'nearest-relative-not-practicable': ALLOCATED_OR_LEAD,
  'nearest-relative-displaced': ALLOCATED_OR_LEAD,
  'displacement-applied': ALLOCATED_OR_LEAD,
  'reasons-sent': ALLOCATED_OR_LEAD,
  'gp-letter-sent': ALLOCATED_OR_LEAD,
  escalated: ALLOCATED_OR_LEAD,
  's12-doctor-requested': ALLOCATED_OR_LEAD,
  's12-doctor-arrived': ALLOCATED_OR_LEAD,
  'medical-examination-completed': ALLOCATED_OR_LEAD,
  'bed-requested': ALLOCATED_OR_LEAD,
  'bed-identified': ALLOCATED_OR_LEAD,
  'conveyance-requested': ALLOCATED_OR_LEAD,
  'conveyance-arrived': CLOCK_FACT,
  // Arranged and recorded by the service (DOMAIN §9): the lead or the allocated AMHP.
  'police-requested': ALLOCATED_OR_LEAD,
  'police-arrived': ALLOCATED_OR_LEAD,
  'police-declined': ALLOCATED_OR_LEAD,
  'interpreter-requested': ALLOCATED_OR_LEAD,
  'interpreter-arrived': ALLOCATED_OR_LEAD,
  'legal-status-changed': CLOCK_FACT,
  'arrived-at-place-of-safety': CLOCK_FACT,
  'transferred-between-places-of-safety': CLOCK_FACT,
  'clock-extended': CLOCK_FACT,
  'detention-ended': CLOCK_FACT,
};

export interface ActorFacts {
  readonly role: string;
  /** The caller's organisation referred it. */
  readonly isReferrer: boolean;
  /** The caller's organisation is the AMHP service responsible for the referral's LSSA. */
  readonly isService: boolean;
  readonly isPerson: boolean;
  /** The caller is an active AMHP of this service marked as duty reviewer on the register. */
  readonly isDutyReviewer: boolean;
  readonly callerAmhpId?: string;
  readonly allocatedAmhpId?: string;
  readonly outcomeByAmhpId?: string;
}

/** The senders this caller is for this referral. */
export function sendersOf(a: ActorFacts): Set<Sender> {
  const out = new Set<Sender>();
  if (a.isReferrer && a.role === 'referrer') out.add('referrer');
  if (!a.isService || (a.role !== 'amhp-lead' && a.role !== 'amhp')) return out;
  out.add('service');
  if (!a.isPerson) return out;
  if (a.role === 'amhp-lead') out.add('lead');
  if (a.isDutyReviewer) out.add('duty-reviewer');
  if (a.callerAmhpId !== undefined && a.callerAmhpId === a.allocatedAmhpId) out.add('allocated');
  if (a.callerAmhpId !== undefined && a.callerAmhpId === a.outcomeByAmhpId) out.add('outcome-author');
  return out;
}

const SENDER_WORDS: Record<Sender, string> = {
  referrer: 'the referring organisation',
  lead: 'the signed-in duty lead',
  'duty-reviewer': 'an AMHP marked as duty reviewer',
  allocated: 'the AMHP allocated to this referral',
  'outcome-author': 'the AMHP who recorded the outcome',
  service: 'the AMHP service',
};

/** Who may send this event here; `undefined` when allowed, else why not (403). */
export function actorProblem(type: ReferralEventInputType, a: ActorFacts): string | undefined {
  const allowed = WHO_MAY_SEND[type];
  const mine = sendersOf(a);
  if (allowed.some((s) => mine.has(s))) return undefined;
  if (!a.isReferrer && !a.isService) return `Your organisation may not send '${type}' for this referral.`;
  // The service's machine client may only add information: everything else is a person's decision.
  if (a.isService && !a.isPerson && !allowed.includes('service'))
    return `'${type}' is a decision a signed-in person must make.`;
  return `'${type}' is for ${allowed.map((s) => SENDER_WORDS[s]).join(' or ')}.`;
}

/** Closing before an outcome is recorded needs a reason that explains the missing outcome. */
export function closeProblem(status: ReferralStatus, reason: string, withdrawalRequested: boolean): string | undefined {
  if (status === 'outcome-recorded') return undefined;
  if (reason === 'withdrawn-by-referrer')
    return withdrawalRequested ? undefined : 'The referrer has not requested withdrawal.';
  if (reason === 'completed') return 'A referral is completed by recording its outcome first.';
  return undefined;
}

/** Board order: nearest clock expiry, then urgency, then age (§3, §4). */
export const URGENCY_RANK: Record<string, number> = { immediate: 1, today: 2, planned: 3 };
