/**
 * Requests and what answers them (DOMAIN §9): a doctor, conveyance, the police, an interpreter
 * or a bed asked for, escalations, and a bed found. The pairing of answers with requests runs
 * for every event after its decider (`pairAnswers`), since the log of requests lives beside
 * whatever else the event changes.
 */
import { ARRIVAL_OF_REQUEST } from '../fact-chain.js';
import { endLadders } from '../bed-ladder.js';
import { ORDER_TOLERANCE_MS } from '../clocks.js';
import { applyLogistics } from '../logistics.js';
import type { ReferralRecord } from '../referral.js';
import { isUnder18At } from '../referral-rules.js';
import { invalid } from '../transition-support.js';
import type { ReferralEventInput } from '../../schemas/referral-events.js';
import { accepted, type Decider, type EventOf, type Rejection, type Step, type StepInput } from './step.js';

type Requested = 's12-doctor-requested' | 'conveyance-requested' | 'police-requested' | 'interpreter-requested';

/** The last request of each kind, kept for records made before the request log existed. */
export const requested = ({ r, next, e, at }: StepInput<EventOf<Requested>>): Step =>
  accepted({ ...next, factTimes: { ...(r.factTimes ?? {}), [e.type]: at } });

/** s.131A: a person under 18 needs an environment suitable for their age (DOMAIN §3.1). */
export const bedRequested: Decider<'bed-requested'> = ({ r, next, e, at }) => {
  if (!isUnder18At(r.person, at) || e.bedType === 'camhs') return accepted(next);
  if (e.reasonForBedType === undefined)
    return invalid(
      'children.bed-type-reason',
      '/reasonForBedType',
      'required when a person under 18 needs a bed other than camhs (s.131A)',
    );
  return accepted(next, { raised: ['under-18-bed-type'] });
};

/** A bed found stops the bed-finding ladder: nothing further escalates. */
export const bedIdentified: Decider<'bed-identified'> = ({ r, next, at }) =>
  accepted(r.bedLadders?.length ? { ...next, bedLadders: endLadders(r.bedLadders, at)! } : next);

export const escalated: Decider<'escalated'> = ({ next, e }) =>
  accepted({ ...next, escalations: [...next.escalations, e.escalationType] });

/**
 * Every event, after its decider: an answer pairs with the longest-waiting open request of its
 * cause and may not precede it. A record kept before the pairs existed has only the last
 * request's time: an answer is checked against that.
 */
export function pairAnswers(
  r: ReferralRecord,
  next: ReferralRecord,
  e: ReferralEventInput,
  at: string,
  seq: number,
): ReferralRecord | Rejection {
  const waits = applyLogistics(r.logistics ?? [], e, at, seq);
  if (!waits.ok) return invalid('time.runs-backwards', waits.pointer, waits.message);
  const requestType = ARRIVAL_OF_REQUEST[e.type];
  const requestedAt = requestType && !r.logistics?.length ? r.factTimes?.[requestType] : undefined;
  if (requestedAt && Date.parse(at) < Date.parse(requestedAt) - ORDER_TOLERANCE_MS)
    return invalid('time.runs-backwards', '/occurredAt', 'precedes, by more than 5 minutes, the request it answers');
  return waits.list.length ? { ...next, logistics: waits.list } : next;
}
