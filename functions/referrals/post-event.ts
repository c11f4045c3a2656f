/**
 * POST /v1/referrals/{id}/events with If-Match: triage, allocation, assessment steps, outcome,
 * withdrawal and the facts that drive the clocks. One transaction writes the new state, its
 * event, the idempotency record and the audit record.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { etagOf } from '../../shared/http/middleware/if-match.js';
import { getAmhp } from '../../shared/data/amhp-repository.js';
import { changeItems, getReferral, StaleChangeSeq, subjectOf, type StoredEvent } from '../../shared/data/referral-repository.js';
import { accessOf } from '../../shared/domain/referral-access.js';
import { actorProblem, closeProblem, transition } from '../../shared/domain/lifecycle.js';
import { eventRuleProblems } from '../../shared/domain/referral-rules.js';
import { checkExtension } from '../../shared/domain/clocks.js';
import { clockFactsOfEvent, recomputeClocks, referrerView, serviceView, withMilestone, type ReferralRecord } from '../../shared/domain/referral.js';
import { isDecisionEvent, RECORDED_EVENT_TYPE, type ReferralEventInput } from '../../shared/schemas/referral-events.js';
import type { Caller } from '../../shared/identity/caller.js';
import { bedRequestPut, type BedRequest } from '../../shared/data/capacity-repository.js';
import { ageBandOf } from '../../shared/domain/capacity.js';
import { ulid } from 'ulid';

/** The bed search's minimum data (DOMAIN §5): age band, sex, bed type, legal status, LSSA. */
function bedRequestOf(r: ReferralRecord, e: Extract<ReferralEventInput, { type: 'bed-requested' }>, now: Date): BedRequest {
  const p = r.person;
  const age = p.identityUnknown ? undefined : Math.floor((now.getTime() - Date.parse(`${p.dateOfBirth}T00:00:00Z`)) / (365.2425 * 86_400_000));
  return {
    id: ulid(now.getTime()),
    referralId: r.id,
    referralReference: r.reference,
    serviceId: r.serviceId,
    ageBand: p.identityUnknown ? p.estimatedAgeBand : ageBandOf(age!),
    sex: e.sex,
    bedType: e.bedType,
    legalStatus: r.legalStatus.status,
    lssa: r.responsibleLssa,
    requestedAt: now.toISOString(),
    status: 'open',
    version: 1,
    responses: [],
  };
}

const conflict = (detail: string) => new HttpProblem('conflict', detail);
const stale = () => new HttpProblem('precondition-failed', 'The referral has changed since you read it: read it again, then decide.');

/** Where the person is held now: the last arrival or transfer, else where the referral said. */
const currentPlaceOfSafety = (r: ReferralRecord): string | undefined => {
  for (const fact of [...r.clockFacts].reverse()) {
    if ((fact.type === 'arrived-at-place-of-safety' || fact.type === 'transferred-between-places-of-safety') && fact.placeOfSafetyType) return fact.placeOfSafetyType;
  }
  const ls = r.legalStatus as { placeOfSafetyType?: string };
  return ls.placeOfSafetyType;
};

/** The decisions that need more than the transition table: the register, the clocks, closing. */
async function checkEvent(r: ReferralRecord, e: ReferralEventInput, at: string, now: Date): Promise<void> {
  if (e.type === 'allocate') {
    const amhp = await getAmhp(e.amhpId);
    if (!amhp || amhp.serviceId !== r.serviceId) {
      throw new HttpProblem('validation', "No such AMHP on this service's register.", { errors: [{ pointer: '/amhpId', message: 'not on the register' }] });
    }
    if (!amhp.active) throw conflict('This AMHP is not active on the register.');
    if (!amhp.authorisedLssas.includes(r.responsibleLssa)) throw conflict("This AMHP is not authorised for the referral's LSSA.");
    if (r.review?.byAmhpId === amhp.amhpId) throw conflict('Separation of duties: the AMHP who reviewed this referral may not be allocated to assess it.');
  }
  if (e.type === 'close') {
    const problem = closeProblem(r.status, e.reason, Boolean(r.withdrawalRequested));
    if (problem) throw conflict(problem);
  }
  if (e.type === 'clock-extended') {
    const placeOfSafetyType = currentPlaceOfSafety(r);
    const verdict = checkExtension(
      r.clockFacts,
      {
        power: e.power,
        at,
        hours: e.hours,
        ground: e.ground,
        byRole: 'registered-medical-practitioner',
        ...(placeOfSafetyType ? { placeOfSafetyType } : {}),
        ...(e.superintendentApproved !== undefined ? { superintendentApproved: e.superintendentApproved } : {}),
      },
      now,
    );
    if (!verdict.ok) throw conflict(`The clock cannot be extended: ${verdict.reason.replace(/-/g, ' ')}.`);
  }
}

/** The new state after this event; pure apart from the time given. */
function apply(r: ReferralRecord, e: ReferralEventInput, caller: Caller, at: string, now: Date): { next: ReferralRecord; event: StoredEvent } {
  const moved = transition(r.status, e.type);
  if (!moved.ok) throw conflict(moved.detail);
  const recordedAt = now.toISOString();
  const by = { ...(caller.actorId ? { byActorId: caller.actorId } : {}) };
  const next: ReferralRecord = {
    ...r,
    status: moved.to,
    version: r.version + 1,
    changeSeq: r.changeSeq + 1,
    updatedAt: recordedAt,
    lastEvent: { type: RECORDED_EVENT_TYPE[e.type], at: recordedAt },
    // Facts reported with a time (occurredAt) count from when they happened.
    milestones: withMilestone(r, RECORDED_EVENT_TYPE[e.type], at),
    escalations: e.type === 'escalated' ? [...(r.escalations ?? []), e.escalationType] : (r.escalations ?? []),
  };
  switch (e.type) {
    case 'start-review':
      next.review = { at: recordedAt, ...by, ...(caller.amhpId ? { byAmhpId: caller.amhpId } : {}) };
      break;
    case 'accept':
      next.triage = { decision: 'accepted', at: recordedAt, reason: e.reason, ...by };
      break;
    case 'not-accept':
      next.triage = { decision: 'not-accepted', at: recordedAt, reason: e.reason, disposition: e.disposition, nextSteps: e.nextSteps, ...by };
      break;
    case 'allocate':
      next.allocation = { amhpId: e.amhpId, expectedAttendanceAt: new Date(e.expectedAttendanceAt).toISOString(), at: recordedAt, ...by };
      break;
    case 'handed-over':
      if (e.toAmhpId) next.allocation = { ...r.allocation!, amhpId: e.toAmhpId, at: recordedAt };
      break;
    case 'record-outcome':
      next.outcome = { outcome: e.outcome, nextSteps: e.nextSteps, ...(e.reasonsInWriting ? { reasonsInWriting: e.reasonsInWriting } : {}), at, ...(caller.amhpId ? { byAmhpId: caller.amhpId } : {}), amendments: 0 };
      break;
    case 'amend-outcome':
      next.outcome = { ...r.outcome!, outcome: e.outcome, nextSteps: e.nextSteps, ...(e.reasonsInWriting ? { reasonsInWriting: e.reasonsInWriting } : {}), amendments: r.outcome!.amendments + 1 };
      break;
    case 'request-withdrawal':
      next.withdrawalRequested = true;
      break;
    case 'close':
      next.closure = { reason: e.reason, at: recordedAt };
      break;
    case 'legal-status-changed':
      next.legalStatus = e.to;
      break;
    default:
      break;
  }
  const facts = clockFactsOfEvent(e, at, currentPlaceOfSafety(r));
  if (facts.length) next.clockFacts = [...r.clockFacts, ...facts];
  next.clocks = recomputeClocks(next.clockFacts, now);
  const { type, ...data } = e as ReferralEventInput & { occurredAt?: string };
  const event: StoredEvent = {
    seq: next.changeSeq,
    type: RECORDED_EVENT_TYPE[type],
    at: recordedAt,
    ...('occurredAt' in e && e.occurredAt ? { occurredAt: new Date(e.occurredAt).toISOString() } : {}),
    organisationId: caller.organisationId,
    clientId: caller.clientId,
    role: caller.role,
    ...(caller.actorId ? { actorId: caller.actorId } : {}),
    ...(caller.amhpId ? { amhpId: caller.amhpId } : {}),
    system: false,
    data,
    subject: subjectOf(next),
  };
  return { next, event };
}

export const handler = apiRoute('postReferralEvent', {
  load: async ({ caller, params }) => {
    const found = await getReferral(params.id);
    const access = found && accessOf(caller, found.record);
    return found && access ? { ...found, access } : undefined;
  },
  authorize: async ({ caller, resource: { record, access }, body }) => {
    const register = caller.amhpId ? await getAmhp(caller.amhpId) : undefined;
    const problem = actorProblem(
      body.type,
      {
        role: caller.role,
        isReferrer: access === 'referrer',
        isService: access === 'service',
        isPerson: Boolean(caller.actorId),
        isDutyReviewer: Boolean(register?.active && register.dutyReviewer && register.serviceId === record.serviceId),
        ...(caller.amhpId ? { callerAmhpId: caller.amhpId } : {}),
        ...(record.allocation ? { allocatedAmhpId: record.allocation.amhpId } : {}),
        ...(record.outcome?.byAmhpId ? { outcomeByAmhpId: record.outcome.byAmhpId } : {}),
      },
      isDecisionEvent(body.type),
    );
    if (problem) throw new HttpProblem('forbidden', problem);
  },
  run: async ({ caller, body, resource, expectedVersion, now, commit }) => {
    let { record, personKey } = resource;
    const problems = eventRuleProblems(body, { now });
    if (problems.length) throw new HttpProblem('validation', 'The event cannot be recorded as sent.', { errors: problems });
    const at = 'occurredAt' in body && body.occurredAt ? new Date(body.occurredAt).toISOString() : now.toISOString();
    // A system event (a clock warning) may land between the read and the write: it changes
    // changeSeq, not version, so it is no reason to refuse the person's change. Re-read and retry.
    for (let attempt = 0; ; attempt++) {
      if (record.version !== expectedVersion) throw stale();
      await checkEvent(record, body, at, now);
      const { next, event } = apply(record, body, caller, at, now);
      const bedRequest = body.type === 'bed-requested' ? bedRequestOf(record, body, now) : undefined;
      if (bedRequest) event.data = { ...event.data, bedRequestId: bedRequest.id };
      try {
        return await commit({
          items: [...changeItems(next, record.changeSeq, [event], personKey), ...(bedRequest ? [bedRequestPut(bedRequest)] : [])],
          result: {
            statusCode: 200,
            headers: { ETag: etagOf(next.version) },
            body: resource.access === 'service' ? serviceView(next, now) : referrerView(next, now),
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
