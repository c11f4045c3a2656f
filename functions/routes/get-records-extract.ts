import type { RouteDef } from '../../shared/http/route.js';
import { ExtractResponse, RecordsQuery } from '../../shared/schemas/extracts.js';

export const getRecordsExtractRoute = {
  id: 'getRecordsExtract',
  method: 'GET',
  path: '/v1/extracts/records',
  handler: 'functions/extracts/records.ts',
  auth: { scopes: ['extracts.records'], roles: ['analyst'] },
  throttle: { rateLimit: 1, burstLimit: 2 },
  summary: 'Pseudonymised record-level rows of one month (k ≥ 5), under a data-sharing agreement',
  description:
    'Pseudonymised record-level rows of one month (k-anonymity 5) for clients with a data-sharing ' +
    'agreement. JSON or CSV by Accept.',
  tags: ['extracts'],
  request: { query: RecordsQuery },
  response: { status: 200, body: ExtractResponse, alternatives: ['text/csv'] },
  data: 'analytics',
  // The per-agreement person key is derived from the pseudonymisation key.
  secrets: ['pseudonymisationKey', 'cursorKey'],
} as const satisfies RouteDef;
