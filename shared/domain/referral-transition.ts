/**
 * The one transition function for events people and partner systems send to a referral
 * (DOMAIN §2, §3, §3.1, §4): (state, event, who sends it, the register, now) → the new state,
 * its clocks and flags and the event to record, or the refusal. Pure: no I/O, no ambient time.
 * The handler loads what this needs, calls `decide`, and commits what it returns.
 *
 * The principle (§3.1): the Hub **refuses what the Hub decides** — who may act (403), the
 * lifecycle and allocation (409), times that run backwards (400) — and **records and flags what
 * happened** in the world (arrivals, places, applications made on paper).
 */
import { checkExtension, ORDER_TOLERANCE_MS, type ClockFact } from './clocks.js';
import { ARRIVAL_OF_REQUEST, corrected, firstChainBreak, LEGAL_STATUS_TIME_OF } from './fact-chain.js';
import { closeProblem, transition } from './lifecycle.js';
import {
  applicationFactsOfOutcome,
  clockFactsOfEvent,
  recomputeClocks,
  withMilestone,
  type ReferralRecord,
} from './referral.js';
import { dwellingFlags, placeFlagsHolding, placeOfLegalStatus, reconcileFlags, updateFlags } from './referral-flags.js';
import { evidenceFlags, nearestRelativeFlagsHolding, objectionBars, owesReasons } from './applications.js';
import { eventRuleProblems, isUnder18At } from './referral-rules.js';
import { EVIDENCE_FLAGS, type FlagCode } from './vocabulary.js';
import { applyLogistics } from './logistics.js';
import { endLadders } from './bed-ladder.js';
import {
  allocationRefusal,
  applicationOfOutcome,
  detailsOf,
  invalid,
  objectionRefusal,
  refuse,
  senderRefusal,
  type Decision,
  type DecideInput,
} from './transition-support.js';
import { RECORDED_EVENT_TYPE, type ReferralEventInput } from '../schemas/referral-events.js';

// Split by concern (each file ≤ 400 lines); the types and the sender check stay importable here.
export {
  actorFactsOf,
  senderRefusal,
  type DecideInput,
  type Decision,
  type RecordedEvent,
  type Refusal,
  type RegisterEntry,
  type RuleProblem,
  type Sender,
} from './transition-support.js';

// ---------------------------------------------------------------------------------------------

const iso = (s: string) => new Date(s).toISOString();

/** The one transition: see the header. */
export function decide({ record: r, event: e, sender, target, now }: DecideInput): Decision {
  const who = senderRefusal(sender, r, e.type);
  if (who) return { ok: false, refusal: who };

  const future = eventRuleProblems(e, { now });
  if (future.length) return refuse('invalid', 'time.in-future', 'The event cannot be recorded as sent.', future);

  const toTeam = e.type === 'handed-over' && e.toTeam !== undefined;
  const moved = transition(r, e.type, toTeam);
  if (!moved.ok) return refuse('conflict', 'lifecycle.not-allowed-in-status', moved.detail);

  const recordedAt = now.toISOString();
  const at = 'occurredAt' in e && e.occurredAt ? iso(e.occurredAt) : recordedAt;
  const seq = r.changeSeq + 1;
  const recordedType = RECORDED_EVENT_TYPE[e.type];
  const by = sender.actorId ? { byActorId: sender.actorId } : {};

  const next: ReferralRecord = {
    ...r,
    status: moved.to,
    version: r.version + 1,
    changeSeq: seq,
    updatedAt: recordedAt,
    lastEvent: { type: recordedType, at: recordedAt },
    // Facts reported with a time (occurredAt) count from when they happened.
    milestones: withMilestone(r, recordedType, at),
    escalations: e.type === 'escalated' ? [...(r.escalations ?? []), e.escalationType] : (r.escalations ?? []),
  };
  let facts: ClockFact[] = [...r.clockFacts];
  const raised: FlagCode[] = [];
  /** The application or its evidence changed: its flags are checked again. */
  let evidenceChanged = false;
  const data: Record<string, unknown> = {};

  switch (e.type) {
    case 'start-review':
      next.review = { at: recordedAt, ...by, ...(sender.amhpId ? { byAmhpId: sender.amhpId } : {}) };
      break;
    case 'accept':
      next.triage = { decision: 'accepted', at: recordedAt, reason: e.reason, ...by };
      break;
    case 'not-accept':
      next.triage = {
        decision: 'not-accepted',
        at: recordedAt,
        reason: e.reason,
        disposition: e.disposition,
        nextSteps: e.nextSteps,
        ...by,
      };
      break;
    case 'allocate': {
      const refused = allocationRefusal(r, target, '/amhpId');
      if (refused) return refused;
      next.allocation = { amhpId: e.amhpId, expectedAttendanceAt: iso(e.expectedAttendanceAt), at: recordedAt, ...by };
      // The allocated AMHP is no longer a second AMHP beside themselves.
      if (r.coAllocations?.some((c) => c.amhpId === e.amhpId))
        next.coAllocations = r.coAllocations.filter((c) => c.amhpId !== e.amhpId);
      break;
    }
    case 'co-allocate': {
      const refused = allocationRefusal(r, target, '/amhpId');
      if (refused) return refused;
      if (!r.allocation) return refuse('conflict', 'allocation.none', 'Allocate an AMHP before a second one.');
      if (r.allocation.amhpId === e.amhpId || r.coAllocations?.some((c) => c.amhpId === e.amhpId))
        return refuse('conflict', 'allocation.already-attending', 'This AMHP is already allocated to this referral.');
      next.coAllocations = [...(r.coAllocations ?? []), { amhpId: e.amhpId, at: recordedAt, ...by }];
      break;
    }
    case 'handed-over': {
      data.fromAmhpId = r.allocation?.amhpId ?? null;
      if (e.toAmhpId !== undefined) {
        if (!r.allocation)
          return refuse('conflict', 'handover.not-allocated', 'No AMHP holds this referral: allocate it instead.');
        if (r.allocation.amhpId === e.toAmhpId)
          return refuse('conflict', 'handover.same-amhp', 'The referral is already allocated to this AMHP.');
        const refused = allocationRefusal(r, target, '/toAmhpId');
        if (refused) return refused;
        next.allocation = { ...r.allocation, amhpId: e.toAmhpId, at: recordedAt, ...by };
        if (r.coAllocations?.some((c) => c.amhpId === e.toAmhpId))
          next.coAllocations = r.coAllocations.filter((c) => c.amhpId !== e.toAmhpId);
      } else {
        // To a team: the receiving lead allocates (DOMAIN §3.1).
        delete next.allocation;
        delete next.coAllocations;
      }
      break;
    }
    case 'record-outcome': {
      if (owesReasons(r.basis, e.outcome, undefined) && e.reasonsForNearestRelative === undefined)
        return invalid(
          'reasons.required',
          '/reasonsForNearestRelative',
          "required: no application follows the nearest relative's request (s.13(4))",
        );
      const made = applicationOfOutcome(r, e.outcome, e.application, at, seq, sender.amhpId);
      if ('refused' in made) return made.refused;
      next.outcome = {
        outcome: e.outcome,
        nextSteps: e.nextSteps,
        ...(e.reasonsInWriting ? { reasonsInWriting: e.reasonsInWriting } : {}),
        ...(e.reasonsForNearestRelative ? { reasonsForNearestRelative: e.reasonsForNearestRelative } : {}),
        at,
        ...(sender.amhpId ? { byAmhpId: sender.amhpId } : {}),
        amendments: 0,
      };
      if (made.application) next.application = made.application;
      evidenceChanged = true;
      facts.push(...applicationFactsOfOutcome(e.outcome, at, seq));
      break;
    }
    case 'amend-outcome': {
      const outcome = r.outcome!;
      const application = r.application?.origin === 'application-made' ? r.application : undefined;
      if (owesReasons(r.basis, e.outcome, application) && e.reasonsForNearestRelative === undefined)
        return invalid(
          'reasons.required',
          '/reasonsForNearestRelative',
          "required: no application follows the nearest relative's request (s.13(4))",
        );
      const made = applicationOfOutcome(
        r,
        e.outcome,
        e.application ?? (r.application?.origin === 'outcome' ? r.application : undefined),
        outcome.at,
        seq,
        outcome.byAmhpId,
      );
      if ('refused' in made) return made.refused;
      next.outcome = {
        ...outcome,
        outcome: e.outcome,
        nextSteps: e.nextSteps,
        amendments: outcome.amendments + 1,
      };
      delete next.outcome.reasonsInWriting;
      delete next.outcome.reasonsForNearestRelative;
      if (e.reasonsInWriting) next.outcome.reasonsInWriting = e.reasonsInWriting;
      if (e.reasonsForNearestRelative) next.outcome.reasonsForNearestRelative = e.reasonsForNearestRelative;
      // The amended outcome's application replaces the first one's (an application made later
      // on the no-bed pathway stands): an amendment to detained-s2 ends the s.136 clock as the
      // outcome would have, and no false breach follows.
      if (made.application) next.application = made.application;
      else if (!application) delete next.application;
      evidenceChanged = true;
      facts = [
        ...facts.filter((f) => f.origin !== 'outcome'),
        ...applicationFactsOfOutcome(e.outcome, outcome.at, seq),
      ];
      break;
    }
    case 'application-made':
      if (objectionBars(e.section, r.nearestRelativeStatus)) return objectionRefusal();
      next.application = {
        section: e.section,
        at,
        seq,
        origin: 'application-made',
        ...(sender.amhpId ? { byAmhpId: sender.amhpId } : {}),
        ...detailsOf(e),
      };
      evidenceChanged = true;
      break;
    case 'nearest-relative-identified': {
      const { person: _p, ...rest } = r.nearestRelativeStatus ?? {};
      const person =
        e.identity === 'person' && e.name
          ? {
              name: e.name,
              ...(e.relationship ? { relationship: e.relationship } : {}),
              ...(e.contact ? { contact: e.contact } : {}),
            }
          : undefined;
      next.nearestRelativeStatus = { ...rest, identity: e.identity, ...(person ? { person } : {}) };
      break;
    }
    case 'nearest-relative-informed':
      next.nearestRelativeStatus = { ...r.nearestRelativeStatus, informedAt: at };
      break;
    case 'nearest-relative-consulted':
      next.nearestRelativeStatus = { ...r.nearestRelativeStatus, consulted: { at, objects: e.objects } };
      break;
    case 'nearest-relative-not-practicable':
      next.nearestRelativeStatus = { ...r.nearestRelativeStatus, notPracticable: { at, reason: e.reason } };
      break;
    case 'nearest-relative-displaced': {
      // s.29: the acting nearest relative is now the nearest relative; the displaced one's
      // consultation (and objection) no longer stands.
      // A pending application dated after this order is still pending (the clocks replay by time).
      const pendingAfter =
        r.nearestRelativeStatus?.displacementPendingAt && r.nearestRelativeStatus.displacementPendingAt > at;
      const { consulted: _c, displacementPendingAt: pending, ...rest } = r.nearestRelativeStatus ?? {};
      if (pendingAfter) Object.assign(rest, { displacementPendingAt: pending });
      const acting = e.acting;
      next.nearestRelativeStatus = {
        ...rest,
        identity: 'person',
        displacedAt: at,
        person: {
          name: acting.name,
          ...(acting.relationship ? { relationship: acting.relationship } : {}),
          ...(acting.contact ? { contact: acting.contact } : {}),
        },
      };
      break;
    }
    case 'displacement-applied':
      // An application dated before an order already recorded was disposed of by it (found by
      // the model-based test: the status must follow the times, as the s.2 clock does).
      if (!(r.nearestRelativeStatus?.displacedAt && r.nearestRelativeStatus.displacedAt >= at))
        next.nearestRelativeStatus = { ...r.nearestRelativeStatus, displacementPendingAt: at };
      break;
    case 'reasons-sent':
      if (!owesReasons(r.basis, r.outcome?.outcome, r.application))
        return refuse(
          'conflict',
          'reasons.not-owed',
          "No written reasons are owed: this is not a nearest relative's request that ended without an application.",
        );
      next.reasonsSent = { at, method: e.method };
      break;
    case 'gp-letter-sent':
      next.gpLetterSent = { at, method: e.method };
      break;
    case 'request-withdrawal':
      next.withdrawalRequested = true;
      break;
    case 'close': {
      const problem = closeProblem(r.status, e.reason, Boolean(r.withdrawalRequested));
      if (problem) return refuse('conflict', 'close.reason-not-allowed', problem);
      next.closure = { reason: e.reason, at: recordedAt };
      break;
    }
    case 'legal-status-changed': {
      next.legalStatus = e.to;
      const place = placeOfLegalStatus(e.to, undefined);
      if (place) next.placeOfSafety = place;
      raised.push(...dwellingFlags(e.to));
      break;
    }
    case 'arrived-at-place-of-safety':
    case 'transferred-between-places-of-safety':
      next.placeOfSafety = {
        type: e.placeOfSafetyType,
        since: at,
        inspectorAuthorised: e.inspectorAuthorisation !== undefined,
        ...(e.siteId ? { siteId: e.siteId } : {}),
      };
      break;
    case 'clock-extended': {
      const verdict = checkExtension(
        r.clockFacts,
        {
          power: e.power,
          at,
          hours: e.hours,
          ground: e.ground,
          byRole: e.authorisedBy.role,
          ...(r.placeOfSafety ? { placeOfSafetyType: r.placeOfSafety.type } : {}),
          ...(e.superintendentApproved !== undefined ? { superintendentApproved: e.superintendentApproved } : {}),
        },
        now,
      );
      if (!verdict.ok)
        return refuse(
          'conflict',
          `clock.extension-${verdict.reason}`,
          `The clock cannot be extended: ${verdict.reason.replace(/-/g, ' ')}.`,
        );
      break;
    }
    case 's12-doctor-requested':
    case 'conveyance-requested':
    case 'police-requested':
    case 'interpreter-requested':
      next.factTimes = { ...(r.factTimes ?? {}), [e.type]: at };
      break;
    case 'bed-requested': {
      // s.131A: a person under 18 needs an environment suitable for their age (DOMAIN §3.1).
      if (isUnder18At(r.person, at) && e.bedType !== 'camhs') {
        if (e.reasonForBedType === undefined)
          return invalid(
            'children.bed-type-reason',
            '/reasonForBedType',
            'required when a person under 18 needs a bed other than camhs (s.131A)',
          );
        raised.push('under-18-bed-type');
      }
      break;
    }
    case 'fact-corrected': {
      if (e.field === 'application') {
        if (!r.application || r.application.seq !== e.eventSeq)
          return invalid('correction.no-such-fact', '/eventSeq', 'no application recorded by that event');
        const { hospital: _h, guardian: _g, recommendations: _r, amhpSeenOn: _a, ...kept } = r.application;
        next.application = { ...kept, ...detailsOf(e.application) };
        evidenceChanged = true;
        break;
      }
      const value = iso(e.value!);
      if (Date.parse(value) > now.getTime() + ORDER_TOLERANCE_MS)
        return invalid('time.in-future', '/value', 'a time in the future');
      const fixed = corrected(r.clockFacts, e.eventSeq, e.field, value);
      if (!fixed) return invalid('correction.no-such-fact', '/field', 'no time of that name recorded by that event');
      if (firstChainBreak(fixed) !== undefined && firstChainBreak(r.clockFacts) === undefined)
        return invalid(
          'time.runs-backwards',
          '/value',
          'the corrected time would precede, by more than 5 minutes, the fact it follows',
        );
      facts = fixed;
      break;
    }
    case 'flag-acknowledged': {
      const flag = r.flags?.find((f) => f.code === e.flag && !f.resolvedAt);
      if (!flag) return refuse('conflict', 'flag.not-raised', 'That flag is not raised on this referral.');
      next.flags = r.flags!.map((f) =>
        f === flag ? { ...f, resolvedAt: recordedAt, resolution: 'acknowledged' as const } : f,
      );
      break;
    }
    default:
      break;
  }

  // Requests and what answers them (DOMAIN §9): an answer pairs with the longest-waiting open
  // request of its cause and may not precede it. A record kept before the pairs existed has only
  // the last request's time: an answer is checked against that.
  const waits = applyLogistics(r.logistics ?? [], e, at, seq);
  if (!waits.ok) return invalid('time.runs-backwards', waits.pointer, waits.message);
  if (waits.list.length) next.logistics = waits.list;
  // A bed found stops the bed-finding ladder (DOMAIN §9): nothing further escalates.
  if (e.type === 'bed-identified' && r.bedLadders?.length) next.bedLadders = endLadders(r.bedLadders, at)!;
  const requestType = ARRIVAL_OF_REQUEST[e.type];
  const requestedAt = requestType && !r.logistics?.length ? r.factTimes?.[requestType] : undefined;
  if (requestedAt && Date.parse(at) < Date.parse(requestedAt) - ORDER_TOLERANCE_MS)
    return invalid('time.runs-backwards', '/occurredAt', 'precedes, by more than 5 minutes, the request it answers');

  facts = [...facts, ...clockFactsOfEvent(e, at, seq, r.placeOfSafety?.type)];
  // Whatever this event added (an arrival, an outcome's application), the chain still runs
  // forwards; a chain already broken before (data older than this rule) does not block.
  const broken = firstChainBreak(facts);
  if (broken !== undefined && firstChainBreak(r.clockFacts) === undefined) {
    const pointer =
      e.type === 'legal-status-changed' ? (LEGAL_STATUS_TIME_OF[facts[broken]!.type] ?? '/to') : '/occurredAt';
    return invalid('time.runs-backwards', pointer, 'precedes, by more than 5 minutes, the fact it follows');
  }
  next.clockFacts = facts;
  next.clocks = recomputeClocks(facts, now);

  const holding = [
    ...placeFlagsHolding(r.person, next.placeOfSafety, next.clocks, at),
    ...nearestRelativeFlagsHolding(next.application, next.nearestRelativeStatus, {
      owed: owesReasons(next.basis, next.outcome?.outcome, next.application),
      sent: next.reasonsSent !== undefined,
    }),
  ];
  // Evidence flags are checked when the application or its evidence changes; the lead may
  // acknowledge one in between without it coming back at the next event.
  let evidence: ReturnType<typeof reconcileFlags> = { flags: next.flags ?? [], raised: [] };
  if (evidenceChanged)
    evidence = reconcileFlags(
      next.flags,
      EVIDENCE_FLAGS,
      next.application ? evidenceFlags(next.application) : [],
      recordedAt,
      seq,
    );
  const flagged = updateFlags(evidence.flags, holding, raised, recordedAt, seq);
  flagged.raised.unshift(...evidence.raised);
  next.flags = flagged.flags;
  if (next.flags.length === 0) delete next.flags;

  const { type: _type, ...sent } = e as ReferralEventInput & { occurredAt?: string };
  return {
    ok: true,
    next,
    event: {
      type: recordedType,
      at: recordedAt,
      ...('occurredAt' in e && e.occurredAt ? { occurredAt: at } : {}),
      data: { ...sent, ...data, ...(flagged.raised.length ? { flagsRaised: flagged.raised } : {}) },
    },
    flagsRaised: flagged.raised,
  };
}

export { firstChainBreak } from './fact-chain.js';
export { intakeFlags, receive, type Intake } from './referral-intake.js';
