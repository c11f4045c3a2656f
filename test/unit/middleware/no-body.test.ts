import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { noBody } from '../../../shared/http/middleware/no-body.js';
import { context, event, ok } from './harness.js';

const run = (over: Parameters<typeof event>[0]) => middy().use(noBody()).handler(ok)(event(over), context());

describe('no-body middleware (public routes)', () => {
  it('refuses a body sent to an operation that takes none, with the whole body as the field', async () => {
    await expect(run({ httpMethod: 'POST', body: '{"a":1}' })).rejects.toMatchObject({
      status: 400,
      errors: [{ pointer: '', message: 'not allowed' }],
    });
  });

  it("ignores a GET's body and lets a request without one through", async () => {
    await expect(run({ httpMethod: 'GET', body: '{"a":1}' })).resolves.toBeDefined();
    await expect(run({ httpMethod: 'POST', body: null })).resolves.toBeDefined();
    await expect(run({ httpMethod: 'DELETE', body: '' })).resolves.toBeDefined();
  });
});
