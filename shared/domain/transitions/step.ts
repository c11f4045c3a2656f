/**
 * What one event's decider works with and returns (DOMAIN §3). `decide` in
 * ../referral-transition.ts does what every event shares (who may send it, the lifecycle, the
 * counters and milestones), hands the draft to the event's own decider, then settles what every
 * event shares again (requests and answers, the chain of times, the clocks, the flags).
 * A decider is pure: it returns a new draft or a refusal, and mutates nothing it is given.
 */
import type { ClockFact } from '../clocks.js';
import type { ReferralRecord } from '../referral.js';
import type { RegisterEntry, Rejection, Sender } from '../transition-support.js';
import type { FlagCode } from '../vocabulary.js';
import type { ReferralEventInput, ReferralEventInputType } from '../../schemas/referral-events.js';

/** The event of one type, narrowed from the union, so a decider reads its own fields. */
export type EventOf<T extends ReferralEventInputType> = Extract<ReferralEventInput, { type: T }>;

/** What every decider is given. */
export interface StepInput<E extends ReferralEventInput = ReferralEventInput> {
  /** The referral as it stood before the event. */
  readonly r: ReferralRecord;
  /** The referral after the shared part: status moved, counters, milestones and escalations. */
  readonly next: ReferralRecord;
  readonly e: E;
  readonly sender: Sender;
  /** The register entry of the AMHP an allocation, co-allocation or hand-over names. */
  readonly target: RegisterEntry | undefined;
  readonly now: Date;
  /** When it happened: `occurredAt` when the event reports one, else `recordedAt`. */
  readonly at: string;
  /** When the Hub records it: decisions made in the Hub take this time. */
  readonly recordedAt: string;
  /** The event's sequence number on the referral (application and clock facts carry it). */
  readonly seq: number;
  /** The person who decided, as recorded beside a decision (absent for a machine client). */
  readonly by: { readonly byActorId?: string };
}

/** The event is accepted: the new draft and what it adds to what settles after it. */
export interface Step {
  readonly ok: true;
  readonly next: ReferralRecord;
  /** The clock facts before this event's own are added (absent: the referral's, unchanged). */
  readonly facts?: ClockFact[];
  /** Flags the event itself raises (beyond those the settled state holds). */
  readonly raised?: readonly FlagCode[];
  /** The application or its evidence changed: its evidence flags are checked again. */
  readonly evidenceChanged?: boolean;
  /** Recorded in the event's data beside what was sent. */
  readonly data?: Record<string, unknown>;
}

/** A refused event: `decide` returns the refusal as it is. */
export type { Rejection };

/**
 * A decider for one event type. One that serves several types (e.g. both ways of reaching a
 * place of safety) is typed by its parameter, `StepInput<EventOf<A | B>>`, instead: TypeScript
 * compares two `Decider<…>` by their type argument and cannot see through `Extract` that a
 * decider for A or B serves A.
 */
export type Decider<T extends ReferralEventInputType> = (input: StepInput<EventOf<T>>) => Step | Rejection;

/**
 * One decider per event type. A mapped type rather than `Record<type, Decider>`: each entry is
 * checked against its own event's fields, and an event type added to the schema without a
 * decider here fails to compile.
 */
export type DeciderTable = { readonly [T in ReferralEventInputType]: Decider<T> };

/** Accept the event with this draft (and what else it adds). */
export const accepted = (next: ReferralRecord, more: Omit<Step, 'ok' | 'next'> = {}): Step => ({
  ok: true,
  next,
  ...more,
});

/** For events whose effect is all in the shared part (status, milestone, clock facts, requests). */
export const unchanged = ({ next }: StepInput): Step => accepted(next);

/** The AMHP who sends it, as recorded beside an application, a review or an outcome. */
export const byAmhp = (sender: Sender): { byAmhpId?: string } => (sender.amhpId ? { byAmhpId: sender.amhpId } : {});

export const iso = (s: string): string => new Date(s).toISOString();
