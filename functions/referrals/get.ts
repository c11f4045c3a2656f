/** GET /v1/referrals/{id}: the view the caller's detail level allows (DOMAIN §1), else 404. */
import { apiRoute } from '../../shared/http/stack.js';
import { etagOf } from '../../shared/http/middleware/if-match.js';
import { loadVisibleReferral } from '../../shared/data/visible-referral.js';
import { referralView } from '../../shared/domain/referral-access.js';
import { getReferralRoute } from '../routes/get-referral.js';

export const handler = apiRoute(getReferralRoute, {
  load: ({ caller, params }) => loadVisibleReferral(caller, params.id),
  run: async ({ resource: { record, detail }, now }) => ({
    statusCode: 200,
    headers: { ETag: etagOf(record.version) },
    body: referralView(detail, record, now),
    audit: [{ resourceType: 'referral', resourceId: record.id, action: 'read' }],
  }),
});
