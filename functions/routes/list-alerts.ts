import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { AlertListQuery, AlertPage } from '../../shared/schemas/safety.js';

export const listAlertsRoute = {
  id: 'listAlerts',
  method: 'GET',
  path: '/v1/alerts',
  handler: 'functions/safety/list-alerts.ts',
  auth: { scopes: ['referrals.manage'], roles: ['amhp-lead'] },
  throttle: READ_THROTTLE,
  summary: "The service's alerts, newest first (the board polls it): safety, clocks, unlawful place, escalations",
  tags: ['safety'],
  request: { query: AlertListQuery },
  response: { status: 200, body: AlertPage },
} as const satisfies RouteDef;
