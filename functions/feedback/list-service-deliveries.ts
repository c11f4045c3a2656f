/**
 * GET /v1/deliveries?status=&referralId=: the AMHP service's view of feedback to referrers about
 * its referrals (the duty to feed back is the service's, DOMAIN §6): typically `status=parked`,
 * what nobody received. Only the service's own referrals; no subscriber URLs.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { assertCursorIn, decodeCursor } from '../../shared/http/cursor.js';
import { deliveryPageResponse } from '../../shared/http/delivery-page.js';
import { PK } from '../../shared/data/tables.js';
import { listServiceDeliveries, servicePartition } from '../../shared/data/delivery-repository.js';
import { listDeliveriesRoute } from '../routes/list-deliveries.js';

export const handler = apiRoute(listDeliveriesRoute, {
  run: async ({ caller, query }) => {
    const scope = `listDeliveries/${caller.organisationId}`;
    const start = query.cursor ? await decodeCursor<Record<string, unknown>>(query.cursor, scope) : undefined;
    assertCursorIn(start, PK, servicePartition(caller.organisationId));
    const page = await listServiceDeliveries(
      caller.organisationId,
      { status: query.status, referralId: query.referralId },
      query.limit,
      start,
    );
    return deliveryPageResponse(page, scope);
  },
});
