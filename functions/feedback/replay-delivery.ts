/**
 * POST /v1/deliveries/{id}/replay: send a parked (or already delivered) message again, with a
 * new 24-hour retry window. For the subscriber, and for the AMHP service over its referrals'
 * deliveries; anyone else 404. The attempt itself is the sweep's (within the minute): 202.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { deliveryView, getDelivery, replayItems } from '../../shared/data/delivery-repository.js';
import { getSubscription } from '../../shared/data/subscription-repository.js';
import { replayDeliveryRoute } from '../routes/replay-delivery.js';

const conflict = (detail: string) => new HttpProblem('conflict', detail);

export const handler = apiRoute(replayDeliveryRoute, {
  load: async ({ caller, params }) => {
    const delivery = await getDelivery(params.id);
    if (!delivery) return undefined;
    const subscriber = caller.role === 'referrer' && delivery.organisationId === caller.organisationId;
    const service = caller.role === 'amhp-lead' && delivery.serviceId === caller.organisationId;
    return subscriber || service ? delivery : undefined;
  },
  run: async ({ resource: delivery, now, commit }) => {
    if (delivery.status === 'pending') throw conflict('This message is already waiting to be sent.');
    if (delivery.status === 'cancelled')
      throw conflict('The subscription was deleted: there is nobody to send this message to.');
    const subscription = await getSubscription(delivery.organisationId, delivery.subscriptionId);
    if (subscription?.status !== 'active')
      throw conflict('The subscription was deleted: there is nobody to send this message to.');
    const { next, items } = replayItems(delivery, now, () =>
      conflict('The delivery changed meanwhile: read it again.'),
    );
    return commit({
      items,
      result: { statusCode: 202, body: deliveryView(next) },
      audit: [
        { resourceType: 'delivery', resourceId: delivery.deliveryId, action: 'update' },
        { resourceType: 'referral', resourceId: delivery.referralId, action: 'read' },
      ],
    });
  },
});
