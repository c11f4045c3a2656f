/**
 * Allocation, co-allocation and hand-over (DOMAIN §3, §3.1). Every AMHP named passes the
 * register checks of transition-support.ts (on the register, active, authorised for the LSSA,
 * not the duty reviewer); the pointer names the field that named them.
 */
import type { ReferralRecord } from '../referral.js';
import { allocationRefusal, refuse } from '../transition-support.js';
import { accepted, iso, type Decider } from './step.js';

/** The co-allocations without this AMHP: the allocated AMHP is not a second AMHP beside themselves. */
function withoutCoAllocated(r: ReferralRecord, next: ReferralRecord, amhpId: string): ReferralRecord {
  if (!r.coAllocations?.some((c) => c.amhpId === amhpId)) return next;
  return { ...next, coAllocations: r.coAllocations.filter((c) => c.amhpId !== amhpId) };
}

export const allocate: Decider<'allocate'> = ({ r, next, e, target, recordedAt, by }) => {
  const refused = allocationRefusal(r, target, '/amhpId');
  if (refused) return refused;
  const allocation = { amhpId: e.amhpId, expectedAttendanceAt: iso(e.expectedAttendanceAt), at: recordedAt, ...by };
  return accepted(withoutCoAllocated(r, { ...next, allocation }, e.amhpId));
};

/** A second AMHP beside the allocated one (e.g. for a complex assessment). */
export const coAllocate: Decider<'co-allocate'> = ({ r, next, e, target, recordedAt, by }) => {
  const refused = allocationRefusal(r, target, '/amhpId');
  if (refused) return refused;
  if (!r.allocation) return refuse('conflict', 'allocation.none', 'Allocate an AMHP before a second one.');
  if (r.allocation.amhpId === e.amhpId || r.coAllocations?.some((c) => c.amhpId === e.amhpId))
    return refuse('conflict', 'allocation.already-attending', 'This AMHP is already allocated to this referral.');
  return accepted({
    ...next,
    coAllocations: [...(r.coAllocations ?? []), { amhpId: e.amhpId, at: recordedAt, ...by }],
  });
};

/**
 * To an AMHP: the allocation moves to them. To a team: the allocation ends and the receiving
 * lead allocates (DOMAIN §3.1). Either way the event records who held it before.
 */
export const handedOver: Decider<'handed-over'> = ({ r, next, e, target, recordedAt, by }) => {
  const data = { fromAmhpId: r.allocation?.amhpId ?? null };
  if (e.toAmhpId === undefined) {
    const { allocation: _a, coAllocations: _c, ...toTeam } = next;
    return accepted(toTeam, { data });
  }
  if (!r.allocation)
    return refuse('conflict', 'handover.not-allocated', 'No AMHP holds this referral: allocate it instead.');
  if (r.allocation.amhpId === e.toAmhpId)
    return refuse('conflict', 'handover.same-amhp', 'The referral is already allocated to this AMHP.');
  const refused = allocationRefusal(r, target, '/toAmhpId');
  if (refused) return refused;
  const allocation = { ...r.allocation, amhpId: e.toAmhpId, at: recordedAt, ...by };
  return accepted(withoutCoAllocated(r, { ...next, allocation }, e.toAmhpId), { data });
};
