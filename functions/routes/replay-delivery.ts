import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { DeliveryIdParams, DeliveryView } from '../../shared/schemas/feedback.js';

export const replayDeliveryRoute = {
  id: 'replayDelivery',
  method: 'POST',
  path: '/v1/deliveries/{id}/replay',
  handler: 'functions/feedback/replay-delivery.ts',
  auth: { scopes: ['feedback.manage'], roles: ['referrer', 'amhp-lead'] },
  throttle: DEFAULT_THROTTLE,
  summary: 'Send a parked (or delivered) feedback message again, with a new 24-hour retry window',
  description: 'Sends a parked (or delivered) message again with a new 24-hour retry window.',
  tags: ['feedback'],
  request: { params: DeliveryIdParams, idempotencyKey: 'optional' },
  response: { status: 202, body: DeliveryView },
} as const satisfies RouteDef;
