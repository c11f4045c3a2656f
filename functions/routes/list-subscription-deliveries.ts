import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { DeliveryPage, SubscriptionDeliveriesQuery, SubscriptionIdParams } from '../../shared/schemas/feedback.js';

export const listSubscriptionDeliveriesRoute = {
  id: 'listSubscriptionDeliveries',
  method: 'GET',
  path: '/v1/subscriptions/{id}/deliveries',
  handler: 'functions/feedback/list-deliveries.ts',
  auth: { scopes: ['feedback.manage'], roles: ['referrer'] },
  throttle: READ_THROTTLE,
  summary: "A subscription's deliveries with every attempt (filter by status: pending, delivered, parked, cancelled)",
  description: "A subscription's deliveries with every attempt, filterable by status.",
  tags: ['feedback'],
  request: { params: SubscriptionIdParams, query: SubscriptionDeliveriesQuery },
  response: { status: 200, body: DeliveryPage },
  secrets: ['cursorKey'],
} as const satisfies RouteDef;
