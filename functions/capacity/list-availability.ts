/**
 * GET /v1/bed-availability: current figures of every unit (one Query on the capacity index),
 * each with `asOf`, `stale` (> 4 h) and its 24-hour contact, most beds of the wanted type first.
 * Advisory only: it never blocks an AMHP decision (DOMAIN §5).
 */
import { apiRoute } from '../../shared/http/stack.js';
import { listBedUnits } from '../../shared/data/capacity-repository.js';
import { availableOf, isStale, orderUnits, rowsOf } from '../../shared/domain/capacity.js';
import { listBedAvailabilityRoute } from '../routes/list-bed-availability.js';

export const handler = apiRoute(listBedAvailabilityRoute, {
  run: async ({ query, now }) => {
    const { items } = await listBedUnits(query.lssa);
    const units = items
      .filter((u) => !query.s140Only || u.s140Designated)
      .map(({ updatedBy: _u, updatedAt: _t, ...u }) => ({
        ...u,
        beds: query.bedType || query.sex ? rowsOf(u.beds, query.bedType, query.sex) : u.beds,
        availableOfType: availableOf(u.beds, query.bedType, query.sex),
        stale: isStale(u.asOf, now),
        ageMinutes: u.asOf ? Math.floor((now.getTime() - Date.parse(u.asOf)) / 60_000) : null,
      }))
      .filter((u) => !(query.bedType || query.sex) || u.beds.length > 0);
    return {
      statusCode: 200,
      body: {
        items: orderUnits(units).slice(0, query.limit),
        nextCursor: null,
        rule: 'Figures older than 4 hours are stale. Availability is advisory.',
      },
    };
  },
});
