/**
 * PUT /v1/bed-units/{unitId} and PUT /v1/places-of-safety/{siteId}: the owning provider's bed
 * manager creates or replaces a unit's or site's registry entry (If-Match to replace). Figures
 * are kept: they change only through snapshots.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { etagOf } from '../../shared/http/middleware/if-match.js';
import { forbidden } from '../../shared/http/middleware/authorize.js';
import { getBedUnit, getPlaceOfSafety, putRegistryEntry, type BedUnit, type PlaceOfSafety } from '../../shared/data/capacity-repository.js';
import type { Caller } from '../../shared/identity/caller.js';
import type { HttpResult } from '../../shared/http/types.js';
import type { CommitInput } from '../../shared/http/commit.js';

const checkVersion = (existing: { version: number } | undefined, expectedVersion: number | undefined) => {
  if (existing && expectedVersion === undefined) throw new HttpProblem('precondition-required', 'This entry exists: send If-Match with its ETag to replace it.');
  if ((existing && expectedVersion !== existing.version) || (!existing && expectedVersion !== undefined)) {
    throw new HttpProblem('precondition-failed', 'If-Match does not name the current version of this entry.');
  }
};

/**
 * The owning provider only, and only for LSSAs in its own registry entry (DOMAIN §5): a provider
 * cannot put a unit or a place of safety on another area's map, where police would be sent to it.
 */
const ownerOnly = ({ caller, resource, body }: { caller: Caller; resource: { existing: { providerId: string } | undefined }; body: { lssas: readonly string[] } }) => {
  if (resource.existing && resource.existing.providerId !== caller.organisationId) throw forbidden("Only the owning provider's bed managers may change this entry.");
  if (body.lssas.some((l) => !caller.lssas.includes(l))) throw forbidden('A provider registers units and places of safety only for the LSSAs it serves.');
};

const save = (commit: (input: CommitInput) => Promise<HttpResult>, kind: 'unit' | 'site', entry: BedUnit | PlaceOfSafety, existing: { version: number } | undefined, id: string, location: string) =>
  commit({
    items: [putRegistryEntry(kind, entry, existing?.version ?? null)],
    result: { statusCode: existing ? 200 : 201, headers: { ETag: etagOf(entry.version), ...(existing ? {} : { Location: location }) }, body: entry },
    audit: [{ resourceType: kind === 'unit' ? 'bed-unit' : 'place-of-safety', resourceId: id, action: existing ? 'update' : 'create' }],
  });

export const putBedUnit = apiRoute('putBedUnit', {
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

export const putPlaceOfSafety = apiRoute('putPlaceOfSafety', {
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
