/**
 * What every accepted event settles after its own decider (DOMAIN §3.1, §4, §9): the requests
 * it answers, the chain of times (which must still run forwards), the clocks recomputed from
 * the facts, the flags the new state holds, and the event as recorded. Shared by every event
 * type, so no decider can forget it.
 */
import { evidenceFlags, nearestRelativeFlagsHolding, owesReasons } from '../applications.js';
import { firstChainBreak, LEGAL_STATUS_TIME_OF } from '../fact-chain.js';
import { clockFactsOfEvent, recomputeClocks, type ReferralRecord } from '../referral.js';
import { placeFlagsHolding, reconcileFlags, updateFlags, type Flag } from '../referral-flags.js';
import { invalid, type Decision, type RecordedEvent } from '../transition-support.js';
import { EVIDENCE_FLAGS, type FlagCode } from '../vocabulary.js';
import type { ReferralEventInput } from '../../schemas/referral-events.js';
import { pairAnswers } from './requests.js';
import type { Rejection, Step, StepInput } from './step.js';

/**
 * The clock facts after the event. Whatever this event added (an arrival, an outcome's
 * application), the chain still runs forwards; a chain already broken before (data older than
 * this rule) does not block.
 */
function clocksAfter(
  { r, e, at, seq, now }: StepInput,
  step: Step,
): Pick<ReferralRecord, 'clockFacts' | 'clocks'> | Rejection {
  const facts = [...(step.facts ?? r.clockFacts), ...clockFactsOfEvent(e, at, seq, r.placeOfSafety?.type)];
  const broken = firstChainBreak(facts);
  if (broken !== undefined && firstChainBreak(r.clockFacts) === undefined) {
    const pointer =
      e.type === 'legal-status-changed' ? (LEGAL_STATUS_TIME_OF[facts[broken]!.type] ?? '/to') : '/occurredAt';
    return invalid('time.runs-backwards', pointer, 'precedes, by more than 5 minutes, the fact it follows');
  }
  return { clockFacts: facts, clocks: recomputeClocks(facts, now) };
}

/**
 * The flags the settled state holds, and the codes newly raised (evidence first). Evidence
 * flags are checked when the application or its evidence changes; the lead may acknowledge one
 * in between without it coming back at the next event.
 */
function flagsAfter(
  { r, at, recordedAt, seq }: StepInput,
  next: ReferralRecord,
  step: Step,
): { flags: Flag[]; raised: FlagCode[] } {
  const holding = [
    ...placeFlagsHolding(r.person, next.placeOfSafety, next.clocks, at),
    ...nearestRelativeFlagsHolding(next.application, next.nearestRelativeStatus, {
      owed: owesReasons(next.basis, next.outcome?.outcome, next.application),
      sent: next.reasonsSent !== undefined,
    }),
  ];
  const evidence = step.evidenceChanged
    ? reconcileFlags(
        next.flags,
        EVIDENCE_FLAGS,
        next.application ? evidenceFlags(next.application) : [],
        recordedAt,
        seq,
      )
    : { flags: next.flags ?? [], raised: [] };
  const flagged = updateFlags(evidence.flags, holding, step.raised ?? [], recordedAt, seq);
  return { flags: flagged.flags, raised: [...evidence.raised, ...flagged.raised] };
}

/** The event as recorded: what was sent (but its type), what the decider adds, the flags raised. */
function recorded(
  { e, at, recordedAt }: StepInput,
  recordedType: string,
  step: Step,
  raised: FlagCode[],
): RecordedEvent {
  const { type: _type, ...sent } = e as ReferralEventInput & { occurredAt?: string };
  return {
    type: recordedType,
    at: recordedAt,
    ...('occurredAt' in e && e.occurredAt ? { occurredAt: at } : {}),
    data: { ...sent, ...step.data, ...(raised.length ? { flagsRaised: raised } : {}) },
  };
}

/** The decision for an event its decider accepted, or the refusal a shared check makes. */
export function settle(input: StepInput, step: Step, recordedType: string): Decision {
  const paired = pairAnswers(input.r, step.next, input.e, input.at, input.seq);
  if ('refusal' in paired) return paired;
  const clocks = clocksAfter(input, step);
  if ('refusal' in clocks) return clocks;
  const withClocks: ReferralRecord = { ...paired, ...clocks };
  const { flags, raised } = flagsAfter(input, withClocks, step);
  const { flags: _f, ...next } = withClocks;
  return {
    ok: true,
    next: flags.length ? { ...withClocks, flags } : next,
    event: recorded(input, recordedType, step, raised),
    flagsRaised: raised,
  };
}
