import type { RouteDef } from '../../shared/http/route.js';
import { CapacityExtractQuery, ExtractResponse } from '../../shared/schemas/extracts.js';

export const getCapacityExtractRoute = {
  id: 'getCapacityExtract',
  method: 'GET',
  path: '/v1/extracts/capacity',
  handler: 'functions/extracts/capacity.ts',
  auth: { scopes: ['extracts.read'], roles: ['analyst'] },
  throttle: { rateLimit: 2, burstLimit: 5 },
  summary: 'Mean bed availability by type per period and the share of stale updates',
  description: 'Mean bed availability by bed type per period and the share of stale updates. JSON or CSV by Accept.',
  tags: ['extracts'],
  request: { query: CapacityExtractQuery },
  response: { status: 200, body: ExtractResponse, alternatives: ['text/csv'] },
  data: 'analytics',
} as const satisfies RouteDef;
