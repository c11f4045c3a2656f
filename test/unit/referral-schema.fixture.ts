/**
 * Shared setup and helpers of referral-schema-create.test.ts, referral-schema-events.test.ts; its hooks run in every
 * file that imports it.
 */
import { REFERRAL_CREATE_EXAMPLE, ReferralCreate } from '../../shared/schemas/referral.js';
import { referralRuleProblems } from '../../shared/domain/referral-rules.js';
import { HttpProblem, type FieldProblem } from '../../shared/http/problem.js';
import { parseOrThrow } from '../../shared/http/validation.js';

// J1: the referral is posted at 23:40; "now" is a minute later.
export const NOW = new Date('2026-11-14T23:41:00Z');
export const CTX = { now: NOW, servedLssas: ['E06000055', 'E06000056'] } as const;
export const inMinutes = (m: number): string => new Date(NOW.getTime() + m * 60_000).toISOString();

/** Bodies here are deliberately untyped JSON: the point is to send what the types forbid. */
export type Json = any;

export const example = (): Json => structuredClone(REFERRAL_CREATE_EXAMPLE);

/** The handler's path: parse (with parseOrThrow's per-key expansion), then the context rules. */
export function problemsOf(body: unknown, ctx: Parameters<typeof referralRuleProblems>[1] = CTX): FieldProblem[] {
  try {
    return referralRuleProblems(parseOrThrow(ReferralCreate, 'body', body), ctx);
  } catch (e) {
    if (e instanceof HttpProblem) return e.errors ?? [];
    throw e;
  }
}
export const pointersOf = (body: unknown, ctx?: Parameters<typeof referralRuleProblems>[1]): string[] =>
  problemsOf(body, ctx)
    .map((p) => p.pointer)
    .sort();

export const segments = (pointer: string): string[] => pointer.split('/').slice(1);
export function setAt(body: Json, pointer: string, value: unknown): Json {
  const keys = segments(pointer);
  let node = body;
  for (const k of keys.slice(0, -1)) node = node[k];
  node[keys[keys.length - 1]!] = value;
  return body;
}
export function deleteAt(body: Json, pointer: string): Json {
  const keys = segments(pointer);
  let node = body;
  for (const k of keys.slice(0, -1)) node = node[k];
  delete node[keys[keys.length - 1]!];
  return body;
}
export const edit = (...changes: [string, unknown][]): Json => {
  const body = example();
  for (const [pointer, value] of changes) {
    if (value === undefined) deleteAt(body, pointer);
    else setAt(body, pointer, value);
  }
  return body;
};

export const UNIDENTIFIED = {
  identityUnknown: true,
  description: 'White man, slim build, grey hoodie; gives no name.',
  estimatedAgeBand: '25-34',
  sex: 'male',
  ethnicity: '99',
};
export const AUTHORISED = { authorisedAt: '2026-11-14T23:30:00Z', ground: 'imminent-risk-of-serious-injury-or-death' };
export const AT_POLICE_STATION: [string, unknown][] = [
  ['/location', { type: 'police-station', siteId: 'FORCE-A-CENTRAL' }],
  ['/legalStatus/placeOfSafetyType', 'police-station'],
  ['/legalStatus/placeOfSafetySiteId', 'FORCE-A-CENTRAL'],
];
