/**
 * One concern: the handler function. Middy calls it with the event and the context only, never
 * the request, so this last `before` puts the request's state on the context, as middy's own
 * `setToContext` options do; the handler reads it back with `handlerState(context)`.
 */
import { handState, type HubMiddleware } from '../request-state.js';

export const handToHandler = (): HubMiddleware => ({ before: handState });
