/**
 * The one error mapper: every error leaves as problem+json. An unknown error is a 500 that
 * carries only the correlation id; its message is not logged (messages can quote data), only
 * its name and where it was thrown.
 */
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemBody } from '../problem.js';
import { stateOf, type HubMiddleware } from '../types.js';

export const problemResponse = (status: number, body: object, headers: Record<string, string> = {}) => ({
  statusCode: status,
  headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...headers },
  body: JSON.stringify(body),
});

export const mapErrors = (): HubMiddleware => ({
  onError: (request) => {
    const state = stateOf(request);
    const error = request.error;
    const correlationId = state?.correlationId;
    if (error instanceof HttpProblem) {
      request.response = problemResponse(error.status, error.toBody(correlationId), error.headers);
      return;
    }
    const frames = (error?.stack ?? '').split('\n').slice(1, 8).map((l) => l.trim());
    state?.log.error('unhandled error', { errorName: error?.name ?? 'unknown', frames });
    request.response = problemResponse(
      500,
      problemBody('internal', 'Something went wrong on our side. Quote the correlation id if you report it.', { correlationId }),
    );
  },
});
