/** GET /v1/referrals/{id}/events: the history; the referrer sees decisions, not notes. */
import { apiRoute } from '../../shared/http/stack.js';
import { getReferral, listEvents } from '../../shared/data/referral-repository.js';
import { accessOf, referrerEventView } from '../../shared/domain/referral-access.js';

export const handler = apiRoute('listReferralEvents', {
  load: async ({ caller, params }) => {
    const found = await getReferral(params.id);
    const access = found && accessOf(caller, found.record);
    return found && access ? { record: found.record, access } : undefined;
  },
  run: async ({ resource: { record, access } }) => {
    const events = await listEvents(record.id);
    const items =
      access === 'service'
        ? events.map(({ seq, type, at, occurredAt, organisationId, role, actorId, amhpId, system, data }) => ({ seq, type, at, ...(occurredAt ? { occurredAt } : {}), organisationId, role, ...(actorId ? { actorId } : {}), ...(amhpId ? { amhpId } : {}), system, data }))
        : events.flatMap((e) => referrerEventView(e, record.referrer.organisationId) ?? []);
    return { statusCode: 200, body: { items }, audit: [{ resourceType: 'referral', resourceId: record.id, action: 'read' }] };
  },
});
