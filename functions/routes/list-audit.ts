import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { AuditQuery, AuditPage } from '../../shared/schemas/audit.js';

export const listAuditRoute = {
  id: 'listAudit',
  method: 'GET',
  path: '/v1/audit',
  handler: 'functions/audit/list.ts',
  auth: { scopes: ['audit.read'], roles: ['auditor'] },
  throttle: READ_THROTTLE,
  summary: 'Access audit records by referral, organisation or time range',
  description: 'Access audit records by referral, organisation or time range (auditors only).',
  tags: ['audit'],
  request: { query: AuditQuery },
  response: { status: 200, body: AuditPage },
  secrets: ['cursorKey'],
} as const satisfies RouteDef;
