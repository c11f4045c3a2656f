import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { ReferralEventInput } from '../../shared/schemas/referral-events.js';
import { ReferralIdParams, ReferralView } from '../../shared/schemas/referral-api.js';

export const postReferralEventRoute = {
  id: 'postReferralEvent',
  method: 'POST',
  path: '/v1/referrals/{id}/events',
  handler: 'functions/referrals/post-event.ts',
  auth: { scopes: ['referrals.write', 'referrals.manage'], roles: ['referrer', 'amhp-lead', 'amhp'] },
  throttle: DEFAULT_THROTTLE,
  summary: 'Record what happened or was decided (triage, allocation, outcome, withdrawal, …)',
  description:
    'Records one event (the `type` discriminator names it): triage and allocation decisions, facts such ' +
    'as arrival at a place of safety, outcomes, withdrawal. Needs If-Match with the current ETag; a ' +
    'refusal carries a stable `code`.',
  tags: ['referrals'],
  request: { params: ReferralIdParams, body: ReferralEventInput, idempotencyKey: 'optional', ifMatch: true },
  response: { status: 200, body: ReferralView, headers: ['ETag'] },
} as const satisfies RouteDef;
