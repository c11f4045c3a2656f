/**
 * One concern: an operation that takes no body refuses one (a 400 validation problem), so nothing
 * sent is silently ignored; a GET's body is ignored, as HTTP gives it no meaning. Its own module so
 * routes that never take a body (the public ones: health, documents, problems) do not bundle the
 * strict JSON parser that json-body.ts needs.
 */
import { HttpProblem } from '../problem.js';
import type { HubMiddleware } from '../request-state.js';

/** A validation problem (400) for a body sent to an operation that takes none (a GET's is ignored). */
export function rejectBody(event: { body?: string | null; httpMethod: string }): void {
  if (event.body && event.body.length > 0 && event.httpMethod !== 'GET') {
    throw new HttpProblem('validation', 'This operation takes no request body.', {
      errors: [{ pointer: '', message: 'not allowed' }],
    });
  }
}

export const noBody = (): HubMiddleware => ({
  before: ({ event }) => rejectBody(event),
});
