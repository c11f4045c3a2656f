/** GET /v1/subscriptions/{id}: the caller's own subscription (never its secret); else 404. */
import { apiRoute } from '../../shared/http/stack.js';
import { getSubscription, subscriptionView } from '../../shared/data/subscription-repository.js';
import { getSubscriptionRoute } from '../routes/get-subscription.js';

export const handler = apiRoute(getSubscriptionRoute, {
  load: async ({ caller, params }) => {
    const found = await getSubscription(caller.organisationId, params.id);
    return found?.status === 'active' ? found : undefined;
  },
  run: async ({ resource }) => ({
    statusCode: 200,
    body: subscriptionView(resource),
    audit: [{ resourceType: 'subscription', resourceId: resource.id, action: 'read' }],
  }),
});
