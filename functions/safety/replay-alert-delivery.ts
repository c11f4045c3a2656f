/**
 * POST /v1/alert-channel/deliveries/{id}/replay: send a parked (or delivered) alert message again
 * with a new 24-hour window, as feedback's replay (functions/feedback/replay-delivery.ts). Not
 * for an acknowledged alert: once acknowledged, nothing more of it is sent.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { getDelivery, replayItems } from '../../shared/data/delivery-repository.js';
import { getAlert } from '../../shared/data/safety-repository.js';
import { getSubscription } from '../../shared/data/subscription-repository.js';
import { alertDeliveryView } from '../../shared/safety/alerts.js';
import { replayAlertDeliveryRoute } from '../routes/replay-alert-delivery.js';

const conflict = (detail: string) => new HttpProblem('conflict', detail);

export const handler = apiRoute(replayAlertDeliveryRoute, {
  load: async ({ caller, params }) => {
    const delivery = await getDelivery(params.id, 'alerts');
    return delivery?.serviceId === caller.organisationId ? delivery : undefined;
  },
  run: async ({ resource: delivery, now, commit }) => {
    if (delivery.status === 'pending') throw conflict('This message is already waiting to be sent.');
    const [subscription, alert] = await Promise.all([
      getSubscription(delivery.organisationId, delivery.subscriptionId),
      getAlert(delivery.serviceId, delivery.referralId),
    ]);
    if (subscription?.status !== 'active')
      throw conflict('The alert channel was replaced: there is nobody to send this message to.');
    if (alert?.acknowledgedAt) throw conflict('This alert was acknowledged: nothing more of it is sent.');
    const { next, items } = replayItems(delivery, now, () =>
      conflict('The delivery changed meanwhile: read it again.'),
    );
    return commit({
      items,
      result: { statusCode: 202, body: alertDeliveryView(next) },
      audit: [{ resourceType: 'alert', resourceId: delivery.referralId, action: 'update' }],
    });
  },
});
