/**
 * One concern, the 403 stage: the route's roles, person-only and system-only actions, then the
 * handler's rule for this resource. It runs after every 4xx that says the request itself is
 * wrong, so a refusal never hides a malformed request and never reveals what exists.
 */
import type { Caller } from '../../identity/caller.js';
import { HttpProblem } from '../problem.js';
import { stateOf, type HubMiddleware, type HubState } from '../request-state.js';

export type Authorizer = (ctx: {
  caller: Caller;
  // biome-ignore lint/suspicious/noExplicitAny: each route's loader gives its own shape; the route's rule narrows it
  resource: any;
  // biome-ignore lint/suspicious/noExplicitAny: path parameters as the route's schema parsed them
  params: any;
  // biome-ignore lint/suspicious/noExplicitAny: the body as the route's schema parsed it
  body: any;
  state: HubState;
}) => void | Promise<void>;

export const forbidden = (detail: string) => new HttpProblem('forbidden', detail);

export const authorize = (rule?: Authorizer): HubMiddleware => ({
  before: async (request) => {
    const state = stateOf(request);
    const auth = state.route.auth;
    const caller = state.caller!;
    if (auth === 'public') return;
    if (!auth.roles.includes(caller.role)) throw forbidden(`The ${caller.role} role may not do this.`);
    if (auth.caller === 'person' && !caller.actorId)
      throw forbidden('This decision must be made by a signed-in person, not a system client.');
    if (auth.caller === 'system' && caller.actorId) throw forbidden('This operation is for system clients.');
    await rule?.({ caller, resource: state.resource, params: state.params, body: state.body, state });
  },
});
