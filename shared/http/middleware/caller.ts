/** 401 stage: the verified claims must resolve to a registered caller. */
import { resolveCaller, type Claims } from '../../identity/caller.js';
import { stateOf, type HubMiddleware } from '../types.js';

export const callerFromClaims = (): HubMiddleware => ({
  before: async (request) => {
    const state = stateOf(request);
    const claims = request.event.requestContext?.authorizer?.claims as Claims | undefined;
    state.caller = await resolveCaller(claims);
    state.log.appendPersistentKeys({ organisationId: state.caller.organisationId, clientId: state.caller.clientId });
  },
});
