import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { WhereaboutsView } from '../../shared/schemas/safety.js';

export const getWhereaboutsRoute = {
  id: 'getWhereabouts',
  method: 'GET',
  path: '/v1/whereabouts',
  handler: 'functions/safety/whereabouts.ts',
  auth: { scopes: ['referrals.manage'], roles: ['amhp-lead', 'amhp'], caller: 'person' },
  throttle: READ_THROTTLE,
  summary:
    "Who is where: the lead sees the service's AMHPs on shift and checked in (with the address); an AMHP their own",
  tags: ['safety'],
  response: { status: 200, body: WhereaboutsView },
} as const satisfies RouteDef;
