/** GET /v1/alert-channel/deliveries?status=: the alert channel's messages, every attempt (e.g. status=parked). */
import { apiRoute } from '../../shared/http/stack.js';
import { assertCursorIn, decodeCursor, encodeCursor } from '../../shared/http/cursor.js';
import { PK } from '../../shared/data/tables.js';
import { listServiceDeliveries, servicePartition } from '../../shared/data/delivery-repository.js';
import { alertDeliveryView } from '../../shared/safety/alerts.js';
import { listAlertDeliveriesRoute } from '../routes/list-alert-deliveries.js';

export const handler = apiRoute(listAlertDeliveriesRoute, {
  run: async ({ caller, query }) => {
    const scope = `listAlertDeliveries/${caller.organisationId}`;
    const start = query.cursor ? await decodeCursor<Record<string, unknown>>(query.cursor, scope) : undefined;
    assertCursorIn(start, PK, servicePartition(caller.organisationId, 'alerts'));
    const page = await listServiceDeliveries(
      caller.organisationId,
      { status: query.status },
      query.limit,
      start,
      'alerts',
    );
    const items = page.items.map(alertDeliveryView);
    return {
      statusCode: 200,
      body: { items, nextCursor: page.lastKey ? await encodeCursor(page.lastKey, scope) : null },
      audit: [...new Set(items.map((i) => i.alertId))].map((id) => ({
        resourceType: 'alert' as const,
        resourceId: id,
        action: 'list' as const,
      })),
    };
  },
});
