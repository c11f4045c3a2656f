import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { AlertDeliveryIdParams, AlertDeliveryView } from '../../shared/schemas/alert-deliveries.js';

export const replayAlertDeliveryRoute = {
  id: 'replayAlertDelivery',
  method: 'POST',
  path: '/v1/alert-channel/deliveries/{id}/replay',
  handler: 'functions/safety/replay-alert-delivery.ts',
  auth: { scopes: ['referrals.manage'], roles: ['amhp-lead'] },
  throttle: DEFAULT_THROTTLE,
  summary: 'Send a parked (or delivered) alert message again, with a new 24-hour retry window',
  tags: ['safety'],
  request: { params: AlertDeliveryIdParams },
  response: { status: 202, body: AlertDeliveryView },
} as const satisfies RouteDef;
