import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { BedUnitIdParams, BedUnitInput, BedUnitView } from '../../shared/schemas/capacity.js';

export const putBedUnitRoute = {
  id: 'putBedUnit',
  method: 'PUT',
  path: '/v1/bed-units/{unitId}',
  handler: 'functions/capacity/put-bed-unit.ts',
  auth: { scopes: ['capacity.write'], roles: ['bed-manager'] },
  throttle: DEFAULT_THROTTLE,
  summary: "Create or replace a bed unit's registry entry (owning provider; If-Match to replace)",
  description: "The owning provider's bed manager creates (201) or replaces (If-Match) a bed unit's registry entry.",
  tags: ['capacity'],
  request: { params: BedUnitIdParams, body: BedUnitInput, idempotencyKey: 'optional' },
  response: { status: 200, body: BedUnitView, headers: ['ETag'], created: true },
} as const satisfies RouteDef;
