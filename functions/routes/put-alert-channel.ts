import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { AlertChannelInput, AlertChannelView } from '../../shared/schemas/safety.js';

export const putAlertChannelRoute = {
  id: 'putAlertChannel',
  method: 'PUT',
  path: '/v1/alert-channel',
  handler: 'functions/safety/put-alert-channel.ts',
  auth: { scopes: ['referrals.manage'], roles: ['amhp-lead'], caller: 'person' },
  throttle: DEFAULT_THROTTLE,
  summary:
    "Set the service's alert channel (a signed webhook, as feedback's; a new secret, shown once) and check-in grace",
  tags: ['safety'],
  request: { body: AlertChannelInput },
  response: { status: 200, body: AlertChannelView },
} as const satisfies RouteDef;
