import middy from '@middy/core';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { NOT_FOUND_DETAIL, pathParams } from '../../../shared/http/middleware/path-params.js';
import { context, event, given, ok, route, stateFor } from './harness.js';

const r = route({ request: { params: z.object({ id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/) }) } });

const run = async (pathParameters: Record<string, string> | null, rt = r) => {
  const state = stateFor(rt);
  await middy().use(given(state)).use(pathParams()).handler(ok)(event({ pathParameters }), context());
  return state;
};

describe('path parameters middleware', () => {
  it('puts valid parameters in the state', async () => {
    expect((await run({ id: '01HZX3N8Q4V5W6Y7Z8A9B0C1D2' })).params).toEqual({ id: '01HZX3N8Q4V5W6Y7Z8A9B0C1D2' });
  });

  it('answers an id that cannot exist with 404, not 400', async () => {
    await expect(run({ id: 'not-an-id' })).rejects.toMatchObject({ status: 404, detail: NOT_FOUND_DETAIL });
    await expect(run(null)).rejects.toMatchObject({ status: 404 });
  });

  it('leaves the state alone on a route without parameters', async () => {
    expect((await run({ id: 'anything' }, route())).params).toBeUndefined();
  });
});
