/**
 * One concern: how every response leaves, error or not: the security headers, the correlation
 * id, and the one access-log line per request (ids and codes only). It runs on both paths so no
 * answer, not even a 500, leaves without them.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { CORRELATION_HEADER } from './correlation.js';
import { stateIfStarted, type HubMiddleware, type HubRequest } from '../request-state.js';

const SECURITY_HEADERS: Record<string, string> = {
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};
// The docs page is self-contained HTML with inline styles and nothing else.
const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

const finish = (request: HubRequest): void => {
  const state = stateIfStarted(request);
  const response: APIGatewayProxyResult = request.response ?? { statusCode: 500, body: '' };
  const headers = { ...SECURITY_HEADERS, ...(response.headers ?? {}) } as Record<string, string | number | boolean>;
  if (String(headers['Content-Type'] ?? '').startsWith('text/html')) headers['Content-Security-Policy'] = HTML_CSP;
  if (state) headers[CORRELATION_HEADER] = state.correlationId;
  request.response = { ...response, headers };
  if (!state) return;
  const fields = {
    status: response.statusCode,
    method: request.event.httpMethod,
    durationMs: Date.now() - state.startedAt,
    ...(state.caller
      ? { organisationId: state.caller.organisationId, clientId: state.caller.clientId, role: state.caller.role }
      : {}),
  };
  if (response.statusCode >= 500) state.log.error('request failed', fields);
  else state.log.info('request', fields);
};

export const finishResponse = (): HubMiddleware => ({ after: finish, onError: finish });
