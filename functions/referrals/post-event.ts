/**
 * POST /v1/referrals/{id}/events with If-Match: load → decide → commit. Every rule is the
 * domain's (`decide` in shared/domain/referral-transition.ts); this handler loads what it needs
 * (the referral, the caller's and any named AMHP's register entries), maps a refusal to its
 * problem, and commits the new state, its event, the idempotency record and the audit record
 * (and a bed request) in one transaction.
 */
import { ulid } from 'ulid';
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem, type ProblemKind } from '../../shared/http/problem.js';
import { etagOf } from '../../shared/http/middleware/if-match.js';
import { getAmhp } from '../../shared/data/amhp-repository.js';
import {
  changeItems,
  getReferral,
  StaleChangeSeq,
  subjectOf,
  type StoredEvent,
} from '../../shared/data/referral-repository.js';
import { bedRequestPut, type BedRequest } from '../../shared/data/capacity-repository.js';
import { accessOf, detailOf, referralView } from '../../shared/domain/referral-access.js';
import {
  decide,
  senderRefusal,
  type Refusal,
  type RegisterEntry,
  type Sender,
} from '../../shared/domain/referral-transition.js';
import { ageBandAt, type ReferralRecord } from '../../shared/domain/referral.js';
import { ladderOf, startLadder } from '../../shared/domain/bed-ladder.js';
import { getOrganisation } from '../../shared/data/registry-repository.js';
import { eventRuleProblems } from '../../shared/domain/referral-rules.js';
import type { ReferralEventInput } from '../../shared/schemas/referral-events.js';
import type { Caller } from '../../shared/identity/caller.js';
import { postReferralEventRoute } from '../routes/post-referral-event.js';

const PROBLEM_OF: Record<Refusal['kind'], ProblemKind> = {
  forbidden: 'forbidden',
  invalid: 'validation',
  conflict: 'conflict',
};
const problemOf = (r: Refusal) =>
  new HttpProblem(PROBLEM_OF[r.kind], r.detail, { code: r.code, ...(r.errors ? { errors: [...r.errors] } : {}) });
const stale = () =>
  new HttpProblem('precondition-failed', 'The referral has changed since you read it: read it again, then decide.');

const senderOf = (caller: Caller, register: RegisterEntry | undefined): Sender => ({
  organisationId: caller.organisationId,
  role: caller.role,
  ...(caller.actorId ? { actorId: caller.actorId } : {}),
  ...(caller.amhpId ? { amhpId: caller.amhpId } : {}),
  ...(register ? { register } : {}),
});

/** The AMHP an event names for allocation, if any. */
const namedAmhpOf = (e: ReferralEventInput): string | undefined =>
  e.type === 'allocate' || e.type === 'co-allocate' ? e.amhpId : e.type === 'handed-over' ? e.toAmhpId : undefined;

/** The bed search's minimum data (DOMAIN §5): age band, sex, bed type, legal status, LSSA. */
function bedRequestOf(
  r: ReferralRecord,
  e: Extract<ReferralEventInput, { type: 'bed-requested' }>,
  requestedAt: Date,
): BedRequest {
  return {
    id: ulid(),
    referralId: r.id,
    referralReference: r.reference,
    serviceId: r.serviceId,
    ageBand: ageBandAt(r.person, requestedAt),
    sex: e.sex,
    bedType: e.bedType,
    legalStatus: r.legalStatus.status,
    lssa: r.responsibleLssa,
    requestedAt: requestedAt.toISOString(),
    status: 'open',
    version: 1,
    responses: [],
  };
}

export const handler = apiRoute(postReferralEventRoute, {
  // The caller's own register entry is read beside the referral, once: the sender check and the
  // decision both need it (it was read twice, one after the other).
  load: async ({ caller, params }) => {
    const [found, register] = await Promise.all([
      getReferral(params.id),
      caller.amhpId ? getAmhp(caller.amhpId) : undefined,
    ]);
    const access = found && accessOf(caller, found.record);
    return found && access ? { ...found, access, register } : undefined;
  },
  authorize: async ({ caller, resource: { record, register }, body }) => {
    const refusal = senderRefusal(senderOf(caller, register), record, body.type);
    if (refusal) throw problemOf(refusal);
  },
  run: async ({ caller, body, resource, expectedVersion, now, commit }) => {
    let { record, personKey } = resource;
    const { register } = resource;
    const future = eventRuleProblems(body, { now });
    if (future.length)
      throw new HttpProblem('validation', 'The event cannot be recorded as sent.', {
        code: 'time.in-future',
        errors: future,
      });
    const named = namedAmhpOf(body);
    const target = named ? await getAmhp(named) : undefined;
    const sender = senderOf(caller, register);
    // A bed request starts the service's bed-finding ladder (DOMAIN §9; the default without one).
    const ladder =
      body.type === 'bed-requested' ? ladderOf((await getOrganisation(record.serviceId))?.bedLadder) : undefined;
    // The answer shows what the caller may see of the referral after the change (DOMAIN §1):
    // an AMHP who just handed over, or is not allocated, gets the minimal view.
    const viewer = {
      caller,
      dutyReviewer: Boolean(register?.active && register.dutyReviewer && register.serviceId === caller.organisationId),
    };
    // A system event (a clock warning) may land between the read and the write: it changes
    // changeSeq, not version, so it is no reason to refuse the person's change. Re-read and retry.
    for (let attempt = 0; ; attempt++) {
      if (record.version !== expectedVersion) throw stale();
      const decision = decide({ record, event: body, sender, ...(target ? { target } : {}), now });
      if (!decision.ok) throw problemOf(decision.refusal);
      // The age band on the day the bed was asked for: the same instant the s.131A check used.
      const bedRequest =
        body.type === 'bed-requested'
          ? bedRequestOf(record, body, new Date(decision.event.occurredAt ?? now))
          : undefined;
      const started =
        bedRequest && ladder
          ? startLadder(ladder, bedRequest.id, bedRequest.requestedAt, bedRequest.bedType)
          : undefined;
      const next = started
        ? { ...decision.next, bedLadders: [...(decision.next.bedLadders ?? []), started] }
        : decision.next;
      const event: StoredEvent = {
        seq: next.changeSeq,
        ...decision.event,
        // Each ladder step with its target time is on the record from the start (DOMAIN §9).
        data: {
          ...decision.event.data,
          ...(bedRequest ? { bedRequestId: bedRequest.id } : {}),
          ...(started ? { ladder: started.steps } : {}),
        },
        organisationId: caller.organisationId,
        clientId: caller.clientId,
        role: caller.role,
        ...(caller.actorId ? { actorId: caller.actorId } : {}),
        ...(caller.amhpId ? { amhpId: caller.amhpId } : {}),
        system: false,
        subject: subjectOf(next),
      };
      try {
        return await commit({
          items: [
            ...changeItems(next, record.changeSeq, [event], personKey),
            ...(bedRequest ? [bedRequestPut(bedRequest)] : []),
          ],
          result: {
            statusCode: 200,
            headers: { ETag: etagOf(next.version) },
            body: referralView(detailOf(viewer, next) ?? 'minimal', next, now),
          },
          audit: [{ resourceType: 'referral', resourceId: record.id, action: 'event' }],
        });
      } catch (error) {
        if (!(error instanceof StaleChangeSeq) || attempt >= 4) throw error instanceof StaleChangeSeq ? stale() : error;
        const fresh = await getReferral(record.id);
        if (!fresh) throw error;
        ({ record, personKey } = fresh);
      }
    }
  },
});
