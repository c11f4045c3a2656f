/**
 * One concern, the 401 stage: the authorizer's verified claims must resolve to a registered
 * caller. It runs before anything else reads the request, so an unknown caller learns nothing.
 */
import { resolveCaller, type Claims } from '../../identity/caller.js';
import { stateOf, type HubMiddleware } from '../request-state.js';

export const callerFromClaims = (): HubMiddleware => ({
  before: async (request) => {
    const state = stateOf(request);
    const claims = request.event.requestContext?.authorizer?.claims as Claims | undefined;
    state.caller = await resolveCaller(claims);
    state.log.appendPersistentKeys({ organisationId: state.caller.organisationId, clientId: state.caller.clientId });
  },
});
