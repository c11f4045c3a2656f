import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { DeliveryPage, ServiceDeliveriesQuery } from '../../shared/schemas/feedback.js';

export const listDeliveriesRoute = {
  id: 'listDeliveries',
  method: 'GET',
  path: '/v1/deliveries',
  handler: 'functions/feedback/list-service-deliveries.ts',
  auth: { scopes: ['feedback.manage'], roles: ['amhp-lead'] },
  throttle: READ_THROTTLE,
  summary: "Feedback deliveries about the AMHP service's referrals (e.g. status=parked: not received)",
  description:
    "The AMHP service's view of feedback deliveries about its referrals, e.g. parked ones that never arrived.",
  tags: ['feedback'],
  request: { query: ServiceDeliveriesQuery },
  response: { status: 200, body: DeliveryPage },
  secrets: ['cursorKey'],
} as const satisfies RouteDef;
