/**
 * PUT /v1/places-of-safety/{siteId}/status: a new snapshot of a site's status and spaces from
 * the owning provider; never older than the stored one (shared/capacity/snapshot-write.ts).
 */
import { apiRoute } from '../../shared/http/stack.js';
import { getPlaceOfSafety } from '../../shared/data/capacity-repository.js';
import { notFuture, ownerOnly, recordSnapshot, utc } from '../../shared/capacity/snapshot-write.js';
import { putPlaceOfSafetyStatusRoute } from '../routes/put-place-of-safety-status.js';

export const handler = apiRoute(putPlaceOfSafetyStatusRoute, {
  load: async ({ params }) => getPlaceOfSafety(params.siteId),
  authorize: ownerOnly,
  run: async ({ caller, params, body, resource, now, commit }) => {
    notFuture(body.asOf, now);
    const { asOf, ...figures } = body;
    return recordSnapshot(commit, 'site', params.siteId, caller, { asOf: utc(asOf), ...figures }, resource.asOf, now);
  },
});
