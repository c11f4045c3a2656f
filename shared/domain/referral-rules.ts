/**
 * The refusal rules of DOMAIN §2 that look across fields or need context. Pure: the clock and
 * the served LSSAs are passed in. Every rule names the field by JSON Pointer and never echoes
 * the submitted value (§8).
 *
 * Two entry points:
 * - `crossFieldIssues(body)`: rules that need only the body (s.13(4)'s nearest relative). The `ReferralCreate` schema
 * runs it as a
 *   refinement, so `safeParse` alone refuses these.
 * - `referralRuleProblems(body, { now, servedLssas })`: rules that need context; the handler
 *   runs it after a successful parse. It does not repeat the schema's rules.
 */
import { pointerOf, type RuleProblem as FieldProblem } from './pointer.js';
// Ages and birthdays are English calendar dates (a detention at 23:30 UTC in BST is the next day).
import { londonDate } from './london-time.js';
import type { Person, ReferralCreate, ReferralCreateFields } from '../schemas/referral.js';
import type { ReferralEventInput } from '../schemas/referral-events.js';

/** §2: "a time in the future (> 5 min skew)" is refused. */
export const FUTURE_SKEW_MS = 5 * 60 * 1000;

export interface RuleIssue {
  readonly path: readonly string[];
  readonly message: string;
}

/** Whole years between a date of birth and a date (both `YYYY-MM-DD`). */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * s.136A: a child is anyone under 18; an unidentified person counts as one when they appear to
 * be (`appearsUnder18`) or are estimated so (`0-17`), because the law protects the doubtful case.
 * Age is taken on the English date of `at` (for a detention: the detention time).
 */
export function isUnder18At(person: Person, at: string): boolean {
  if (person.identityUnknown === true) return person.appearsUnder18 === true || person.estimatedAgeBand === '0-17';
  return ageOn(person.dateOfBirth, londonDate(new Date(at))) < 18;
}

/** The body-only cross-field rules; run by the `ReferralCreate` schema. */
export function crossFieldIssues(body: ReferralCreateFields): RuleIssue[] {
  // The place-of-safety rules of s.136A and the 2017 Regulations are recorded and flagged, not
  // refused (DOMAIN §2, §3.1): see referral-flags.ts.
  const issues: RuleIssue[] = [];
  // s.13(4): the request is the nearest relative's, and if no application follows the reasons
  // must go to them in writing (§2, §3), so they must be known and reachable.
  if (body.basis === 's13-4') {
    const nr = body.nearestRelative;
    if (nr === undefined)
      issues.push({ path: ['nearestRelative'], message: 'required for a nearest relative request (basis s13-4)' });
    else {
      if (!nr.known)
        issues.push({
          path: ['nearestRelative', 'known'],
          message: 'must be true for a nearest relative request (basis s13-4)',
        });
      if (nr.name === undefined)
        issues.push({
          path: ['nearestRelative', 'name'],
          message: 'required for a nearest relative request (basis s13-4)',
        });
      if (nr.contact === undefined)
        issues.push({
          path: ['nearestRelative', 'contact'],
          message: 'required for a nearest relative request (basis s13-4)',
        });
    }
  }
  return issues;
}

/** Every `…At` instant in a value with its path (the naming convention of referral.ts). */
function instantsOf(value: unknown, path: string[] = [], out: { path: string[]; value: string }[] = []) {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) instantsOf(v, [...path, String(i)], out);
  } else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k.endsWith('At') && typeof v === 'string') out.push({ path: [...path, k], value: v });
      else instantsOf(v, [...path, k], out);
    }
  return out;
}

function futureProblems(value: unknown, now: Date, forwardLooking: ReadonlySet<string> = new Set()): FieldProblem[] {
  const limit = now.getTime() + FUTURE_SKEW_MS;
  return instantsOf(value)
    .filter((t) => !forwardLooking.has(t.path[t.path.length - 1]!) && Date.parse(t.value) > limit)
    .map((t) => ({ pointer: pointerOf(t.path), message: 'a time in the future' }));
}

export interface ReferralRuleContext {
  readonly now: Date;
  /** The LSSA codes this Hub serves (the registry's `lssas`). */
  readonly servedLssas: readonly string[];
}

/** §2's refusals that need the clock or the registry. Empty when the referral may be stored. */
export function referralRuleProblems(input: ReferralCreate, ctx: ReferralRuleContext): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!ctx.servedLssas.includes(input.responsibleLssa))
    problems.push({ pointer: '/responsibleLssa', message: 'not a local authority this Hub serves' });
  if (input.person.identityUnknown !== true && input.person.dateOfBirth > londonDate(ctx.now))
    problems.push({ pointer: '/person/dateOfBirth', message: 'a date of birth in the future' });
  problems.push(...futureProblems(input, ctx.now));
  return problems;
}

/** An event's past instants must not be in the future; `expectedAttendanceAt` is a plan, so it may be. */
const EVENT_FORWARD_LOOKING = new Set(['expectedAttendanceAt']);

export function eventRuleProblems(input: ReferralEventInput, ctx: { readonly now: Date }): FieldProblem[] {
  return futureProblems(input, ctx.now, EVENT_FORWARD_LOOKING);
}
