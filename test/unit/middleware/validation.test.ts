import middy from '@middy/core';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { validation } from '../../../shared/http/middleware/validation.js';
import { context, event, given, ok, route, stateFor } from './harness.js';
import type { HubState } from '../../../shared/http/request-state.js';

const r = route({
  request: {
    body: z.strictObject({
      person: z.strictObject({ nhsNumber: z.string().regex(/^\d{10}$/), sex: z.enum(['female', 'male']) }),
      count: z.number().default(1),
    }),
    query: z.strictObject({
      limit: z.coerce.number().int().max(100).optional(),
      status: z.union([z.string(), z.array(z.string())]).optional(),
    }),
  },
});

const run = async (json: unknown, over: Parameters<typeof event>[0] = {}, rt = r): Promise<HubState> => {
  const state = stateFor(rt, { json });
  await middy().use(given(state)).use(validation()).handler(ok)(event(over), context());
  return state;
};

const good = { person: { nhsNumber: '9434765919', sex: 'female' } };

describe('validation middleware', () => {
  it("puts the schemas' output in the state (defaults, coercions)", async () => {
    const state = await run(good, { queryStringParameters: { limit: '5' } });
    expect(state.body).toEqual({ ...good, count: 1 });
    expect(state.query).toEqual({ limit: 5 });
  });

  it('refuses an invalid body with 400 and a pointer per problem, never the value', async () => {
    const error = await run({ person: { nhsNumber: 'Jane Doe', sex: 'other' }, extra: 1 }).catch((e) => e);
    expect(error.status).toBe(400);
    expect(error.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/extra',
      '/person/nhsNumber',
      '/person/sex',
    ]);
    expect(JSON.stringify(error.toBody('c'))).not.toMatch(/Jane Doe|"other"/);
  });

  it('points at a missing field as required', async () => {
    await expect(run({ person: { sex: 'male' } })).rejects.toMatchObject({
      status: 400,
      errors: [{ pointer: '/person/nhsNumber', message: 'required' }],
    });
  });

  it('prefixes query pointers and keeps repeated parameters as a list', async () => {
    await expect(run(good, { queryStringParameters: { limit: '500' } })).rejects.toMatchObject({
      status: 400,
      errors: [{ pointer: '/query/limit' }],
    });
    const state = await run(good, {
      queryStringParameters: { status: 'b' },
      multiValueQueryStringParameters: { status: ['a', 'b'] },
    });
    expect(state.query).toEqual({ status: ['a', 'b'] });
  });

  it('checks the body before the query', async () => {
    await expect(run({}, { queryStringParameters: { limit: 'x' } })).rejects.toMatchObject({
      errors: [{ pointer: '/person' }],
    });
  });

  it('refuses any query parameter on a route without a query schema', async () => {
    const error = await run(undefined, { queryStringParameters: { lssa: 'L1', q: 'x' } }, route()).catch((e) => e);
    expect(error).toMatchObject({
      status: 400,
      errors: [
        { pointer: '/query/lssa', message: 'unknown parameter' },
        { pointer: '/query/q', message: 'unknown parameter' },
      ],
    });
    await expect(run(undefined, {}, route())).resolves.toBeDefined();
  });
});
