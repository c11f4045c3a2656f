import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { handToHandler } from '../../../shared/http/middleware/hand-to-handler.js';
import {
  handlerState,
  stateIfStarted,
  stateOf,
  type HubContext,
  type HubMiddleware,
} from '../../../shared/http/request-state.js';
import { context, event, given, ok, route, stateFor } from './harness.js';

describe('hand-to-handler middleware and the request state', () => {
  it('gives the handler function the state the middlewares built', async () => {
    const state = stateFor(route(), { expectedVersion: 3 });
    const seen = await middy()
      .use(given(state))
      .use(handToHandler())
      .handler(async (_event: unknown, ctx: HubContext) => handlerState(ctx))(event(), context());
    expect(seen).toBe(state);
  });

  it('keeps each request its own state, even concurrently', async () => {
    const r = route();
    const handler = middy()
      .use({
        before: (request) => void given(stateFor(r, { correlationId: String(request.event.path) })).before!(request),
      } satisfies HubMiddleware)
      .use(handToHandler())
      .handler(async (_event: unknown, ctx: HubContext) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return handlerState(ctx).correlationId;
      });
    const ids = await Promise.all(['/a', '/b', '/c'].map((path) => handler(event({ path }), context())));
    expect(ids).toEqual(['/a', '/b', '/c']);
  });

  it('is an error to read a state that was never started', async () => {
    const read: HubMiddleware = { before: (request) => void stateOf(request) };
    await expect(middy().use(read).handler(ok)(event(), context())).rejects.toThrow(
      /correlation middleware must run first/,
    );
    expect(() => handlerState(context())).toThrow(/correlation middleware must run first/);
    const optional: HubMiddleware = { before: (request) => void expect(stateIfStarted(request)).toBeUndefined() };
    await middy().use(optional).handler(ok)(event(), context());
  });
});
