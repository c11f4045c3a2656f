/** GET /v1/alerts: the service's alerts, newest first; the board polls it and announces new ones. */
import { apiRoute } from '../../shared/http/stack.js';
import { recentAlerts } from '../../shared/data/safety-repository.js';
import { listAlertsRoute } from '../routes/list-alerts.js';

export const handler = apiRoute(listAlertsRoute, {
  run: async ({ caller, query }) => {
    const items = await recentAlerts(caller.organisationId, query.limit);
    return {
      statusCode: 200,
      headers: { 'Cache-Control': 'no-store' },
      body: { items },
      audit: items.map((a) => ({ resourceType: 'alert' as const, resourceId: a.alertId, action: 'list' as const })),
    };
  },
});
