/**
 * POST /v1/alerts/{id}/acknowledge: `alert-acknowledged` (DOMAIN §9), who and when, once (409
 * after). A safety alert leaves the sweep in the same write, so no repeat follows; a message of
 * it still waiting for a retry is cancelled when its attempt comes (shared/safety/alerts.ts).
 */
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { alertAcknowledgeItem, getAlert } from '../../shared/data/safety-repository.js';
import { acknowledgeAlertRoute } from '../routes/acknowledge-alert.js';

export const handler = apiRoute(acknowledgeAlertRoute, {
  load: ({ caller, params }) => getAlert(caller.organisationId, params.id),
  run: async ({ caller, resource: alert, now, commit }) => {
    if (alert.acknowledgedAt) throw new HttpProblem('conflict', 'This alert was acknowledged already.');
    const by = { actorId: caller.actorId, amhpId: caller.amhpId };
    const { nextRepeatAt: _next, ...rest } = alert;
    return commit({
      items: [alertAcknowledgeItem(alert, by, now)],
      result: {
        statusCode: 200,
        body: {
          ...rest,
          acknowledgedAt: now.toISOString(),
          ...(by.actorId ? { acknowledgedByActorId: by.actorId } : {}),
          ...(by.amhpId ? { acknowledgedByAmhpId: by.amhpId } : {}),
        },
      },
      audit: [{ resourceType: 'alert', resourceId: alert.alertId, action: 'update' }],
    });
  },
});
