/**
 * PUT /v1/bed-units/{unitId}/availability: a new snapshot of a unit's beds from the owning
 * provider; never older than the stored one (shared/capacity/snapshot-write.ts).
 */
import { apiRoute } from '../../shared/http/stack.js';
import { getBedUnit } from '../../shared/data/capacity-repository.js';
import { notFuture, ownerOnly, recordSnapshot, utc } from '../../shared/capacity/snapshot-write.js';
import { putBedAvailabilityRoute } from '../routes/put-bed-availability.js';

export const handler = apiRoute(putBedAvailabilityRoute, {
  load: async ({ params }) => getBedUnit(params.unitId),
  authorize: ownerOnly,
  run: async ({ caller, params, body, resource, now, commit }) => {
    notFuture(body.asOf, now);
    return recordSnapshot(
      commit,
      'unit',
      params.unitId,
      caller,
      { asOf: utc(body.asOf), beds: body.beds },
      resource.asOf,
      now,
    );
  },
});
