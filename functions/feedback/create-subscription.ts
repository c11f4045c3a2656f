/**
 * POST /v1/subscriptions: a referring organisation registers a webhook for its feedback. The
 * URL passes the SSRF guard (every address it resolves to is public; locally loopback too); the
 * Standard Webhooks secret is generated here, sealed before it is stored, and shown once: in
 * this 201 only. An Idempotent-Replayed answer shows the subscription without the secret (the
 * idempotency record never holds it): a client that lost the first answer deletes and creates again.
 */
import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { REPLAYED_HEADER } from '../../shared/http/middleware/idempotency.js';
import {
  secretContextOf,
  subscriptionPut,
  subscriptionView,
  type Subscription,
} from '../../shared/data/subscription-repository.js';
import { formatSecret, SECRET_BYTES } from '../../shared/domain/feedback.js';
import { checkWebhookUrl, urlPolicyFromEnv } from '../../shared/domain/ssrf.js';
import { sealSecret } from '../../shared/secrets/webhook-secrets.js';
import { ROUTE } from '../routes.js';

export const handler = apiRoute(ROUTE.createSubscription, {
  run: async ({ caller, body, now, commit }) => {
    const checked = await checkWebhookUrl(body.url, urlPolicyFromEnv());
    if (!checked.ok) {
      throw new HttpProblem('validation', 'This URL cannot receive webhooks.', {
        errors: [{ pointer: '/url', message: checked.reason }],
      });
    }
    const id = ulid(now.getTime());
    const secret = formatSecret(randomBytes(SECRET_BYTES));
    const base = { id, organisationId: caller.organisationId };
    const subscription: Subscription = {
      ...base,
      url: checked.url.href,
      events: body.events,
      ...(body.format === 'fhir' ? { format: 'fhir' as const } : {}),
      status: 'active',
      createdAt: now.toISOString(),
      createdByClientId: caller.clientId,
      ...(caller.actorId ? { createdByActorId: caller.actorId } : {}),
      secret: await sealSecret(secret, secretContextOf(base)),
    };
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
