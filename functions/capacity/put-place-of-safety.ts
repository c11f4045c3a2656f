/**
 * PUT /v1/places-of-safety/{siteId}: the owning provider's bed manager creates or replaces a
 * site's registry entry (If-Match to replace). Figures are kept: they change only through
 * status snapshots.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { getPlaceOfSafety, type PlaceOfSafety } from '../../shared/data/capacity-repository.js';
import { checkVersion, ownerOnly, save } from '../../shared/capacity/registry-write.js';
import { putPlaceOfSafetyRoute } from '../routes/put-place-of-safety.js';

export const handler = apiRoute(putPlaceOfSafetyRoute, {
  load: async ({ params }) => ({ existing: await getPlaceOfSafety(params.siteId) }),
  authorize: ownerOnly,
  run: async ({ caller, params, body, resource: { existing }, expectedVersion, now, commit }) => {
    checkVersion(existing, expectedVersion);
    const entry: PlaceOfSafety = {
      status: null,
      capacity: null,
      emptySpaces: null,
      asOf: null,
      updatedBy: null,
      ...(existing ?? {}),
      ...body,
      siteId: params.siteId,
      providerId: caller.organisationId,
      version: (existing?.version ?? 0) + 1,
      updatedAt: now.toISOString(),
    };
    return save(commit, 'site', entry, existing, params.siteId, `/v1/places-of-safety/${params.siteId}`);
  },
});
