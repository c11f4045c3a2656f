import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { AmhpRegisterEntryView, AmhpIdParams } from '../../shared/schemas/amhps.js';

export const getAmhpRoute = {
  id: 'getAmhp',
  method: 'GET',
  path: '/v1/amhps/{amhpId}',
  handler: 'functions/amhps/get.ts',
  auth: { scopes: ['referrals.manage'], roles: ['amhp-lead', 'amhp'] },
  throttle: READ_THROTTLE,
  summary: "An entry of the AMHP service's register",
  description: 'One register entry; ETag is its version.',
  tags: ['amhp register'],
  request: { params: AmhpIdParams },
  response: { status: 200, body: AmhpRegisterEntryView, headers: ['ETag'] },
} as const satisfies RouteDef;
