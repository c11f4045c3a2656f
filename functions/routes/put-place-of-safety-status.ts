import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { PlaceOfSafetyStatusInput, SiteIdParams } from '../../shared/schemas/capacity.js';

export const putPlaceOfSafetyStatusRoute = {
  id: 'putPlaceOfSafetyStatus',
  method: 'PUT',
  path: '/v1/places-of-safety/{siteId}/status',
  handler: 'functions/capacity/put-place-of-safety-status.ts',
  auth: { scopes: ['capacity.write'], roles: ['bed-manager'] },
  throttle: DEFAULT_THROTTLE,
  summary: 'A new s.136 suite status snapshot (the newest asOf wins; older is 409)',
  description: 'A new s.136 suite status snapshot; the newest `asOf` wins and an older one is 409.',
  tags: ['capacity'],
  request: { params: SiteIdParams, body: PlaceOfSafetyStatusInput, idempotencyKey: 'optional' },
  response: { status: 200 },
} as const satisfies RouteDef;
