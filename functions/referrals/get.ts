/** GET /v1/referrals/{id}: minimised for the referrer, full for the AMHP service, else 404. */
import { apiRoute } from '../../shared/http/stack.js';
import { etagOf } from '../../shared/http/middleware/if-match.js';
import { getReferral } from '../../shared/data/referral-repository.js';
import { accessOf } from '../../shared/domain/referral-access.js';
import { referrerView, serviceView } from '../../shared/domain/referral.js';

export const handler = apiRoute('getReferral', {
  load: async ({ caller, params }) => {
    const found = await getReferral(params.id);
    const access = found && accessOf(caller, found.record);
    return found && access ? { record: found.record, access } : undefined;
  },
  run: async ({ resource: { record, access }, now }) => ({
    statusCode: 200,
    headers: { ETag: etagOf(record.version) },
    body: access === 'service' ? serviceView(record, now) : referrerView(record, now),
    audit: [{ resourceType: 'referral', resourceId: record.id, action: 'read' }],
  }),
});
