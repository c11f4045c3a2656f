/**
 * One concern, the one error mapper: every error leaves as problem+json, so a client parses
 * one shape. An unknown error is a 500 that carries only the correlation id; its message is not
 * logged (messages can quote data), only its name and where it was thrown.
 */
import { AlreadyExists, DomainError, ReadIncomplete, StaleVersion } from '../../domain/errors.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemBody } from '../problem.js';
import { stateIfStarted, type HubMiddleware } from '../request-state.js';
import { hubBaseUrl } from '../base-url.js';

export const problemResponse = (status: number, body: object, headers: Record<string, string> = {}) => ({
  statusCode: status,
  headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...headers },
  body: JSON.stringify(body),
});

const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalServerError',
  'TransactionConflictException',
  'TransactionInProgressException',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * Throttling, server faults and an unreachable DynamoDB (after the SDK's own retries): the
 * client may retry. A connection reset can hide whether a write landed, so the answer says to
 * retry with the same Idempotency-Key rather than that nothing changed.
 */
const isTransientAwsError = (error: unknown): boolean => {
  const e = error as { name?: string; code?: string; $fault?: string; $retryable?: unknown } | undefined;
  return Boolean(
    e &&
      (TRANSIENT.has(e.name ?? '') ||
        e.$fault === 'server' ||
        e.$retryable ||
        e.name === 'TimeoutError' ||
        NETWORK_CODES.has(e.code ?? '')),
  );
};

/**
 * Where an error was thrown, without what it said: `stack` begins with `name: message`, and a
 * message may run over several lines and quote the request, so the header is cut off exactly
 * and only lines shaped like V8 frames (`at … file:line:col`) are kept.
 */
export function stackFrames(error: Error | null | undefined): string[] {
  if (!error?.stack) return [];
  const header = `${error.name}: ${error.message}`;
  const rest = error.stack.startsWith(header) ? error.stack.slice(header.length) : error.stack;
  return rest
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^at [^\n]*:\d+:\d+\)?$/.test(l))
    .slice(0, 7);
}

/**
 * The HTTP answer to each domain error the data layer throws: a lost create race is a 409, a
 * stale version a 412 (the client reads again), an unfinished read a 503 with Retry-After.
 * Undefined for an error this mapper does not know (it then falls through to a 500).
 */
export function problemOfDomainError(error: DomainError): HttpProblem | undefined {
  const code = error.code ? { code: error.code } : {};
  if (error instanceof AlreadyExists) return new HttpProblem('conflict', error.message, code);
  if (error instanceof StaleVersion) return new HttpProblem('precondition-failed', error.message, code);
  if (error instanceof ReadIncomplete)
    return new HttpProblem('unavailable', error.message, {
      ...code,
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    });
  return undefined;
}

export const mapErrors = (): HubMiddleware => ({
  onError: (request) => {
    const state = stateIfStarted(request);
    const error = request.error;
    const correlationId = state?.correlationId;
    const base = hubBaseUrl(request.event);
    const problem = error instanceof DomainError ? problemOfDomainError(error) : error;
    if (problem instanceof HttpProblem) {
      request.response = problemResponse(problem.status, problem.toBody(correlationId, base), problem.headers);
      return;
    }
    if (isTransientAwsError(error)) {
      state?.log.warn('dependency unavailable', { errorName: error?.name ?? 'unknown' });
      request.response = problemResponse(
        503,
        problemBody(
          'unavailable',
          'A service the Hub depends on is busy or unavailable. Retry shortly, with the same ' +
            'Idempotency-Key for a write.',
          { correlationId, base },
        ),
        { 'Retry-After': '2' },
      );
      return;
    }
    const frames = stackFrames(error);
    state?.log.error('unhandled error', { errorName: error?.name ?? 'unknown', frames });
    request.response = problemResponse(
      500,
      problemBody('internal', 'Something went wrong on our side. Quote the correlation id if you report it.', {
        correlationId,
        base,
      }),
    );
  },
});
