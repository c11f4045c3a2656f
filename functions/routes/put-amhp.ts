import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { AmhpRegisterEntryInput, AmhpRegisterEntryView, AmhpIdParams } from '../../shared/schemas/amhps.js';

export const putAmhpRoute = {
  id: 'putAmhp',
  method: 'PUT',
  path: '/v1/amhps/{amhpId}',
  handler: 'functions/amhps/put.ts',
  auth: { scopes: ['referrals.manage'], roles: ['amhp-lead'], caller: 'person' },
  throttle: DEFAULT_THROTTLE,
  summary: "Create or replace an entry of the AMHP service's register (If-Match to replace)",
  description: 'The lead AMHP (a person) creates (201) or replaces (If-Match) a register entry.',
  tags: ['amhp register'],
  request: { params: AmhpIdParams, body: AmhpRegisterEntryInput, idempotencyKey: 'optional' },
  response: { status: 200, body: AmhpRegisterEntryView, headers: ['ETag'], created: true },
} as const satisfies RouteDef;
