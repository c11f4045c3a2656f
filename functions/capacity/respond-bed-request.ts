/**
 * POST /v1/bed-requests/{id}/responses: a bed manager answers (offered / identified / none). The
 * answer is kept on the request and appended to the referral's history in one transaction; it
 * changes the referral's `changeSeq`, not its `version`, so no AMHP's update fails because of it.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { forbidden } from '../../shared/http/middleware/authorize.js';
import { bedRequestReplace, getBedRequest, getBedUnit } from '../../shared/data/capacity-repository.js';
import {
  changeItems,
  getReferral,
  StaleChangeSeq,
  subjectOf,
  type StoredEvent,
} from '../../shared/data/referral-repository.js';
import { bedRequestView } from '../../shared/domain/capacity.js';
import { withMilestone } from '../../shared/domain/referral.js';
import { endLadders } from '../../shared/domain/bed-ladder.js';
import { answerWait } from '../../shared/domain/logistics.js';
import { respondBedRequestRoute } from '../routes/respond-bed-request.js';

export const handler = apiRoute(respondBedRequestRoute, {
  load: async ({ caller, params }) => {
    const request = await getBedRequest(params.id);
    return request && caller.lssas.includes(request.lssa) ? request : undefined;
  },
  // A bed manager answers with its own provider's units only (DOMAIN §5): offering another
  // provider's bed would send the AMHP to a ward that never agreed.
  authorize: async ({ caller, body }) => {
    if (!body.unitId) return;
    const unit = await getBedUnit(body.unitId);
    if (unit?.providerId !== caller.organisationId) throw forbidden('Answer with one of your own units.');
  },
  run: async ({ caller, body, resource: request, now, commit }) => {
    if (request.status !== 'open') throw new HttpProblem('conflict', 'This bed request is closed.');
    const at = now.toISOString();
    const found = body.response === 'identified' || body.response === 'out-of-area';
    const answered = {
      ...request,
      version: request.version + 1,
      // A bed found (here or out of area) is the end of the search; offers and "none" leave it open.
      status: found ? ('closed' as const) : request.status,
      responses: [
        ...request.responses,
        {
          response: body.response,
          ...(body.unitId ? { unitId: body.unitId } : {}),
          ...(body.icb ? { icb: body.icb } : {}),
          ...(body.note ? { note: body.note } : {}),
          organisationId: caller.organisationId,
          at,
        },
      ],
    };
    for (let attempt = 0; ; attempt++) {
      const found = await getReferral(request.referralId);
      if (!found) throw new HttpProblem('conflict', 'The referral of this request no longer exists.');
      const { record, personKey } = found;
      const next = {
        ...record,
        changeSeq: record.changeSeq + 1,
        updatedAt: at,
        lastEvent: { type: 'bed-request-answered', at },
        ...(found ? { milestones: withMilestone(record, 'bed-identified', at) } : {}),
      };
      if (found) {
        // The bed wait is answered and this request's ladder stops (DOMAIN §9).
        const waits = answerWait(
          record.logistics ?? [],
          ['bed'],
          body.response === 'out-of-area' ? 'out-of-area' : 'identified',
          at,
          false,
        );
        if (waits.ok && waits.paired) next.logistics = waits.list;
        const ladders = endLadders(record.bedLadders, at, request.id);
        if (ladders) next.bedLadders = ladders;
      }
      const event: StoredEvent = {
        seq: next.changeSeq,
        type: 'bed-request-answered',
        at,
        organisationId: caller.organisationId,
        clientId: caller.clientId,
        role: caller.role,
        ...(caller.actorId ? { actorId: caller.actorId } : {}),
        system: false,
        data: {
          bedRequestId: request.id,
          response: body.response,
          ...(body.unitId ? { unitId: body.unitId } : {}),
          ...(body.icb ? { icb: body.icb } : {}),
          ...(body.note ? { note: body.note } : {}),
        },
        subject: subjectOf(next),
      };
      try {
        return await commit({
          items: [
            bedRequestReplace(answered, request.version),
            ...changeItems(next, record.changeSeq, [event], personKey),
          ],
          result: { statusCode: 200, body: bedRequestView(answered) },
          audit: [{ resourceType: 'referral', resourceId: record.id, action: 'event' }],
        });
      } catch (error) {
        if (!(error instanceof StaleChangeSeq) || attempt >= 4) throw error;
      }
    }
  },
});
