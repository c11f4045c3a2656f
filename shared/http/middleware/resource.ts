/**
 * One concern, the second 404 stage: the resource the path names is loaded for the caller.
 * Absent and not visible are the same answer, so a caller cannot learn what exists elsewhere.
 */
import type { Caller } from '../../identity/caller.js';
import { HttpProblem } from '../problem.js';
import { stateOf, type HubMiddleware, type HubState } from '../request-state.js';
import { NOT_FOUND_DETAIL } from './path-params.js';

// biome-ignore lint/suspicious/noExplicitAny: path parameters as each route's schema parsed them
export type Loader = (ctx: { caller: Caller; params: any; state: HubState }) => Promise<unknown | undefined>;

export const resource = (load?: Loader): HubMiddleware => ({
  before: async (request) => {
    if (!load) return;
    const state = stateOf(request);
    const found = await load({ caller: state.caller!, params: state.params, state });
    if (found === undefined) throw new HttpProblem('not-found', NOT_FOUND_DETAIL);
    state.resource = found;
  },
});
