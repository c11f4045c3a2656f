/**
 * GET /v1/subscriptions/{id}/deliveries?status=: what the Hub sent (or is still trying to send)
 * to one of the caller's subscriptions, with every attempt's result. Another organisation's
 * subscription is 404.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { assertCursorIn, decodeCursor } from '../../shared/http/cursor.js';
import { deliveryPageResponse } from '../../shared/http/delivery-page.js';
import { PK } from '../../shared/data/tables.js';
import { listSubscriptionDeliveries } from '../../shared/data/delivery-repository.js';
import { getSubscription } from '../../shared/data/subscription-repository.js';
import { listSubscriptionDeliveriesRoute } from '../routes/list-subscription-deliveries.js';

export const handler = apiRoute(listSubscriptionDeliveriesRoute, {
  load: async ({ caller, params }) => {
    const found = await getSubscription(caller.organisationId, params.id);
    return found?.status === 'active' ? found : undefined;
  },
  run: async ({ caller, resource, query }) => {
    const scope = `listSubscriptionDeliveries/${caller.organisationId}/${resource.id}`;
    const start = query.cursor ? await decodeCursor<Record<string, unknown>>(query.cursor, scope) : undefined;
    assertCursorIn(start, PK, `SUBSCRIPTION#${resource.id}`);
    const page = await listSubscriptionDeliveries(resource.id, query.status, query.limit, start);
    return deliveryPageResponse(page, scope);
  },
});
