import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { ReferralIdParams, ReferralView } from '../../shared/schemas/referral-api.js';

export const getReferralRoute = {
  id: 'getReferral',
  method: 'GET',
  path: '/v1/referrals/{id}',
  handler: 'functions/referrals/get.ts',
  auth: { scopes: ['referrals.read'], roles: ['referrer', 'amhp-lead', 'amhp'] },
  throttle: READ_THROTTLE,
  summary: 'A referral: minimised for the referrer, in full for the AMHP service',
  description:
    'One referral. The referrer sees the minimised view of its own referrals; the AMHP service sees it ' +
    'in full (audited). ETag is the version to send as If-Match on the next event.',
  tags: ['referrals'],
  request: { params: ReferralIdParams },
  response: { status: 200, body: ReferralView, headers: ['ETag'] },
} as const satisfies RouteDef;
