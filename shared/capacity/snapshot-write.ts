/**
 * What the two snapshot writes share (functions/capacity/put-availability.ts and
 * put-place-of-safety-status.ts), kept here because a handler never imports another. The board
 * never goes back in time: an `asOf` older than the stored one is 409; concurrent updates race
 * on a condition, and the newest wins.
 */
import type { CommitInput } from '../http/commit.js';
import { forbidden } from '../http/middleware/authorize.js';
import { HttpProblem } from '../http/problem.js';
import type { HttpResult } from '../http/types.js';
import { OlderSnapshot, snapshotItems } from '../data/capacity-repository.js';
import { FUTURE_SKEW_MS } from '../domain/capacity.js';
import type { Caller } from '../identity/caller.js';

export const utc = (iso: string) => new Date(Date.parse(iso)).toISOString();

export const notFuture = (asOf: string, now: Date) => {
  if (Date.parse(asOf) > now.getTime() + FUTURE_SKEW_MS) {
    throw new HttpProblem('validation', 'asOf is in the future.', {
      errors: [{ pointer: '/asOf', message: 'in the future' }],
    });
  }
};

export const ownerOnly = ({ caller, resource }: { caller: Caller; resource: { providerId: string } }) => {
  if (resource.providerId !== caller.organisationId)
    throw forbidden("Only the owning provider's bed managers may update these figures.");
};

export async function recordSnapshot(
  commit: (input: CommitInput) => Promise<HttpResult>,
  kind: 'unit' | 'site',
  id: string,
  caller: Caller,
  figures: Record<string, unknown> & { asOf: string },
  stored: string | null,
  now: Date,
): Promise<HttpResult> {
  if (stored && figures.asOf <= stored)
    throw new HttpProblem('conflict', 'A newer snapshot is already stored: figures never go back in time.');
  try {
    return await commit({
      items: snapshotItems(
        kind,
        id,
        caller.organisationId,
        figures,
        caller.actorId ?? caller.clientId,
        now.toISOString(),
      ),
      result: {
        statusCode: 200,
        body: {
          ...(kind === 'unit' ? { unitId: id } : { siteId: id }),
          ...figures,
          updatedBy: caller.actorId ?? caller.clientId,
          stale: false,
        },
      },
      audit: [{ resourceType: kind === 'unit' ? 'bed-unit' : 'place-of-safety', resourceId: id, action: 'update' }],
    });
  } catch (error) {
    if (error instanceof OlderSnapshot)
      throw new HttpProblem('conflict', 'A newer snapshot was stored meanwhile: figures never go back in time.');
    throw error;
  }
}
