/**
 * One concern, the 428 stage: If-Match for optimistic concurrency. It only reads the version a
 * client names (428 when a route requires one, 412 when it names none we could have issued);
 * the version is compared again in the write's condition (412), where it cannot race.
 */
import { HttpProblem } from '../problem.js';
import { header } from '../types.js';
import { stateOf, type HubMiddleware } from '../request-state.js';

const ETAG = /^(?:W\/)?"(\d{1,15})"$/;

export const etagOf = (version: number): string => `"${version}"`;

export const ifMatch = (): HubMiddleware => ({
  before: (request) => {
    const state = stateOf(request);
    const value = header(request.event, 'if-match');
    // Routes that create-or-replace read If-Match when sent; routes that only change require it.
    if (!value && !state.route.request?.ifMatch) return;
    if (!value)
      throw new HttpProblem('precondition-required', 'Send If-Match with the ETag of the version you are changing.');
    const match = ETAG.exec(value.trim());
    // An If-Match that names no version we could have issued cannot match any version.
    if (!match)
      throw new HttpProblem('precondition-failed', 'If-Match does not name a current version of this resource.');
    state.expectedVersion = Number(match[1]);
  },
});
