/**
 * The stable `code`s a domain refusal carries in its problem details (e.g.
 * `allocation.not-authorised-for-lssa`), listed once: the problem pages show them under their
 * problem type, and a unit test finds every code the domain and handlers use in this list.
 * Clients may switch on a code; a code is never renamed within /v1 (docs/versioning.md).
 */
import type { ExtensionRefusal } from './clocks.js';

export type RefusalProblem = 'conflict' | 'validation' | 'forbidden';

export interface RefusalCode {
  readonly code: string;
  readonly problem: RefusalProblem;
  readonly meaning: string;
}

const EXTENSION_REASONS = [
  'not-extendable',
  'no-running-clock',
  'already-extended',
  'at-in-future',
  'after-expiry',
  'invalid-hours',
  'too-long',
  'not-medical-practitioner',
  'ground-missing',
  'superintendent-approval-required',
] as const satisfies readonly ExtensionRefusal[];
// A new refusal reason in clocks.ts must be listed here (else this line does not compile).
const allListed: [Exclude<ExtensionRefusal, (typeof EXTENSION_REASONS)[number]>] extends [never] ? true : false = true;
void allListed;

export const REFUSAL_CODES: readonly RefusalCode[] = [
  {
    code: 'lifecycle.not-allowed-in-status',
    problem: 'conflict',
    meaning: "The event is not allowed in the referral's current status (e.g. allocating a closed referral).",
  },
  { code: 'allocation.inactive', problem: 'conflict', meaning: "The AMHP is not active on the service's register." },
  {
    code: 'allocation.not-authorised-for-lssa',
    problem: 'conflict',
    meaning: "The AMHP is not authorised for the referral's local authority (LSSA).",
  },
  {
    code: 'allocation.reviewer-separation',
    problem: 'conflict',
    meaning: 'The AMHP who reviewed the referral may not be allocated to assess it.',
  },
  { code: 'allocation.none', problem: 'conflict', meaning: 'No AMHP is allocated yet: allocate one before a second.' },
  {
    code: 'allocation.already-attending',
    problem: 'conflict',
    meaning: 'That AMHP is already allocated to the referral.',
  },
  { code: 'allocation.not-on-register', problem: 'validation', meaning: "No such AMHP on the service's register." },
  {
    code: 'handover.not-allocated',
    problem: 'conflict',
    meaning: 'No AMHP holds the referral: allocate it instead of handing over.',
  },
  { code: 'handover.same-amhp', problem: 'conflict', meaning: 'The referral is already allocated to that AMHP.' },
  {
    code: 'reasons.required',
    problem: 'validation',
    meaning: 'Written reasons to the nearest relative are required (s.13(4) request ending without an application).',
  },
  { code: 'reasons.not-owed', problem: 'conflict', meaning: 'No written reasons are owed on this referral.' },
  {
    code: 'close.reason-not-allowed',
    problem: 'conflict',
    meaning: "That close reason is not allowed in the referral's state.",
  },
  {
    code: 'flag.not-raised',
    problem: 'conflict',
    meaning: 'The flag being acknowledged is not raised on the referral.',
  },
  {
    code: 'children.bed-type-reason',
    problem: 'validation',
    meaning: 'A bed other than CAMHS for a person under 18 needs a reason (s.131A).',
  },
  {
    code: 'correction.no-such-fact',
    problem: 'validation',
    meaning: 'The correction names an event or time that was not recorded.',
  },
  { code: 'time.in-future', problem: 'validation', meaning: 'A time the sender gave is in the future.' },
  {
    code: 'time.runs-backwards',
    problem: 'validation',
    meaning: 'A time precedes, by more than 5 minutes, the fact it follows.',
  },
  {
    code: 'sender.not-permitted',
    problem: 'forbidden',
    meaning: 'This caller (organisation, role or person) may not record this event on this referral.',
  },
  {
    code: 'letter.reasons-not-owed',
    problem: 'conflict',
    meaning: 'No s.13(4) reasons letter is owed on this referral.',
  },
  { code: 'letter.no-outcome', problem: 'conflict', meaning: 'No outcome is recorded yet, so there is no GP letter.' },
  ...EXTENSION_REASONS.map(
    (reason): RefusalCode => ({
      code: `clock.extension-${reason}`,
      problem: 'conflict',
      meaning: `The detention clock cannot be extended: ${reason.replace(/-/g, ' ')}.`,
    }),
  ),
];
