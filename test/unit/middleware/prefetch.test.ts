import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { prefetch } from '../../../shared/http/middleware/prefetch.js';
import { handToHandler } from '../../../shared/http/middleware/hand-to-handler.js';
import { handlerState, type HubContext, type HubMiddleware } from '../../../shared/http/request-state.js';
import { context, event, given, route, stateFor } from './harness.js';

describe('prefetch middleware', () => {
  it('starts the read before the next stage and hands the handler the same promise', async () => {
    const order: string[] = [];
    const state = stateFor(route());
    const later: HubMiddleware = { before: () => void order.push('next stage') };
    const seen = await middy()
      .use(given(state))
      .use(
        prefetch(async (e) => {
          order.push('read started');
          return e.path;
        }),
      )
      .use(later)
      .use(handToHandler())
      .handler(async (_event: unknown, ctx: HubContext) => ({ pending: handlerState(ctx).prefetched }))(
      event({ path: '/test/7' }),
      context(),
    );
    expect(order).toEqual(['read started', 'next stage']);
    await expect(seen.pending).resolves.toBe('/test/7');
  });

  it('without a read leaves nothing; a failed read that nobody awaits is no unhandled rejection', async () => {
    const state = stateFor(route());
    await middy()
      .use(given(state))
      .use(prefetch())
      .handler(async () => undefined)(event(), context());
    expect(state.prefetched).toBeUndefined();

    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const refused: HubMiddleware = {
        before: () => {
          throw new Error('401 before the handler');
        },
      };
      const failing = stateFor(route());
      await expect(
        middy()
          .use(given(failing))
          .use(prefetch(async () => Promise.reject(new Error('read failed'))))
          .use(refused)
          .handler(async () => undefined)(event(), context()),
      ).rejects.toThrow('401 before the handler');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      // The handler, had it run, would still see the failure.
      await expect(failing.prefetched).rejects.toThrow('read failed');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
