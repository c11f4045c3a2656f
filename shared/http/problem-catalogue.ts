/**
 * The problem catalogue: every problem `type` the Hub answers with, what it means and what to
 * do, and the domain `code`s it can carry. One list: the error middleware's kinds
 * (PROBLEM_KINDS), the pages at `/problems/{slug}` and the OpenAPI document all read it, and
 * typing it by ProblemKind means a new kind cannot ship without its page.
 */
import { PROBLEM_KINDS, type ProblemKind } from './problem.js';
import { REFUSAL_CODES, type RefusalCode } from '../domain/refusal-codes.js';

export interface ProblemEntry {
  readonly meaning: string;
  readonly action: string;
  /** Whether repeating the same request can succeed (after waiting, or as a replay). */
  readonly retry: 'yes' | 'no' | 'after-change';
}

export const PROBLEM_CATALOGUE: Readonly<Record<ProblemKind, ProblemEntry>> = {
  validation: {
    meaning:
      'The request does not match the schema or a rule of the domain; `errors` lists each field with a JSON Pointer.',
    action:
      'Correct the fields named in `errors` (never their values: details do not echo what was sent) and send again.',
    retry: 'after-change',
  },
  unauthorized: {
    meaning: 'The access token is missing, invalid or expired, or lacks a scope this operation accepts.',
    action:
      'Get a new token from the token endpoint with a scope the operation lists, and send it as `Authorization: ' +
      'Bearer`.',
    retry: 'after-change',
  },
  forbidden: {
    meaning: "The caller's role, organisation or person may not do this here (or the API key is not valid).",
    action:
      'Check `x-roles` of the operation and your data-sharing agreement; ask the AMHP service if you need access.',
    retry: 'no',
  },
  'not-found': {
    meaning: 'No such resource, or it is not visible to this caller (the Hub does not say which).',
    action: 'Check the id and that your organisation may see the resource.',
    retry: 'no',
  },
  'method-not-allowed': {
    meaning: 'The resource does not support this method.',
    action: 'Use a method the OpenAPI document lists for the path.',
    retry: 'no',
  },
  'not-acceptable': {
    meaning: 'None of the media types in `Accept` is one this operation can answer with.',
    action: 'Send `Accept: application/json` (or `text/csv` where an extract offers it), or omit Accept.',
    retry: 'after-change',
  },
  conflict: {
    meaning:
      "The request conflicts with the resource's current state: an illegal transition or a rule of the domain. " +
      '`code` says which.',
    action:
      'Read the resource again, check the `code` below, and decide again; repeating the same request will not succeed.',
    retry: 'after-change',
  },
  'precondition-failed': {
    meaning: 'The If-Match version is stale: someone changed the resource since you read it.',
    action: 'Read the resource again (GET), then send your change with its current ETag as If-Match.',
    retry: 'after-change',
  },
  'payload-too-large': {
    meaning: 'The request body is larger than 64 KB.',
    action: 'Shorten free text; attachments are not accepted.',
    retry: 'after-change',
  },
  'unsupported-media-type': {
    meaning: 'The request body is not `application/json`.',
    action: 'Send the body as JSON with `Content-Type: application/json`.',
    retry: 'after-change',
  },
  'idempotency-key-reused': {
    meaning: 'This Idempotency-Key was already used in the last 24 hours with a different request.',
    action: 'Use a new key (a UUID) for a new request; reuse a key only to retry the very same request.',
    retry: 'after-change',
  },
  'precondition-required': {
    meaning: 'This change needs an If-Match header naming the version it is based on.',
    action: 'Read the resource, then send If-Match with its ETag.',
    retry: 'after-change',
  },
  'too-many-requests': {
    meaning: "The caller's rate limit for this operation is used up (see the RateLimit-Policy header).",
    action: 'Wait the Retry-After seconds, then retry (writes with the same Idempotency-Key); spread requests out.',
    retry: 'yes',
  },
  internal: {
    meaning: 'An unexpected error on the Hub. Nothing about the request is disclosed.',
    action:
      'Retry a write with the same Idempotency-Key; if it persists, report the `correlationId` to the AMHP service.',
    retry: 'yes',
  },
  unavailable: {
    meaning: 'The Hub or a service it depends on is busy or unavailable; the change may or may not have been applied.',
    action: 'Wait the Retry-After seconds and retry, with the same Idempotency-Key for a write.',
    retry: 'yes',
  },
};

export const PROBLEM_SLUGS = Object.keys(PROBLEM_KINDS) as ProblemKind[];

export const isProblemSlug = (slug: string): slug is ProblemKind => Object.hasOwn(PROBLEM_KINDS, slug);

/** The domain codes a problem type can carry. */
export const codesOf = (kind: ProblemKind): readonly RefusalCode[] => REFUSAL_CODES.filter((c) => c.problem === kind);
