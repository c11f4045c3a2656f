/**
 * GET /v1/bed-requests: open requests in the caller's area with the minimum a bed manager needs
 * (age band, sex, bed type, legal status, LSSA): never a name or a narrative.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { listOpenBedRequests, type BedRequest } from '../../shared/data/capacity-repository.js';

export const bedRequestView = ({ referralId: _r, serviceId: _s, version: _v, ...rest }: BedRequest) => rest;

export const handler = apiRoute('listBedRequests', {
  run: async ({ caller }) => {
    const { items } = await listOpenBedRequests();
    const visible = items.filter((r) => caller.lssas.includes(r.lssa)).map(bedRequestView);
    return { statusCode: 200, body: { items: visible, nextCursor: null } };
  },
});
