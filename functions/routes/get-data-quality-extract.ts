import type { RouteDef } from '../../shared/http/route.js';
import { DataQualityQuery, ExtractResponse } from '../../shared/schemas/extracts.js';

export const getDataQualityExtractRoute = {
  id: 'getDataQualityExtract',
  method: 'GET',
  path: '/v1/extracts/data-quality',
  handler: 'functions/extracts/data-quality.ts',
  auth: { scopes: ['extracts.read'], roles: ['analyst'] },
  throttle: { rateLimit: 2, burstLimit: 5 },
  summary:
    'Referrals that raised each flag (evidence, nearest relative, places of safety …) per period, ' +
    'disclosure-controlled',
  description:
    'How many referrals raised each data-quality flag per period, disclosure-controlled. JSON or CSV by Accept.',
  tags: ['extracts'],
  request: { query: DataQualityQuery },
  response: { status: 200, body: ExtractResponse, alternatives: ['text/csv'] },
  data: 'analytics',
} as const satisfies RouteDef;
