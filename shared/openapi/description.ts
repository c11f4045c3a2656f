/** The prose of the OpenAPI document: the API's description and its tags. */
import { DEFAULT_RATE_LIMIT_SCALES } from '../http/rate-limits.js';

export const API_DESCRIPTION = [
  'Referral intake and data-sharing API for the partner agencies around an AMHP service.',
  '',
  '- **Authentication**: OAuth 2.0 access tokens. Partner systems use the client-credentials grant at the token ' +
    'endpoint; ' +
    'people use the authorization-code grant (with PKCE). Each operation lists the scopes it accepts (any one ' +
    'suffices) ' +
    'and, as `x-roles`, the roles that may use it.',
  '- **Errors** are `application/problem+json` (RFC 9457): `type`, `title`, `status`, `detail`, a `correlationId`, ' +
    'a stable `code` for refusals of a domain rule, and for validation failures `errors: [{ pointer, message }]`. ' +
    'Every `type` resolves to a page at `/problems/<slug>` saying what it means and what to do. Submitted values ' +
    'are never echoed.',
  '- **Content negotiation**: JSON; extracts also CSV (`Accept: text/csv`). An `Accept` the operation cannot meet ' +
    'is 406.',
  '- **Idempotency-Key**: required on creates and accepted on every other write: 8 to 128 of `A-Z a-z 0-9 . _ : ' +
    '-`. A replay ' +
    'with the same key and body returns the first response with `Idempotent-Replayed: true`; the same key with a ' +
    'different ' +
    'body is refused (422). Keys are kept for 24 hours.',
  '- **If-Match**: changes to versioned resources carry the ETag they were based on: 428 when missing, 412 when stale.',
  '- **Timestamps** are RFC 3339: input must carry an offset; output is UTC (`Z`).',
  '- **Lists** return `{ items, nextCursor }`; `limit` is at most 100 and the cursor is opaque.',
  "- **Rate limits**: every authorised answer carries `RateLimit-Policy` with the caller's limits for that operation " +
    '(IETF draft syntax: `"burst";q=<n>;w=1, "sustained";q=<n>;w=60`). The per-client figures are each ' +
    "operation's `x-throttle`; " +
    (`a partner system's usage plan has them as they are (or scaled for that partner), the console's people ` +
      `share one key at `) +
    `${DEFAULT_RATE_LIMIT_SCALES.people}×. Beyond them the answer is 429 with \`Retry-After\` (seconds).`,
  '- **Versioning**: everything under `/v1` changes only additively (new operations, optional fields, new enum ' +
    'values in ' +
    'responses, new event types): ignore what you do not know. A retired operation is marked `deprecated` and ' +
    'answers with ' +
    '`Deprecation` and `Sunset` headers for at least six months before it goes. See CHANGELOG.md.',
].join('\n');

export const TAG_DESCRIPTIONS: Record<string, string> = {
  operations: 'Health of the deployment.',
  documentation: 'This description, its HTML rendering and the problem pages.',
  identity: 'Who the caller is.',
  referrals: 'Referrals for consideration of a Mental Health Act assessment, and their events.',
  capacity: 'Bed availability, places of safety and bed requests.',
  extracts: 'De-identified, disclosure-controlled extracts for analysts (JSON or CSV).',
  'amhp register': "The AMHP service's register of AMHPs.",
  audit: 'Access audit records.',
  feedback: 'Webhook subscriptions and deliveries of feedback on referrals.',
  webhooks: 'Messages the Hub sends to subscribers (Standard Webhooks).',
};
