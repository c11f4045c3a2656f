/**
 * PUT /v1/bed-units/{unitId}/availability and PUT /v1/places-of-safety/{siteId}/status: a new
 * snapshot from the owning provider. The board never goes back in time: an `asOf` older than
 * the stored one is 409; concurrent updates race on a condition, and the newest wins.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { forbidden } from '../../shared/http/middleware/authorize.js';
import { getBedUnit, getPlaceOfSafety, OlderSnapshot, snapshotItems } from '../../shared/data/capacity-repository.js';
import { FUTURE_SKEW_MS } from '../../shared/domain/capacity.js';
import type { Caller } from '../../shared/identity/caller.js';
import type { CommitInput } from '../../shared/http/commit.js';
import type { HttpResult } from '../../shared/http/types.js';

const utc = (iso: string) => new Date(Date.parse(iso)).toISOString();

const notFuture = (asOf: string, now: Date) => {
  if (Date.parse(asOf) > now.getTime() + FUTURE_SKEW_MS) {
    throw new HttpProblem('validation', 'asOf is in the future.', { errors: [{ pointer: '/asOf', message: 'in the future' }] });
  }
};

const ownerOnly = ({ caller, resource }: { caller: Caller; resource: { providerId: string } }) => {
  if (resource.providerId !== caller.organisationId) throw forbidden("Only the owning provider's bed managers may update these figures.");
};

async function record(
  commit: (input: CommitInput) => Promise<HttpResult>,
  kind: 'unit' | 'site',
  id: string,
  caller: Caller,
  figures: Record<string, unknown> & { asOf: string },
  stored: string | null,
  now: Date,
): Promise<HttpResult> {
  if (stored && figures.asOf <= stored) throw new HttpProblem('conflict', 'A newer snapshot is already stored: figures never go back in time.');
  try {
    return await commit({
      items: snapshotItems(kind, id, caller.organisationId, figures, caller.actorId ?? caller.clientId, now.toISOString()),
      result: { statusCode: 200, body: { ...(kind === 'unit' ? { unitId: id } : { siteId: id }), ...figures, updatedBy: caller.actorId ?? caller.clientId, stale: false } },
      audit: [{ resourceType: kind === 'unit' ? 'bed-unit' : 'place-of-safety', resourceId: id, action: 'update' }],
    });
  } catch (error) {
    if (error instanceof OlderSnapshot) throw new HttpProblem('conflict', 'A newer snapshot was stored meanwhile: figures never go back in time.');
    throw error;
  }
}

export const putAvailability = apiRoute('putBedAvailability', {
  load: async ({ params }) => getBedUnit(params.unitId),
  authorize: ownerOnly,
  run: async ({ caller, params, body, resource, now, commit }) => {
    notFuture(body.asOf, now);
    return record(commit, 'unit', params.unitId, caller, { asOf: utc(body.asOf), beds: body.beds }, resource.asOf, now);
  },
});

export const putStatus = apiRoute('putPlaceOfSafetyStatus', {
  load: async ({ params }) => getPlaceOfSafety(params.siteId),
  authorize: ownerOnly,
  run: async ({ caller, params, body, resource, now, commit }) => {
    notFuture(body.asOf, now);
    const { asOf, ...figures } = body;
    return record(commit, 'site', params.siteId, caller, { asOf: utc(asOf), ...figures }, resource.asOf, now);
  },
});
