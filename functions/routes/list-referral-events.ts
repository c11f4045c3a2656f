import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { ReferralEventList, ReferralIdParams } from '../../shared/schemas/referral-api.js';

export const listReferralEventsRoute = {
  id: 'listReferralEvents',
  method: 'GET',
  path: '/v1/referrals/{id}/events',
  handler: 'functions/referrals/list-events.ts',
  auth: { scopes: ['referrals.read'], roles: ['referrer', 'amhp-lead', 'amhp'] },
  throttle: READ_THROTTLE,
  summary: "A referral's history (minimised for the referrer)",
  description: "The referral's history in order; minimised for the referrer.",
  tags: ['referrals'],
  request: { params: ReferralIdParams },
  response: { status: 200, body: ReferralEventList },
} as const satisfies RouteDef;
