/**
 * What the one transition (referral-transition.ts) works with: its input and output types, who
 * the sender is for a referral, and the allocation and application checks. Split out of
 * referral-transition.ts by concern; that module re-exports the public part. Pure.
 */
import { actorProblem, type ActorFacts } from './lifecycle.js';
import type { ReferralRecord } from './referral.js';
import { objectionBars, SECTION_OF_OUTCOME, type Application } from './applications.js';
import type { FlagCode, Outcome } from './vocabulary.js';
import type { ReferralEventInput } from '../schemas/referral-events.js';
/** An AMHP's register entry, as far as allocation needs it (DOMAIN §3). */
export interface RegisterEntry {
  readonly amhpId: string;
  readonly serviceId: string;
  readonly active: boolean;
  readonly authorisedLssas: readonly string[];
  readonly dutyReviewer?: boolean;
}

/** Who sends the event. `register` is the caller's own entry, when they have one. */
export interface Sender {
  readonly organisationId: string;
  readonly role: string;
  readonly actorId?: string;
  readonly amhpId?: string;
  readonly register?: RegisterEntry;
}

export interface DecideInput {
  readonly record: ReferralRecord;
  readonly event: ReferralEventInput;
  readonly sender: Sender;
  /** The register entry of the AMHP an allocation, co-allocation or hand-over names (absent: none). */
  readonly target?: RegisterEntry;
  readonly now: Date;
}

export type { RuleProblem } from './pointer.js';
import type { RuleProblem } from './pointer.js';

/** Why an event is refused: `forbidden` 403, `invalid` 400 (names the field), `conflict` 409. */
export interface Refusal {
  readonly kind: 'forbidden' | 'invalid' | 'conflict';
  /** A stable code for the rule (e.g. `allocation.not-authorised-for-lssa`). */
  readonly code: string;
  readonly detail: string;
  readonly errors?: readonly RuleProblem[];
}

/** The event as the domain records it; the handler adds who and the subject. */
export interface RecordedEvent {
  readonly type: string;
  readonly at: string;
  readonly occurredAt?: string;
  readonly data: Record<string, unknown>;
}

export type Decision =
  | {
      readonly ok: true;
      readonly next: ReferralRecord;
      readonly event: RecordedEvent;
      readonly flagsRaised: readonly FlagCode[];
    }
  | Rejection;

/** A refusal as `decide` returns it; the checks below return this narrower type. */
export type Rejection = { readonly ok: false; readonly refusal: Refusal };

export const refuse = (kind: Refusal['kind'], code: string, detail: string, errors?: RuleProblem[]): Rejection => ({
  ok: false,
  refusal: { kind, code, detail, ...(errors ? { errors } : {}) },
});
export const invalid = (code: string, pointer: string, message: string): Rejection =>
  refuse('invalid', code, 'The event cannot be recorded as sent.', [{ pointer, message }]);

/** The facts `actorProblem` needs, from the sender and the referral. */
export function actorFactsOf(sender: Sender, r: ReferralRecord): ActorFacts {
  const isService = sender.organisationId === r.serviceId;
  const reg = sender.register;
  return {
    role: sender.role,
    isReferrer: sender.organisationId === r.referrer.organisationId,
    isService,
    isPerson: sender.actorId !== undefined,
    isDutyReviewer: Boolean(
      isService && reg?.active && reg.dutyReviewer && reg.serviceId === r.serviceId && reg.amhpId === sender.amhpId,
    ),
    ...(sender.amhpId ? { callerAmhpId: sender.amhpId } : {}),
    ...(r.allocation ? { allocatedAmhpId: r.allocation.amhpId } : {}),
    ...(r.outcome?.byAmhpId ? { outcomeByAmhpId: r.outcome.byAmhpId } : {}),
  };
}

/** Who may send it: the one table of lifecycle.ts. Exported for the handler's early 403. */
export function senderRefusal(
  sender: Sender,
  r: ReferralRecord,
  type: ReferralEventInput['type'],
): Refusal | undefined {
  const problem = actorProblem(type, actorFactsOf(sender, r));
  return problem ? { kind: 'forbidden', code: 'sender.not-permitted', detail: problem } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Allocation (DOMAIN §3, §3.1): allocate, co-allocate and hand-over to an AMHP pass every check.

export function allocationRefusal(
  r: ReferralRecord,
  target: RegisterEntry | undefined,
  pointer: string,
): Rejection | undefined {
  if (!target || target.serviceId !== r.serviceId)
    return refuse('invalid', 'allocation.not-on-register', "No such AMHP on this service's register.", [
      { pointer, message: 'not on the register' },
    ]);
  if (!target.active) return refuse('conflict', 'allocation.inactive', 'This AMHP is not active on the register.');
  if (!target.authorisedLssas.includes(r.responsibleLssa))
    return refuse(
      'conflict',
      'allocation.not-authorised-for-lssa',
      "This AMHP is not authorised for the referral's LSSA.",
    );
  if (r.review?.byAmhpId === target.amhpId)
    return refuse(
      'conflict',
      'allocation.reviewer-separation',
      'Separation of duties: the AMHP who reviewed this referral may not be allocated to assess it.',
    );
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Applications (DOMAIN §3.1, §3.2).

export type ApplicationFields = Pick<Application, 'hospital' | 'guardian' | 'recommendations' | 'amhpSeenOn'>;
export const detailsOf = (a: ApplicationFields | undefined): ApplicationFields => ({
  ...(a?.hospital ? { hospital: a.hospital } : {}),
  ...(a?.guardian ? { guardian: a.guardian } : {}),
  ...(a?.recommendations ? { recommendations: a.recommendations } : {}),
  ...(a?.amhpSeenOn ? { amhpSeenOn: a.amhpSeenOn } : {}),
});

export const objectionRefusal = (): Rejection =>
  refuse(
    'conflict',
    'nearest-relative.objection',
    'The nearest relative objected to this application and has not been displaced (s.11(4)): an s.3 or ' +
      'guardianship application cannot be made.',
  );

/** The outcome's application, or a refusal: s.3 and guardianship are barred after an objection. */
export function applicationOfOutcome(
  r: ReferralRecord,
  outcome: Outcome,
  details: ApplicationFields | undefined,
  at: string,
  seq: number,
  byAmhpId: string | undefined,
): { application?: Application } | { refused: Rejection } {
  const section = SECTION_OF_OUTCOME[outcome];
  if (!section) return {};
  if (objectionBars(section, r.nearestRelativeStatus)) return { refused: objectionRefusal() };
  return {
    application: { section, at, seq, origin: 'outcome', ...(byAmhpId ? { byAmhpId } : {}), ...detailsOf(details) },
  };
}
