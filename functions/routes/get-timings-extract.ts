import type { RouteDef } from '../../shared/http/route.js';
import { ExtractResponse, TimingsQuery } from '../../shared/schemas/extracts.js';

export const getTimingsExtractRoute = {
  id: 'getTimingsExtract',
  method: 'GET',
  path: '/v1/extracts/timings',
  handler: 'functions/extracts/timings.ts',
  auth: { scopes: ['extracts.read'], roles: ['analyst'] },
  throttle: { rateLimit: 2, burstLimit: 5 },
  summary: 'Median and p90 of each interval per period; escalations and clock breaches',
  description:
    'Median and p90 of each interval per period, escalations and clock breaches, disclosure-controlled. ' +
    'JSON or CSV by Accept.',
  tags: ['extracts'],
  request: { query: TimingsQuery },
  response: { status: 200, body: ExtractResponse, alternatives: ['text/csv'] },
  data: 'analytics',
} as const satisfies RouteDef;
