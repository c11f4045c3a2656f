/**
 * POST /v1/subscriptions: a referring organisation registers a webhook for its feedback. The
 * URL passes the SSRF guard (every address it resolves to is public; locally loopback too); the
 * Standard Webhooks secret is generated here, sealed before it is stored, and shown once: in
 * this 201 only. An Idempotent-Replayed answer shows the subscription without the secret (the
 * idempotency record never holds it): a client that lost the first answer deletes and creates again.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { checkedWebhookUrl, newWebhookSubscription } from '../../shared/http/webhook-subscription.js';
import { REPLAYED_HEADER } from '../../shared/http/middleware/idempotency.js';
import { subscriptionPut, subscriptionView } from '../../shared/data/subscription-repository.js';
import { createSubscriptionRoute } from '../routes/create-subscription.js';

export const handler = apiRoute(createSubscriptionRoute, {
  run: async ({ caller, body, now, commit }) => {
    const url = await checkedWebhookUrl(body.url);
    const { subscription, secret } = await newWebhookSubscription(caller, now, {
      organisationId: caller.organisationId,
      url: url.href,
      events: body.events,
      ...(body.format === 'fhir' ? { format: 'fhir' as const } : {}),
    });
    const id = subscription.id;
    const result = await commit({
      items: [subscriptionPut(subscription)],
      result: {
        statusCode: 201,
        headers: { Location: `/v1/subscriptions/${id}` },
        body: subscriptionView(subscription),
      },
      audit: [{ resourceType: 'subscription', resourceId: id, action: 'create' }],
    });
    // A concurrent request with the same key won: its answer, without any secret.
    if (result.headers?.[REPLAYED_HEADER] === 'true' || typeof result.body !== 'string') return result;
    return { ...result, body: { ...(JSON.parse(result.body) as object), secret }, contentType: 'application/json' };
  },
});
