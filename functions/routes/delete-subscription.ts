import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { SubscriptionIdParams } from '../../shared/schemas/feedback.js';

export const deleteSubscriptionRoute = {
  id: 'deleteSubscription',
  method: 'DELETE',
  path: '/v1/subscriptions/{id}',
  handler: 'functions/feedback/delete-subscription.ts',
  auth: { scopes: ['feedback.manage'], roles: ['referrer'] },
  throttle: DEFAULT_THROTTLE,
  summary: 'Stop a webhook subscription and destroy its secret',
  description: 'Stops a subscription and destroys its secret; pending deliveries are cancelled.',
  tags: ['feedback'],
  request: { params: SubscriptionIdParams, idempotencyKey: 'optional' },
  response: { status: 204 },
} as const satisfies RouteDef;
