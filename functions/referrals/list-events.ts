/** GET /v1/referrals/{id}/events: the history at the caller's detail level (DOMAIN §1). */
import { apiRoute } from '../../shared/http/stack.js';
import { listEvents } from '../../shared/data/referral-repository.js';
import { loadVisibleReferral } from '../../shared/data/visible-referral.js';
import { eventView } from '../../shared/domain/referral-access.js';
import { listReferralEventsRoute } from '../routes/list-referral-events.js';

export const handler = apiRoute(listReferralEventsRoute, {
  load: ({ caller, params }) => loadVisibleReferral(caller, params.id),
  run: async ({ resource: { record, detail } }) => {
    const events = await listEvents(record.id);
    const items = events.flatMap((e) => eventView(detail, e, record.referrer.organisationId) ?? []);
    return {
      statusCode: 200,
      body: { items },
      audit: [{ resourceType: 'referral', resourceId: record.id, action: 'read' }],
    };
  },
});
