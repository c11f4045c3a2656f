import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { deprecation } from '../../../shared/http/middleware/deprecation.js';
import { HttpProblem } from '../../../shared/http/problem.js';
import { mapErrors } from '../../../shared/http/middleware/errors.js';
import { context, event, given, ok, route, stateFor } from './harness.js';

const retired = {
  deprecatedAt: '2026-12-01T00:00:00Z',
  sunsetAt: '2027-06-01T00:00:00Z',
  link: 'https://hub.example/changelog#v1-x',
};

describe('deprecation middleware (retired routes)', () => {
  it('adds Deprecation, Sunset and Link to a retired route’s answer', async () => {
    const rt = route({ retired });
    const res = await middy()
      .use(given(stateFor(rt)))
      .use(deprecation(rt.retired))
      .handler(ok)(event(), context());
    expect(res.headers).toMatchObject({
      Deprecation: `@${Date.parse('2026-12-01T00:00:00Z') / 1000}`,
      Sunset: 'Tue, 01 Jun 2027 00:00:00 GMT',
      Link: '<https://hub.example/changelog#v1-x>; rel="deprecation"; type="text/html"',
      'Content-Type': 'application/json',
    });
  });

  it('adds them to an error answer too', async () => {
    const rt = route({ retired: { deprecatedAt: retired.deprecatedAt } });
    const fail = async () => {
      throw new HttpProblem('conflict', 'no');
    };
    const res = await middy()
      .use(given(stateFor(rt)))
      .use(deprecation(rt.retired))
      .use(mapErrors())
      .handler(fail)(event(), context());
    expect(res.statusCode).toBe(409);
    expect(res.headers?.Deprecation).toMatch(/^@\d+$/);
    expect(res.headers?.Sunset).toBeUndefined();
  });

  it('leaves a current route’s answer alone', async () => {
    const rt = route();
    const res = await middy()
      .use(given(stateFor(rt)))
      .use(deprecation(rt.retired))
      .handler(ok)(event(), context());
    expect(Object.keys(res.headers ?? {})).toEqual(['Content-Type']);
  });
});
