/** POST /v1/check-ins/{id}/check-out: the AMHP checks out (`checked-out`), safe. Only their own open check-in. */
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { checkOutItems, getCheckIn } from '../../shared/data/safety-repository.js';
import { overdueAt } from '../../shared/domain/safety.js';
import { ROUTE } from '../routes.js';

export const handler = apiRoute(ROUTE.checkOut, {
  load: async ({ caller, params }) => {
    const checkIn = await getCheckIn(caller.organisationId, params.id);
    return checkIn && checkIn.amhpId === caller.amhpId ? checkIn : undefined;
  },
  run: async ({ resource: checkIn, body, now, commit }) => {
    if (checkIn.status !== 'checked-in') throw new HttpProblem('conflict', 'You have checked out already.');
    const next = { ...checkIn, status: 'checked-out' as const, checkedOutAt: now.toISOString(), safe: body.safe };
    return commit({
      items: checkOutItems(checkIn, body.safe, now),
      result: { statusCode: 200, body: { ...next, overdueAt: overdueAt(next) } },
      audit: [{ resourceType: 'check-in', resourceId: checkIn.checkInId, action: 'update' }],
    });
  },
});
