import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { correlation, isSafeCorrelationId } from '../../../shared/http/middleware/correlation.js';
import { stateOf, type HubMiddleware, type HubState } from '../../../shared/http/request-state.js';
import { context, event, ok, route } from './harness.js';

const run = async (headers: Record<string, string>) => {
  let seen: HubState | undefined;
  const capture: HubMiddleware = {
    before: (request) => {
      seen = stateOf(request);
    },
  };
  await middy().use(correlation(route())).use(capture).handler(ok)(event({ headers }), context());
  return seen!;
};

describe('correlation middleware', () => {
  it('echoes a UUID or ULID the client sent and starts the state with the route', async () => {
    const uuid = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
    const state = await run({ 'x-correlation-id': uuid });
    expect(state.correlationId).toBe(uuid);
    expect(state.route.id).toBe('testRoute');
    expect((await run({ 'X-Correlation-ID': '01HZX3N8Q4V5W6Y7Z8A9B0C1D2' })).correlationId).toBe(
      '01HZX3N8Q4V5W6Y7Z8A9B0C1D2',
    );
  });

  it.each([
    ['an NHS number', '9434765919'],
    ['an NHS number with hyphens', 'ref-943-476-5919'],
    ['a date', 'case-14-11-92'],
    ['a ISO date', 'x-2026-11-14'],
    ['too short', 'abc'],
    ['a space', 'hello world 123'],
  ])('replaces an id that could carry data (%s) with a fresh ULID', async (_what, sent) => {
    expect(isSafeCorrelationId(sent)).toBe(false);
    const state = await run({ 'X-Correlation-ID': sent });
    expect(state.correlationId).not.toBe(sent);
    expect(state.correlationId).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
  });

  it('generates one when none is sent, different per request', async () => {
    const a = await run({});
    const b = await run({});
    expect(a.correlationId).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
    expect(a.correlationId).not.toBe(b.correlationId);
  });
});
