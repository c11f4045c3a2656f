/**
 * POST /v1/check-ins: the allocated AMHP checks in at a referral (`checked-in`, DOMAIN §9) with
 * the expected finish. Whereabouts, not a referral event: stored in `safety` only, so nothing of
 * it reaches the referral's stream, the referrer or the analytics feed. On shift, allocated (or
 * co-allocated) to the referral, one open check-in at a time (409 otherwise). The safety sweep
 * raises `safety-check-overdue` when the expected finish plus the service's grace passes.
 */
import { ulid } from 'ulid';
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { getReferral } from '../../shared/data/referral-repository.js';
import { checkInItems, currentOf, getSafetySettings } from '../../shared/data/safety-repository.js';
import { isAllocatedTo } from '../../shared/domain/referral-access.js';
import { overdueAt, type CheckIn } from '../../shared/domain/safety.js';
import { ROUTE } from '../routes.js';

export const handler = apiRoute(ROUTE.checkIn, {
  run: async ({ caller, body, now, commit }) => {
    const found = await getReferral(body.referralId);
    // Not this service's, or not allocated to this AMHP: as if absent (no probing of referral ids).
    if (!found || found.record.serviceId !== caller.organisationId || !isAllocatedTo(found.record, caller.amhpId)) {
      throw new HttpProblem('validation', 'You can only check in at a referral you are allocated to.', { errors: [{ pointer: '/referralId', message: 'not allocated to you' }] });
    }
    const session = await currentOf(caller.amhpId!, 'SESSION');
    if (!session) throw new HttpProblem('conflict', 'Go on shift (start a duty session) before checking in.');
    const expectedFinishAt = new Date(body.expectedFinishAt);
    if (expectedFinishAt.getTime() <= now.getTime()) {
      throw new HttpProblem('validation', 'The expected finish must be in the future.', { errors: [{ pointer: '/expectedFinishAt', message: 'not in the future' }] });
    }
    const settings = await getSafetySettings(caller.organisationId);
    const checkIn: CheckIn = {
      checkInId: ulid(now.getTime()),
      serviceId: caller.organisationId,
      amhpId: caller.amhpId!,
      referralId: found.record.id,
      reference: found.record.reference,
      status: 'checked-in',
      checkedInAt: now.toISOString(),
      expectedFinishAt: expectedFinishAt.toISOString(),
      graceMinutes: settings.graceMinutes,
    };
    return commit({
      items: checkInItems(checkIn),
      result: { statusCode: 201, headers: { Location: `/v1/check-ins/${checkIn.checkInId}` }, body: { ...checkIn, overdueAt: overdueAt(checkIn) } },
      // The check-in, not the referral: the trail must not say where the AMHP went.
      audit: [{ resourceType: 'check-in', resourceId: checkIn.checkInId, action: 'create' }],
    });
  },
});
