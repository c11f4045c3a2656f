/**
 * What the two registry writes share (functions/capacity/put-bed-unit.ts and
 * put-place-of-safety.ts), kept here because a handler never imports another: the version
 * check of a create-or-replace, the owner-only rule, and the one transaction that saves.
 */
import type { CommitInput } from '../http/commit.js';
import { etagOf } from '../http/middleware/if-match.js';
import { forbidden } from '../http/middleware/authorize.js';
import { HttpProblem } from '../http/problem.js';
import type { HttpResult } from '../http/types.js';
import { putRegistryEntry, type BedUnit, type PlaceOfSafety } from '../data/capacity-repository.js';
import type { Caller } from '../identity/caller.js';

export const checkVersion = (existing: { version: number } | undefined, expectedVersion: number | undefined) => {
  if (existing && expectedVersion === undefined)
    throw new HttpProblem('precondition-required', 'This entry exists: send If-Match with its ETag to replace it.');
  if ((existing && expectedVersion !== existing.version) || (!existing && expectedVersion !== undefined)) {
    throw new HttpProblem('precondition-failed', 'If-Match does not name the current version of this entry.');
  }
};

/**
 * The owning provider only, and only for LSSAs in its own registry entry (DOMAIN §5): a provider
 * cannot put a unit or a place of safety on another area's map, where police would be sent to it.
 */
export const ownerOnly = ({
  caller,
  resource,
  body,
}: {
  caller: Caller;
  resource: { existing: { providerId: string } | undefined };
  body: { lssas: readonly string[] };
}) => {
  if (resource.existing && resource.existing.providerId !== caller.organisationId)
    throw forbidden("Only the owning provider's bed managers may change this entry.");
  if (body.lssas.some((l) => !caller.lssas.includes(l)))
    throw forbidden('A provider registers units and places of safety only for the LSSAs it serves.');
};

export const save = (
  commit: (input: CommitInput) => Promise<HttpResult>,
  kind: 'unit' | 'site',
  entry: BedUnit | PlaceOfSafety,
  existing: { version: number } | undefined,
  id: string,
  location: string,
) =>
  commit({
    items: [putRegistryEntry(kind, entry, existing?.version ?? null)],
    result: {
      statusCode: existing ? 200 : 201,
      headers: { ETag: etagOf(entry.version), ...(existing ? {} : { Location: location }) },
      body: entry,
    },
    audit: [
      {
        resourceType: kind === 'unit' ? 'bed-unit' : 'place-of-safety',
        resourceId: id,
        action: existing ? 'update' : 'create',
      },
    ],
  });
