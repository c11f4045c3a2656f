import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { SubscriptionIdParams, SubscriptionView } from '../../shared/schemas/feedback.js';

export const getSubscriptionRoute = {
  id: 'getSubscription',
  method: 'GET',
  path: '/v1/subscriptions/{id}',
  handler: 'functions/feedback/get-subscription.ts',
  auth: { scopes: ['feedback.manage'], roles: ['referrer'] },
  throttle: READ_THROTTLE,
  summary: 'One of your webhook subscriptions (never its secret)',
  description: "One of the referrer's subscriptions (never its secret).",
  tags: ['feedback'],
  request: { params: SubscriptionIdParams },
  response: { status: 200, body: SubscriptionView },
} as const satisfies RouteDef;
