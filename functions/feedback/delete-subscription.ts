/**
 * DELETE /v1/subscriptions/{id}: stops feedback to this URL and destroys its secret. Deliveries
 * stay listed (the AMHP service still sees what was and was not received); pending ones are
 * cancelled when they next fall due.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { getSubscription, subscriptionDelete, SubscriptionGone } from '../../shared/data/subscription-repository.js';
import { deleteSubscriptionRoute } from '../routes/delete-subscription.js';

export const handler = apiRoute(deleteSubscriptionRoute, {
  load: async ({ caller, params }) => {
    const found = await getSubscription(caller.organisationId, params.id);
    return found?.status === 'active' ? found : undefined;
  },
  run: async ({ resource, now, commit }) => {
    try {
      return await commit({
        items: [subscriptionDelete(resource.organisationId, resource.id, now.toISOString())],
        result: { statusCode: 204 },
        audit: [{ resourceType: 'subscription', resourceId: resource.id, action: 'delete' }],
      });
    } catch (error) {
      // Deleted by a concurrent request: gone, as this one wanted.
      if (error instanceof SubscriptionGone)
        throw new HttpProblem('not-found', 'No such resource, or it is not visible to you.');
      throw error;
    }
  },
});
