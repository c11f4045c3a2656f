import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { S140RegisterPage, S140RegisterQuery } from '../../shared/schemas/s140-register.js';

export const getS140RegisterRoute = {
  id: 'getS140Register',
  method: 'GET',
  path: '/v1/s140-register',
  handler: 'functions/beds/s140-register.ts',
  auth: { scopes: ['capacity.read'], roles: ['amhp-lead', 'bed-manager'] },
  throttle: READ_THROTTLE,
  summary: "Each ICB's s.140 register: urgent and special-urgency units, under-18 arrangements, 24-hour contact",
  tags: ['capacity'],
  request: { query: S140RegisterQuery },
  response: { status: 200, body: S140RegisterPage },
} as const satisfies RouteDef;
