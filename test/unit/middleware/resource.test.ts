import middy from '@middy/core';
import { describe, expect, it, vi } from 'vitest';
import { resource, type Loader } from '../../../shared/http/middleware/resource.js';
import { context, event, given, ok, route, stateFor, system } from './harness.js';

const run = async (load?: Loader) => {
  const state = stateFor(route(), { caller: system, params: { id: 'u1' } });
  await middy().use(given(state)).use(resource(load)).handler(ok)(event(), context());
  return state;
};

describe('resource middleware', () => {
  it("loads the resource for the caller and the path's parameters", async () => {
    const load = vi.fn(async () => ({ id: 'u1', name: 'Ward 1' }));
    const state = await run(load);
    expect(load).toHaveBeenCalledWith(expect.objectContaining({ caller: system, params: { id: 'u1' } }));
    expect(state.resource).toEqual({ id: 'u1', name: 'Ward 1' });
  });

  it('answers absent or invisible with the same 404', async () => {
    await expect(run(async () => undefined)).rejects.toMatchObject({
      status: 404,
      detail: 'No such resource, or it is not visible to you.',
    });
  });

  it('keeps a falsy resource that is not undefined', async () => {
    expect((await run(async () => null)).resource).toBeNull();
  });

  it('does nothing without a loader', async () => {
    expect((await run()).resource).toBeUndefined();
  });
});
