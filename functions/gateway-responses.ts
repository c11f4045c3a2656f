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
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX';

export interface GatewayResponseDef {
  readonly type: GatewayResponseType;
  readonly status: number;
  readonly kind: ProblemKind;
  readonly detail: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export const GATEWAY_RESPONSES: readonly GatewayResponseDef[] = [
  { type: 'UNAUTHORIZED', status: 401, kind: 'unauthorized', detail: 'A valid access token with a scope this method accepts is required.', headers: { 'WWW-Authenticate': 'Bearer' } },
  { type: 'ACCESS_DENIED', status: 403, kind: 'forbidden', detail: 'Access denied.' },
  // API Gateway answers an unknown path with 403 "Missing Authentication Token"; a client
  // expects 404 for a path that does not exist.
  { type: 'MISSING_AUTHENTICATION_TOKEN', status: 404, kind: 'not-found', detail: 'No such resource.' },
  { type: 'THROTTLED', status: 429, kind: 'too-many-requests', detail: 'Rate limit exceeded for this client.', headers: { 'Retry-After': '1' } },
  { type: 'QUOTA_EXCEEDED', status: 429, kind: 'too-many-requests', detail: 'Quota exceeded for this client.', headers: { 'Retry-After': '60' } },
  { type: 'REQUEST_TOO_LARGE', status: 413, kind: 'payload-too-large', detail: 'The request body is too large.' },
  { type: 'WAF_FILTERED', status: 403, kind: 'forbidden', detail: 'The request was blocked.' },
  { type: 'DEFAULT_4XX', status: 400, kind: 'validation', detail: 'The request could not be processed.' },
  { type: 'DEFAULT_5XX', status: 500, kind: 'internal', detail: 'Internal error.' },
];

/** The body template: API Gateway substitutes `$context.requestId` into `correlationId`. */
export const gatewayResponseBody = (def: GatewayResponseDef, requestId = '$context.requestId'): Record<string, unknown> => ({
  type: problemType(def.kind),
  title: PROBLEM_KINDS[def.kind].title,
  status: def.status,
  detail: def.detail,
  correlationId: requestId,
});

export const gatewayResponse = (type: GatewayResponseType): GatewayResponseDef => {
  const def = GATEWAY_RESPONSES.find((r) => r.type === type);
  if (!def) throw new Error(`No gateway response ${type}`);
  return def;
};

export const GATEWAY_CONTENT_TYPE = PROBLEM_CONTENT_TYPE;
