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
import { transition } from './lifecycle.js';
import { withMilestone, type ReferralRecord } from './referral.js';
import { eventRuleProblems } from './referral-rules.js';
import { refuse, senderRefusal, type Decision, type DecideInput } from './transition-support.js';
import { settle } from './transitions/settle.js';
import { iso, type Decider, type StepInput } from './transitions/step.js';
import { DECIDERS } from './transitions/table.js';
import type { ReferralEventInput } from '../schemas/referral-events.js';
import { RECORDED_EVENT_TYPE } from '../schemas/recorded-event-type.js';

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

/**
 * The one transition: see the header. What every event shares runs here and in settle.ts; what
 * one event type does is its decider's (transitions/table.ts names it).
 */
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

  const next: ReferralRecord = {
    ...r,
    status: moved.to,
    version: r.version + 1,
    changeSeq: seq,
    updatedAt: recordedAt,
    lastEvent: { type: recordedType, at: recordedAt },
    // Facts reported with a time (occurredAt) count from when they happened.
    milestones: withMilestone(r, recordedType, at),
    escalations: r.escalations ?? [],
  };
  const by = sender.actorId ? { byActorId: sender.actorId } : {};
  const input: StepInput = { r, next, e, sender, target, now, at, recordedAt, seq, by };
  // The table gives each type its own decider; TypeScript cannot pair a union-typed event with
  // the entry its own type selects, so the lookup is widened once here.
  const step = (DECIDERS[e.type] as Decider<ReferralEventInput['type']>)(input);
  return step.ok ? settle(input, step, recordedType) : step;
}

export { firstChainBreak } from './fact-chain.js';
export { intakeFlags, receive, type Intake } from './referral-intake.js';
