/**
 * Who sees a referral, and how much (DOMAIN §1) — the ONE place these rules live:
 * - the referring organisation: its minimised view (`referrer`);
 * - the AMHP service acting for the LSSA: the lead (person or system) the full referral; an
 *   `amhp` the full referral only when allocated or co-allocated to it, or, as duty reviewer
 *   (active on this service's register), while the referral awaits triage; otherwise the board-
 *   level `minimal` view with no identifiable field;
 * - anyone else nothing (404).
 * Pure: the caller's register entry is passed in (`Viewer`), never read here.
 */
import type { Caller } from './caller.js';
import { clocksAt, referrerView, serviceView, viewBasics, type ReferralRecord } from './referral.js';

export type ReferralAccess = 'service' | 'referrer' | undefined;

/** Organisation-level visibility: may this caller know the referral exists at all? */
export function accessOf(caller: Caller, r: Pick<ReferralRecord, 'serviceId' | 'referrer'>): ReferralAccess {
  if (caller.organisationId === r.serviceId && (caller.role === 'amhp-lead' || caller.role === 'amhp'))
    return 'service';
  if (caller.organisationId === r.referrer.organisationId && caller.role === 'referrer') return 'referrer';
  return undefined;
}

/** The caller with what the register says of them: the duty-reviewer flag needs the entry. */
export interface Viewer {
  readonly caller: Caller;
  /** Only true when the caller's own register entry is active, of the caller's service, and marked duty reviewer. */
  readonly dutyReviewer: boolean;
}

export type ReferralDetail = 'full' | 'minimal' | 'referrer';

/** Statuses in which a referral awaits triage: the duty reviewer needs the detail to decide. */
const AWAITING_TRIAGE: readonly string[] = ['received', 'under-review'];

type Visible = Pick<ReferralRecord, 'serviceId' | 'referrer' | 'status' | 'allocation' | 'coAllocations'>;

export const isAllocatedTo = (
  r: Pick<ReferralRecord, 'allocation' | 'coAllocations'>,
  amhpId: string | undefined,
): boolean =>
  amhpId !== undefined && (r.allocation?.amhpId === amhpId || (r.coAllocations ?? []).some((c) => c.amhpId === amhpId));

/** How much of the referral this viewer may see; undefined: not visible (404). */
export function detailOf(viewer: Viewer, r: Visible): ReferralDetail | undefined {
  const access = accessOf(viewer.caller, r);
  if (access === 'referrer') return 'referrer';
  if (access !== 'service') return undefined;
  if (viewer.caller.role === 'amhp-lead') return 'full';
  if (isAllocatedTo(r, viewer.caller.amhpId)) return 'full';
  if (viewer.dutyReviewer && AWAITING_TRIAGE.includes(r.status)) return 'full';
  return 'minimal';
}

/**
 * The board-level view for an AMHP of the service who is not working the referral: what the
 * board row shows (reference, status, urgency, legal-status code, LSSA, clocks, who is allocated)
 * and nothing identifiable — no name, date of birth, NHS number, address or location, nearest
 * relative, reason, risk narrative or any free text, and no duplicate links (they point at
 * another person record).
 */
export function minimalView(r: ReferralRecord, now: Date) {
  return {
    id: r.id,
    reference: r.reference,
    detail: 'minimal' as const,
    ...viewBasics(r),
    legalStatus: r.legalStatus.status,
    clocks: clocksAt(r.clocks, now),
    ...(r.allocation ? { allocatedAmhpId: r.allocation.amhpId } : {}),
    lastEvent: r.lastEvent,
  };
}

/** The referral body at the given detail level. */
export const referralView = (detail: ReferralDetail, r: ReferralRecord, now: Date) =>
  detail === 'full' ? serviceView(r, now) : detail === 'minimal' ? minimalView(r, now) : referrerView(r, now);

/** History the referrer may see: decisions about its referral, never notes or reasons. */
const REFERRER_EVENT_DATA: Record<string, readonly string[]> = {
  received: [],
  accepted: [],
  'not-accepted': ['disposition', 'nextSteps'],
  allocated: ['expectedAttendanceAt'],
  'outcome-recorded': ['outcome', 'nextSteps'],
  'outcome-amended': ['outcome', 'nextSteps'],
  withdrawn: [],
  'withdrawal-requested': [],
  closed: ['reason'],
  'clock-warning': ['power', 'threshold', 'expiresAt'],
  'clock-breached': ['power', 'expiresAt'],
  'clock-extended': ['power', 'hours'],
  'detention-ended': ['power'],
};

/** History at board level: what happened and when, with clock codes only; no event's free text. */
const MINIMAL_EVENT_DATA: Record<string, readonly string[]> = {
  'clock-warning': ['power', 'threshold', 'expiresAt'],
  'clock-breached': ['power', 'expiresAt'],
  'clock-extended': ['power', 'hours'],
  'detention-ended': ['power'],
};

interface StoredEventLike {
  seq: number;
  type: string;
  at: string;
  occurredAt?: string;
  organisationId: string;
  role?: string;
  actorId?: string;
  amhpId?: string;
  system?: boolean;
  data: Record<string, unknown>;
}

const pick = (data: Record<string, unknown>, fields: readonly string[] = []) =>
  Object.fromEntries(Object.entries(data).filter(([k]) => fields.includes(k)));

export function referrerEventView(e: StoredEventLike, referrerOrg: string) {
  const own = e.organisationId === referrerOrg;
  const fields = REFERRER_EVENT_DATA[e.type];
  if (!fields && !own) return undefined;
  // Its own entries (information added, arrivals it reported) it may read back in full.
  return { seq: e.seq, type: e.type, at: e.at, data: own ? e.data : pick(e.data, fields) };
}

/** One event as the given detail level may see it; undefined: not shown at all. */
export function eventView(detail: ReferralDetail, e: StoredEventLike, referrerOrg: string) {
  if (detail === 'referrer') return referrerEventView(e, referrerOrg);
  const { seq, type, at, occurredAt, organisationId, role, actorId, amhpId, system, data } = e;
  const common = { seq, type, at, ...(occurredAt ? { occurredAt } : {}), organisationId, role, system };
  if (detail === 'minimal') return { ...common, data: pick(data, MINIMAL_EVENT_DATA[type]) };
  return { ...common, ...(actorId ? { actorId } : {}), ...(amhpId ? { amhpId } : {}), data };
}
