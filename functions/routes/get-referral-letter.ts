import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { ReferralLetterParams } from '../../shared/schemas/referral-api.js';

export const getReferralLetterRoute = {
  id: 'getReferralLetter',
  method: 'GET',
  path: '/v1/referrals/{id}/letters/{kind}',
  handler: 'functions/referrals/get-letter.ts',
  auth: { scopes: ['referrals.read'], roles: ['amhp-lead', 'amhp'] },
  throttle: READ_THROTTLE,
  summary:
    'A letter as a printable HTML page: s13-4-reasons (to the nearest relative; 409 unless owed) or gp ' +
    '(409 before an outcome)',
  description: 'A printable HTML letter for the AMHP to send: `s13-4-reasons` (to the nearest relative) or `gp`.',
  tags: ['referrals'],
  request: { params: ReferralLetterParams },
  response: { status: 200, contentType: 'text/html' },
} as const satisfies RouteDef;
