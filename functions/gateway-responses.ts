/**
 * Responses API Gateway makes itself (before any handler runs), customised to problem+json.
 * CDK turns each into a GatewayResponse; the local adapter answers with the same bodies, so a
 * client sees one error shape whoever produced it. `$context.requestId` is filled in by API
 * Gateway; the adapter substitutes its own request id.
 */
import { problemType, PROBLEM_CONTENT_TYPE, type ProblemKind, PROBLEM_KINDS } from '../shared/http/problem.js';

export type GatewayResponseType =
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'THROTTLED'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'WAF_FILTERED'
  | 'INVALID_API_KEY'
  | 'EXPIRED_TOKEN'
  | 'INVALID_SIGNATURE'
  | 'RESOURCE_NOT_FOUND'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'BAD_REQUEST_BODY'
  | 'BAD_REQUEST_PARAMETERS'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX';

export interface GatewayResponseDef {
  readonly type: GatewayResponseType;
  /** Absent on the DEFAULT_* catch-alls: API Gateway then keeps the status it chose. */
  readonly status?: number;
  readonly kind: ProblemKind;
  readonly detail: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export const GATEWAY_RESPONSES: readonly GatewayResponseDef[] = [
  {
    type: 'UNAUTHORIZED',
    status: 401,
    kind: 'unauthorized',
    detail: 'A valid access token with a scope this method accepts is required.',
    headers: { 'WWW-Authenticate': 'Bearer' },
  },
  { type: 'ACCESS_DENIED', status: 403, kind: 'forbidden', detail: 'Access denied.' },
  // API Gateway answers an unknown path with 403 "Missing Authentication Token"; a client
  // expects 404 for a path that does not exist.
  { type: 'MISSING_AUTHENTICATION_TOKEN', status: 404, kind: 'not-found', detail: 'No such resource.' },
  {
    type: 'THROTTLED',
    status: 429,
    kind: 'too-many-requests',
    detail: 'Rate limit exceeded for this client.',
    headers: { 'Retry-After': '1' },
  },
  {
    type: 'QUOTA_EXCEEDED',
    status: 429,
    kind: 'too-many-requests',
    detail: 'Quota exceeded for this client.',
    headers: { 'Retry-After': '60' },
  },
  { type: 'REQUEST_TOO_LARGE', status: 413, kind: 'payload-too-large', detail: 'The request body is too large.' },
  { type: 'WAF_FILTERED', status: 403, kind: 'forbidden', detail: 'The request was blocked.' },
  { type: 'INVALID_API_KEY', status: 403, kind: 'forbidden', detail: 'A valid API key for this client is required.' },
  {
    type: 'EXPIRED_TOKEN',
    status: 401,
    kind: 'unauthorized',
    detail: 'The access token has expired.',
    headers: { 'WWW-Authenticate': 'Bearer' },
  },
  { type: 'INVALID_SIGNATURE', status: 401, kind: 'unauthorized', detail: 'The request signature is not valid.' },
  { type: 'RESOURCE_NOT_FOUND', status: 404, kind: 'not-found', detail: 'No such resource.' },
  {
    type: 'UNSUPPORTED_MEDIA_TYPE',
    status: 415,
    kind: 'unsupported-media-type',
    detail: 'Send the body as application/json.',
  },
  { type: 'BAD_REQUEST_BODY', status: 400, kind: 'validation', detail: 'The request body is invalid.' },
  { type: 'BAD_REQUEST_PARAMETERS', status: 400, kind: 'validation', detail: 'The request parameters are invalid.' },
  { type: 'INTEGRATION_FAILURE', status: 502, kind: 'internal', detail: 'Internal error.' },
  {
    type: 'INTEGRATION_TIMEOUT',
    status: 504,
    kind: 'unavailable',
    detail: 'The request took too long; it may or may not have been applied. Retry with the same Idempotency-Key.',
  },
  // Catch-alls keep the status API Gateway chose, so their body names no status.
  { type: 'DEFAULT_4XX', kind: 'validation', detail: 'The request could not be processed.' },
  { type: 'DEFAULT_5XX', kind: 'internal', detail: 'Internal error.' },
];

/**
 * The body template: API Gateway substitutes `$context.requestId` into `correlationId` and its
 * domain and stage into the type URI (so it resolves to the problem page of that stage).
 */
export const gatewayResponseBody = (
  def: GatewayResponseDef,
  requestId = '$context.requestId',
  status = def.status,
  base = 'https://$context.domainName/$context.stage',
): Record<string, unknown> => ({
  type: problemType(def.kind, base),
  title: PROBLEM_KINDS[def.kind].title,
  ...(status !== undefined ? { status } : {}),
  detail: def.detail,
  correlationId: requestId,
});

export const gatewayResponse = (type: GatewayResponseType): GatewayResponseDef => {
  const def = GATEWAY_RESPONSES.find((r) => r.type === type);
  if (!def) throw new Error(`No gateway response ${type}`);
  return def;
};

export const GATEWAY_CONTENT_TYPE = PROBLEM_CONTENT_TYPE;
