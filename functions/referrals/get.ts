/** GET /v1/referrals/{id}: the view the caller's detail level allows (DOMAIN §1), else 404. */
import { apiRoute } from '../../shared/http/stack.js';
import { etagOf } from '../../shared/http/middleware/if-match.js';
import { getReferral } from '../../shared/data/referral-repository.js';
import { viewerOf } from '../../shared/data/amhp-repository.js';
import { detailOf, referralView } from '../../shared/domain/referral-access.js';
import { ROUTE } from '../routes.js';

export const handler = apiRoute(ROUTE.getReferral, {
  load: async ({ caller, params }) => {
    const found = await getReferral(params.id);
    const detail = found && detailOf(await viewerOf(caller), found.record);
    return found && detail ? { record: found.record, detail } : undefined;
  },
  run: async ({ resource: { record, detail }, now }) => ({
    statusCode: 200,
    headers: { ETag: etagOf(record.version) },
    body: referralView(detail, record, now),
    audit: [{ resourceType: 'referral', resourceId: record.id, action: 'read' }],
  }),
});
