import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { ReferralListQuery, ReferralPage } from '../../shared/schemas/referral-api.js';

export const listReferralsRoute = {
  id: 'listReferrals',
  method: 'GET',
  path: '/v1/referrals',
  handler: 'functions/referrals/list.ts',
  auth: { scopes: ['referrals.read'], roles: ['referrer', 'amhp-lead', 'amhp'] },
  throttle: READ_THROTTLE,
  summary: 'Find a referral by reference, the AMHP service board, or the referrer change feed',
  description:
    'With `reference`: the referral with that Hub reference that the caller may see (references are random, so ' +
    'in the rare case two referrals share one, both are listed, oldest first). For the AMHP service: the board ' +
    '(open referrals). For a referrer: its own referrals changed since `changedSince`, oldest first, with ' +
    'an opaque cursor.',
  tags: ['referrals'],
  request: { query: ReferralListQuery },
  response: { status: 200, body: ReferralPage },
  secrets: ['cursorKey'],
} as const satisfies RouteDef;
