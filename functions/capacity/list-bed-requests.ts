/**
 * GET /v1/bed-requests: open requests in the caller's area with the minimum a bed manager needs
 * (age band, sex, bed type, legal status, LSSA): never a name or a narrative.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { listOpenBedRequests } from '../../shared/data/capacity-repository.js';
import { bedRequestView } from '../../shared/domain/capacity.js';
import { listBedRequestsRoute } from '../routes/list-bed-requests.js';

export const handler = apiRoute(listBedRequestsRoute, {
  run: async ({ caller }) => {
    const { items } = await listOpenBedRequests();
    const visible = items.filter((r) => caller.lssas.includes(r.lssa)).map(bedRequestView);
    return { statusCode: 200, body: { items: visible, nextCursor: null } };
  },
});
