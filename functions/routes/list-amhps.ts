import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { AmhpRegisterPage } from '../../shared/schemas/amhps.js';

export const listAmhpsRoute = {
  id: 'listAmhps',
  method: 'GET',
  path: '/v1/amhps',
  handler: 'functions/amhps/list.ts',
  auth: { scopes: ['referrals.manage'], roles: ['amhp-lead', 'amhp'] },
  throttle: READ_THROTTLE,
  summary: "The caller's AMHP service register (who may be allocated)",
  description: "The AMHP service's register: who may be allocated, for which LSSAs.",
  tags: ['amhp register'],
  response: { status: 200, body: AmhpRegisterPage },
} as const satisfies RouteDef;
