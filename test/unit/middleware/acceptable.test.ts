import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { acceptable, accepts } from '../../../shared/http/middleware/acceptable.js';
import { context, event, given, ok, route, stateFor } from './harness.js';

const json = route();
const csv = route({ response: { status: 200, alternatives: ['text/csv'] } });

const run = (rt: typeof json, accept?: string) =>
  middy()
    .use(given(stateFor(rt)))
    .use(acceptable())
    .handler(ok)(event({ headers: accept === undefined ? {} : { Accept: accept } }), context());

describe('acceptable middleware (406)', () => {
  it('serves no Accept, */*, application/* and the exact type', async () => {
    for (const accept of [
      undefined,
      '',
      '*/*',
      'application/*',
      'application/json',
      'text/html, application/json;q=0.5',
    ]) {
      expect((await run(json, accept)).statusCode, String(accept)).toBe(200);
    }
  });

  it('answers an Accept naming none of the route types with 406 not-acceptable', async () => {
    for (const accept of ['application/xml', 'text/csv', 'application/json;q=0', 'text/*']) {
      await expect(run(json, accept), accept).rejects.toMatchObject({ status: 406, kind: 'not-acceptable' });
    }
  });

  it('serves an alternative the route offers (text/csv on extracts) and still refuses XML there', async () => {
    expect((await run(csv, 'text/csv')).statusCode).toBe(200);
    expect((await run(csv, 'text/*')).statusCode).toBe(200);
    await expect(run(csv, 'application/xml')).rejects.toMatchObject({ status: 406 });
  });

  it('parses media ranges case-insensitively with parameters', () => {
    expect(accepts('Application/JSON; charset=utf-8', ['application/json'])).toBe(true);
    expect(accepts('application/xml;q=0.9, */*;q=0', ['application/json'])).toBe(false);
  });
});
