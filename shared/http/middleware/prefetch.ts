/**
 * One concern: a read the handler will need whatever the caller turns out to be, started before
 * caller resolution so the two overlap (one round trip instead of two on the request path).
 * Nothing it reads reaches a response until every check has passed: the handler awaits it after
 * authorisation, and a request refused earlier simply drops it.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { stateOf, type HubMiddleware } from '../request-state.js';

export type Prefetch = (event: APIGatewayProxyEvent) => Promise<unknown>;

export const prefetch = (read?: Prefetch): HubMiddleware => ({
  before: (request) => {
    if (!read) return;
    const pending = read(request.event);
    // A request refused before the handler never awaits it: its failure must not surface as an
    // unhandled rejection. The handler awaits the same promise and sees any failure itself.
    pending.catch(() => undefined);
    stateOf(request).prefetched = pending;
  },
});
