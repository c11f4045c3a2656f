import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { PlacesOfSafetyPage, PlacesOfSafetyQuery } from '../../shared/schemas/capacity.js';

export const listPlacesOfSafetyRoute = {
  id: 'listPlacesOfSafety',
  method: 'GET',
  path: '/v1/places-of-safety',
  handler: 'functions/capacity/list-places-of-safety.ts',
  auth: { scopes: ['places.read'], roles: ['referrer', 'amhp-lead', 'amhp', 'bed-manager'] },
  throttle: READ_THROTTLE,
  summary: 'Places of safety with status and empty spaces (readable at the roadside)',
  description: 'Places of safety with their status and empty spaces, for a crew deciding where to go.',
  tags: ['capacity'],
  request: { query: PlacesOfSafetyQuery },
  response: { status: 200, body: PlacesOfSafetyPage },
} as const satisfies RouteDef;
