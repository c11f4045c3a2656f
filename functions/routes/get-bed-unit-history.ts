import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { BedUnitIdParams, HistoryPage, HistoryQuery } from '../../shared/schemas/capacity.js';

export const getBedUnitHistoryRoute = {
  id: 'getBedUnitHistory',
  method: 'GET',
  path: '/v1/bed-units/{unitId}/history',
  handler: 'functions/capacity/unit-history.ts',
  auth: { scopes: ['capacity.read'], roles: ['bed-manager', 'amhp-lead', 'amhp'] },
  throttle: READ_THROTTLE,
  summary: 'Every accepted availability snapshot of a unit in a window',
  description: 'Every accepted availability snapshot of a unit between `from` and `to`.',
  tags: ['capacity'],
  request: { params: BedUnitIdParams, query: HistoryQuery },
  response: { status: 200, body: HistoryPage },
} as const satisfies RouteDef;
