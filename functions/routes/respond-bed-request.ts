import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { BedRequestIdParams, BedRequestResponseInput, BedRequestView } from '../../shared/schemas/capacity.js';

export const respondBedRequestRoute = {
  id: 'respondBedRequest',
  method: 'POST',
  path: '/v1/bed-requests/{id}/responses',
  handler: 'functions/capacity/respond-bed-request.ts',
  auth: { scopes: ['capacity.write'], roles: ['bed-manager'] },
  throttle: DEFAULT_THROTTLE,
  summary: 'Answer a bed request: offered, identified or none (appears in the referral history)',
  description:
    'A bed manager answers a bed request (offered, identified or none); the answer appears in the referral history.',
  tags: ['capacity'],
  request: { params: BedRequestIdParams, body: BedRequestResponseInput, idempotencyKey: 'optional' },
  response: { status: 200, body: BedRequestView },
} as const satisfies RouteDef;
