import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { ReferralCreate } from '../../shared/schemas/referral.js';
import { ReferralView } from '../../shared/schemas/referral-api.js';

export const createReferralRoute = {
  id: 'createReferral',
  method: 'POST',
  path: '/v1/referrals',
  handler: 'functions/referrals/create.ts',
  auth: { scopes: ['referrals.write'], roles: ['referrer'] },
  throttle: DEFAULT_THROTTLE,
  summary: 'Refer a person for consideration of a Mental Health Act assessment',
  description:
    'A partner agency (police, ambulance, A&E, CMHT …) refers a person. Requires an Idempotency-Key: a ' +
    "retry with the same key and body returns the first answer. The response is the referrer's minimised " +
    'view; Location names the new referral and ETag its version.',
  tags: ['referrals'],
  request: { body: ReferralCreate, idempotencyKey: 'required', idempotencyLookup: 'on-conflict' },
  response: { status: 201, body: ReferralView, headers: ['ETag', 'Location'] },
  secrets: ['personMatchKey'],
} as const satisfies RouteDef;
