import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { etagOf, ifMatch } from '../../../shared/http/middleware/if-match.js';
import { context, event, given, ok, route, stateFor } from './harness.js';

const requires = route({ request: { ifMatch: true } });
const optional = route();

const run = async (rt: typeof requires, headers: Record<string, string> = {}) => {
  const state = stateFor(rt);
  await middy().use(given(state)).use(ifMatch()).handler(ok)(event({ headers }), context());
  return state;
};

describe('if-match middleware', () => {
  it('answers a missing If-Match with 428 where the route requires one', async () => {
    await expect(run(requires)).rejects.toMatchObject({ status: 428, kind: 'precondition-required' });
  });

  it('reads the version of a strong or weak ETag, header name in any case', async () => {
    expect((await run(requires, { 'If-Match': etagOf(7) })).expectedVersion).toBe(7);
    expect((await run(requires, { 'if-match': ' W/"12" ' })).expectedVersion).toBe(12);
  });

  it.each(['*', '7', '"seven"', '"1234567890123456"'])(
    'answers If-Match %s, which names no version we issue, with 412',
    async (value) => {
      await expect(run(requires, { 'If-Match': value })).rejects.toMatchObject({
        status: 412,
        kind: 'precondition-failed',
      });
    },
  );

  it('on a create-or-replace route, reads If-Match when sent and lets it be absent', async () => {
    expect((await run(optional)).expectedVersion).toBeUndefined();
    expect((await run(optional, { 'If-Match': '"3"' })).expectedVersion).toBe(3);
  });
});
