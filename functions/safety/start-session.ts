/**
 * POST /v1/duty-sessions: an AMHP goes on shift (`on-shift`, DOMAIN §9) with the planned end and
 * the on-call manager. One open session per AMHP (a conditional pointer): a second is 409. The
 * safety sweep raises `over-hours` once when the session passes 12 hours.
 */
import { ulid } from 'ulid';
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { getAmhp } from '../../shared/data/amhp-repository.js';
import { sessionStartItems } from '../../shared/data/safety-repository.js';
import type { DutySession } from '../../shared/domain/safety.js';
import { ROUTE } from '../routes.js';

export const handler = apiRoute(ROUTE.startDutySession, {
  run: async ({ caller, body, now, commit }) => {
    const entry = caller.amhpId ? await getAmhp(caller.amhpId) : undefined;
    if (!entry || !entry.active || entry.serviceId !== caller.organisationId) {
      throw new HttpProblem('forbidden', 'Only an active AMHP on this service’s register can go on shift.');
    }
    const plannedEndAt = new Date(body.plannedEndAt);
    if (plannedEndAt.getTime() <= now.getTime()) {
      throw new HttpProblem('validation', 'The planned end must be in the future.', { errors: [{ pointer: '/plannedEndAt', message: 'not in the future' }] });
    }
    const session: DutySession = {
      sessionId: ulid(now.getTime()),
      serviceId: caller.organisationId,
      amhpId: entry.amhpId,
      status: 'on-shift',
      startedAt: now.toISOString(),
      plannedEndAt: plannedEndAt.toISOString(),
      onCallManager: body.onCallManager,
    };
    return commit({
      items: sessionStartItems(session),
      result: { statusCode: 201, headers: { Location: `/v1/duty-sessions/${session.sessionId}` }, body: session },
      audit: [{ resourceType: 'duty-session', resourceId: session.sessionId, action: 'create' }],
    });
  },
});
