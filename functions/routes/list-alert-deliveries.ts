import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { AlertDeliveriesQuery, AlertDeliveryPage } from '../../shared/schemas/alert-deliveries.js';

export const listAlertDeliveriesRoute = {
  id: 'listAlertDeliveries',
  method: 'GET',
  path: '/v1/alert-channel/deliveries',
  handler: 'functions/safety/list-alert-deliveries.ts',
  auth: { scopes: ['referrals.manage'], roles: ['amhp-lead'] },
  throttle: READ_THROTTLE,
  summary: "The alert channel's deliveries with every attempt (e.g. status=parked: not received)",
  tags: ['safety'],
  request: { query: AlertDeliveriesQuery },
  response: { status: 200, body: AlertDeliveryPage },
  secrets: ['cursorKey'],
} as const satisfies RouteDef;
