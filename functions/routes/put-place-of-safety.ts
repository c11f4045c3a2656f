import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { PlaceOfSafetyInput, PlaceOfSafetyView, SiteIdParams } from '../../shared/schemas/capacity.js';

export const putPlaceOfSafetyRoute = {
  id: 'putPlaceOfSafety',
  method: 'PUT',
  path: '/v1/places-of-safety/{siteId}',
  handler: 'functions/capacity/put-place-of-safety.ts',
  auth: { scopes: ['capacity.write'], roles: ['bed-manager'] },
  throttle: DEFAULT_THROTTLE,
  summary: "Create or replace a place of safety's registry entry (owning provider; If-Match to replace)",
  description: "The owning provider creates (201) or replaces (If-Match) a place of safety's registry entry.",
  tags: ['capacity'],
  request: { params: SiteIdParams, body: PlaceOfSafetyInput, idempotencyKey: 'optional' },
  response: { status: 200, body: PlaceOfSafetyView, headers: ['ETag'], created: true },
} as const satisfies RouteDef;
