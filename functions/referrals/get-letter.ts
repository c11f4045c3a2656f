/**
 * GET /v1/referrals/{id}/letters/{kind}: a letter as a printable HTML page (DOMAIN §3.2, issue
 * #22). Letters carry the person's and the nearest relative's details, so only a caller with the
 * full referral may read one (the lead, the allocated or co-allocated AMHP, the duty reviewer
 * while it awaits triage): 404 when the referral is not visible, 403 at board level or for the
 * referrer, 409 when there is no such letter to write yet. Audited as a read of the referral.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { forbidden } from '../../shared/http/middleware/authorize.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { getAmhp } from '../../shared/data/amhp-repository.js';
import { loadVisibleReferral } from '../../shared/data/visible-referral.js';

import { getOrganisation } from '../../shared/data/registry-repository.js';
import { renderLetter } from '../../shared/domain/letters.js';
import { getReferralLetterRoute } from '../routes/get-referral-letter.js';

export const handler = apiRoute(getReferralLetterRoute, {
  load: ({ caller, params }) => loadVisibleReferral(caller, params.id),
  authorize: ({ resource }) => {
    if (resource.detail !== 'full') throw forbidden('Letters are for the AMHP service members working this referral.');
  },
  run: async ({ resource: { record }, params, now }) => {
    const [service, amhp] = await Promise.all([
      getOrganisation(record.serviceId),
      record.outcome?.byAmhpId ? getAmhp(record.outcome.byAmhpId) : undefined,
    ]);
    const letter = renderLetter(params.kind, record, {
      serviceName: service?.name ?? 'The AMHP service',
      ...(amhp ? { amhpName: amhp.displayName } : {}),
      now,
    });
    if (!letter.ok) throw new HttpProblem('conflict', letter.detail, { code: letter.code });
    return {
      statusCode: 200,
      body: letter.html,
      contentType: 'text/html; charset=utf-8',
      audit: [{ resourceType: 'referral', resourceId: record.id, action: 'read' }],
    };
  },
});
