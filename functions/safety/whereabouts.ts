/**
 * GET /v1/whereabouts: "who is where" (DOMAIN §9). The lead (the duty lead, or the out-of-hours
 * manager signed in as a lead) sees the service's AMHPs on shift and checked in, each check-in
 * with the referral's location, so help can be sent; an AMHP sees only their own, without it.
 * Nobody else: referrers, bed managers and analysts are refused by role.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { getReferrals } from '../../shared/data/referral-repository.js';
import { openWhereabouts } from '../../shared/data/safety-repository.js';
import { overdueAt } from '../../shared/domain/safety.js';
import { getWhereaboutsRoute } from '../routes/get-whereabouts.js';

export const handler = apiRoute(getWhereaboutsRoute, {
  run: async ({ caller }) => {
    const all = await openWhereabouts(caller.organisationId);
    const lead = caller.role === 'amhp-lead';
    const mine = <T extends { amhpId: string }>(list: T[]) =>
      lead ? list : list.filter((x) => x.amhpId === caller.amhpId);
    const sessions = mine(all.sessions);
    const checkIns = mine(all.checkIns);
    const referrals = lead && checkIns.length ? await getReferrals(checkIns.map((c) => c.referralId)) : [];
    const locationOf = new Map(referrals.map((r) => [r.id, r.location]));
    return {
      statusCode: 200,
      headers: { 'Cache-Control': 'no-store' },
      body: {
        sessions,
        checkIns: checkIns.map((c) => ({
          ...c,
          overdueAt: overdueAt(c),
          ...(lead && locationOf.get(c.referralId) ? { location: locationOf.get(c.referralId) } : {}),
        })),
      },
      // The lead read each referral's location: audited as a read of that referral.
      audit: [
        ...referrals.map((r) => ({ resourceType: 'referral' as const, resourceId: r.id, action: 'read' as const })),
        ...checkIns.map((c) => ({
          resourceType: 'check-in' as const,
          resourceId: c.checkInId,
          action: 'read' as const,
        })),
      ],
    };
  },
});
