import type { RouteDef } from '../../shared/http/route.js';
import { DemandQuery, ExtractResponse } from '../../shared/schemas/extracts.js';

export const getDemandExtractRoute = {
  id: 'getDemandExtract',
  method: 'GET',
  path: '/v1/extracts/demand',
  handler: 'functions/extracts/demand.ts',
  auth: { scopes: ['extracts.read'], roles: ['analyst'] },
  throttle: { rateLimit: 2, burstLimit: 5 },
  summary: 'Referrals per fixed period by up to three dimensions, disclosure-controlled (JSON or CSV)',
  description:
    'Referrals per fixed period (day, week or month) by up to three dimensions (`by`), with small-number ' +
    'suppression. JSON by default; `Accept: text/csv` for CSV.',
  tags: ['extracts'],
  request: { query: DemandQuery },
  response: { status: 200, body: ExtractResponse, alternatives: ['text/csv'] },
  data: 'analytics',
} as const satisfies RouteDef;
