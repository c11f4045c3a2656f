import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { BedAvailabilityPage, BedAvailabilityQuery } from '../../shared/schemas/capacity.js';

export const listBedAvailabilityRoute = {
  id: 'listBedAvailability',
  method: 'GET',
  path: '/v1/bed-availability',
  handler: 'functions/capacity/list-availability.ts',
  auth: { scopes: ['capacity.read'], roles: ['bed-manager', 'amhp-lead', 'amhp'] },
  throttle: READ_THROTTLE,
  summary: 'Current s.140 bed availability, most beds of the wanted type first, with staleness',
  description: 'Current s.140 availability across units, most beds of the wanted type first, each with its staleness.',
  tags: ['capacity'],
  request: { query: BedAvailabilityQuery },
  response: { status: 200, body: BedAvailabilityPage },
} as const satisfies RouteDef;
