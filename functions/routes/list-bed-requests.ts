import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { BedRequestPage } from '../../shared/schemas/capacity.js';

export const listBedRequestsRoute = {
  id: 'listBedRequests',
  method: 'GET',
  path: '/v1/bed-requests',
  handler: 'functions/capacity/list-bed-requests.ts',
  auth: { scopes: ['capacity.read'], roles: ['bed-manager', 'amhp-lead', 'amhp'] },
  throttle: READ_THROTTLE,
  summary: 'Open bed requests in your area, with the minimum data a bed search needs',
  description: "Open bed requests in the provider's area with only the data a bed search needs.",
  tags: ['capacity'],
  response: { status: 200, body: BedRequestPage },
} as const satisfies RouteDef;
