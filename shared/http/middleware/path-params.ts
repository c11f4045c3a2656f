/**
 * One concern, the first 404 stage: the path parameters must match the route's schema. An id
 * that cannot exist is simply not found; its shape says nothing useful to a client, so this is
 * a 404 and not a 400.
 */
import { HttpProblem } from '../problem.js';
import { stateOf, type HubMiddleware } from '../request-state.js';
import { safeParseAny } from '../validation.js';

export const NOT_FOUND_DETAIL = 'No such resource, or it is not visible to you.';

export const pathParams = (): HubMiddleware => ({
  before: (request) => {
    const state = stateOf(request);
    const schema = state.route.request?.params;
    if (!schema) return;
    const parsed = safeParseAny(schema, request.event.pathParameters ?? {});
    if (!parsed.success) throw new HttpProblem('not-found', NOT_FOUND_DETAIL);
    state.params = parsed.data;
  },
});
