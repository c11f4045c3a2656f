/**
 * One concern, the 413/415 stage and malformed JSON (400): a route that takes a body gets it
 * parsed strictly (64 KB, application/json, no duplicate or prototype keys: see
 * ../json-body.ts); a route that takes none refuses one, so nothing is silently ignored. The
 * route's schema checks the parsed value afterwards (validation.ts).
 */
import { parseJsonBody } from '../json-body.js';
import { header } from '../types.js';
import { stateOf, type HubMiddleware } from '../request-state.js';
import { rejectBody } from './no-body.js';

export const jsonBody = (): HubMiddleware => ({
  before: (request) => {
    const state = stateOf(request);
    const { event } = request;
    if (state.route.request?.body) {
      state.json = parseJsonBody(event.body, event.isBase64Encoded, header(event, 'content-type'));
    } else {
      rejectBody(event);
    }
  },
});
