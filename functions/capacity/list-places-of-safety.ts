/** GET /v1/places-of-safety: s.136 suites with empty spaces, readable by police at the roadside. */
import { apiRoute } from '../../shared/http/stack.js';
import { listPlacesOfSafety } from '../../shared/data/capacity-repository.js';
import { isStale } from '../../shared/domain/capacity.js';
import { listPlacesOfSafetyRoute } from '../routes/list-places-of-safety.js';

export const handler = apiRoute(listPlacesOfSafetyRoute, {
  run: async ({ query, now }) => {
    const { items } = await listPlacesOfSafety(query.lssa);
    const sites = items
      .filter((s) => query.under18 === undefined || !query.under18 || s.acceptsUnder18)
      .map(({ updatedBy: _u, updatedAt: _t, ...s }) => ({ ...s, stale: isStale(s.asOf, now) }))
      .sort(
        (a, b) =>
          Number(b.status === 'open') - Number(a.status === 'open') ||
          (b.emptySpaces ?? -1) - (a.emptySpaces ?? -1) ||
          a.name.localeCompare(b.name),
      );
    return { statusCode: 200, body: { items: sites, nextCursor: null } };
  },
});
