/**
 * DOMAIN §9: duty sessions, whereabouts and alerts. The whereabouts route takes no Idempotency-Key:
 * the idempotency record (and its stored response) lives in `hub`, whose stream and Kinesis feed
 * whereabouts must never reach; each event is instead conditional (one open session and one open
 * check-in per AMHP), so a retry is answered 409 and changes nothing.
 */
import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { WhereaboutsEventInput, WhereaboutsEventResult } from '../../shared/schemas/safety.js';

export const postWhereaboutsEventRoute = {
  id: 'postWhereaboutsEvent',
  method: 'POST',
  path: '/v1/whereabouts/events',
  handler: 'functions/safety/post-event.ts',
  auth: { scopes: ['referrals.manage'], roles: ['amhp'], caller: 'person' },
  throttle: DEFAULT_THROTTLE,
  summary:
    'An AMHP records on-shift (planned end, on-call manager), checked-in (referral, expected finish), ' +
    'checked-out (safe) or off-shift',
  tags: ['safety'],
  request: { body: WhereaboutsEventInput },
  response: { status: 200, body: WhereaboutsEventResult },
} as const satisfies RouteDef;
