/**
 * Who sees a referral, and how much (DOMAIN §1): the referring organisation its minimised view,
 * the AMHP service acting for the LSSA the full referral; anyone else nothing (404).
 */
import type { Caller } from '../identity/caller.js';
import type { ReferralRecord } from './referral.js';

export type ReferralAccess = 'service' | 'referrer' | undefined;

export function accessOf(caller: Caller, r: Pick<ReferralRecord, 'serviceId' | 'referrer'>): ReferralAccess {
  if (caller.organisationId === r.serviceId && (caller.role === 'amhp-lead' || caller.role === 'amhp')) return 'service';
  if (caller.organisationId === r.referrer.organisationId && caller.role === 'referrer') return 'referrer';
  return undefined;
}

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

export function referrerEventView(e: { seq: number; type: string; at: string; organisationId: string; data: Record<string, unknown> }, referrerOrg: string) {
  const own = e.organisationId === referrerOrg;
  const fields = REFERRER_EVENT_DATA[e.type];
  if (!fields && !own) return undefined;
  // Its own entries (information added, arrivals it reported) it may read back in full.
  const data = own ? e.data : Object.fromEntries(Object.entries(e.data).filter(([k]) => fields!.includes(k)));
  return { seq: e.seq, type: e.type, at: e.at, data };
}
