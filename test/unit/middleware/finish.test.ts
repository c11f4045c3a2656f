import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { finishResponse } from '../../../shared/http/middleware/finish.js';
import { mapErrors } from '../../../shared/http/middleware/errors.js';
import { context, event, given, ok, route, stateFor, system } from './harness.js';

const SECURITY = {
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};

describe('finishing middleware', () => {
  it('adds the security headers and the correlation id, and logs one access line', async () => {
    const state = stateFor(route(), { caller: system });
    const response = await middy().use(given(state)).use(finishResponse()).handler(ok)(event(), context());
    expect(response.headers).toEqual({
      ...SECURITY,
      'Content-Type': 'application/json',
      'X-Correlation-ID': 'corr-test-0001',
    });
    expect(response.body).toBe('{"ok":true}');
    expect(state.log.info).toHaveBeenCalledWith(
      'request',
      expect.objectContaining({
        status: 200,
        method: 'POST',
        organisationId: 'police-a',
        clientId: 'police-a-triage',
        role: 'referrer',
      }),
    );
    expect(state.log.info).toHaveBeenCalledTimes(1);
  });

  it("keeps the handler's own headers over the defaults", async () => {
    const state = stateFor(route());
    const response = await middy()
      .use(given(state))
      .use(finishResponse())
      .handler(async () => ({ statusCode: 200, headers: { 'Cache-Control': 'public, max-age=60' }, body: '' }))(
      event(),
      context(),
    );
    expect(response.headers?.['Cache-Control']).toBe('public, max-age=60');
  });

  it('lets an HTML page use inline styles and nothing else', async () => {
    const response = await middy()
      .use(given(stateFor(route())))
      .use(finishResponse())
      .handler(async () => ({ statusCode: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: '<p>' }))(
      event(),
      context(),
    );
    expect(response.headers?.['Content-Security-Policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
  });

  it('finishes an error answer too, logged as a failure when it is a 5xx', async () => {
    const state = stateFor(route());
    const response = await middy()
      .use(given(state))
      .use(finishResponse())
      .use(mapErrors())
      .handler(async () => {
        throw new Error('boom');
      })(event(), context());
    expect(response.statusCode).toBe(500);
    expect(response.headers).toMatchObject({ ...SECURITY, 'X-Correlation-ID': 'corr-test-0001' });
    expect(state.log.error).toHaveBeenCalledWith('request failed', expect.objectContaining({ status: 500 }));
  });

  it('still adds the security headers when no state was started', async () => {
    const response = await middy().use(finishResponse()).handler(ok)(event(), context());
    expect(response.headers).toMatchObject(SECURITY);
    expect(response.headers?.['X-Correlation-ID']).toBeUndefined();
  });
});
