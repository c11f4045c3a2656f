import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { AvailabilityInput, BedUnitIdParams } from '../../shared/schemas/capacity.js';

export const putBedAvailabilityRoute = {
  id: 'putBedAvailability',
  method: 'PUT',
  path: '/v1/bed-units/{unitId}/availability',
  handler: 'functions/capacity/put-availability.ts',
  auth: { scopes: ['capacity.write'], roles: ['bed-manager'] },
  throttle: DEFAULT_THROTTLE,
  summary: 'A new availability snapshot (the newest asOf wins; older is 409)',
  description: 'A new availability snapshot for a unit; the newest `asOf` wins and an older one is 409.',
  tags: ['capacity'],
  request: { params: BedUnitIdParams, body: AvailabilityInput, idempotencyKey: 'optional' },
  response: { status: 200 },
} as const satisfies RouteDef;
