/**
 * PUT /v1/bed-units/{unitId}: the owning provider's bed manager creates or replaces a unit's
 * registry entry (If-Match to replace). Figures are kept: they change only through snapshots.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { getBedUnit, type BedUnit } from '../../shared/data/capacity-repository.js';
import { checkVersion, ownerOnly, save } from '../../shared/capacity/registry-write.js';
import { putBedUnitRoute } from '../routes/put-bed-unit.js';

export const handler = apiRoute(putBedUnitRoute, {
  load: async ({ params }) => ({ existing: await getBedUnit(params.unitId) }),
  authorize: ownerOnly,
  run: async ({ caller, params, body, resource: { existing }, expectedVersion, now, commit }) => {
    checkVersion(existing, expectedVersion);
    const entry: BedUnit = {
      asOf: null,
      updatedBy: null,
      beds: [],
      ...(existing ?? {}),
      ...body,
      unitId: params.unitId,
      providerId: caller.organisationId,
      version: (existing?.version ?? 0) + 1,
      updatedAt: now.toISOString(),
    };
    return save(commit, 'unit', entry, existing, params.unitId, `/v1/bed-units/${params.unitId}`);
  },
});
