/** POST /v1/duty-sessions/{id}/end: the AMHP goes off shift (`off-shift`). Only their own open session. */
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { getSession, sessionEndItems } from '../../shared/data/safety-repository.js';
import { ROUTE } from '../routes.js';

export const handler = apiRoute(ROUTE.endDutySession, {
  // Another AMHP's session is not visible: 404.
  load: async ({ caller, params }) => {
    const session = await getSession(caller.organisationId, params.id);
    return session && session.amhpId === caller.amhpId ? session : undefined;
  },
  run: async ({ resource: session, now, commit }) => {
    if (session.status !== 'on-shift') throw new HttpProblem('conflict', 'This duty session has ended already.');
    return commit({
      items: sessionEndItems(session, now),
      result: { statusCode: 200, body: { ...session, status: 'off-shift', endedAt: now.toISOString() } },
      audit: [{ resourceType: 'duty-session', resourceId: session.sessionId, action: 'update' }],
    });
  },
});
