import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { AlertView, IdParams } from '../../shared/schemas/safety.js';

export const acknowledgeAlertRoute = {
  id: 'acknowledgeAlert',
  method: 'POST',
  path: '/v1/alerts/{id}/acknowledge',
  handler: 'functions/safety/acknowledge-alert.ts',
  auth: { scopes: ['referrals.manage'], roles: ['amhp-lead'], caller: 'person' },
  throttle: DEFAULT_THROTTLE,
  summary: 'alert-acknowledged: who and when; a safety alert repeats every 10 minutes until then, never after',
  tags: ['safety'],
  request: { params: IdParams },
  response: { status: 200, body: AlertView },
} as const satisfies RouteDef;
