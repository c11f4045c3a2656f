import middy from '@middy/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// The one repository call (a read of this caller's stored key) is stubbed at the module
// boundary: everything the middleware decides happens before or after it.
const find = vi.hoisted(() => vi.fn());
vi.mock('../../../shared/data/idempotency-repository.js', () => ({ findIdempotencyRecord: find }));

const { idempotency, replayResult, requestHashOf, REPLAYED_HEADER } = await import(
  '../../../shared/http/middleware/idempotency.js'
);
const { context, event, given, ok, route, stateFor, system } = await import('./harness.js');

const required = route({ request: { idempotencyKey: 'required' } });
const optional = route({ request: { idempotencyKey: 'optional' } });
const onConflict = route({ request: { idempotencyKey: 'required', idempotencyLookup: 'on-conflict' } });
const KEY = 'b7e0c5d2-4c1a-4f7e-9a3b-2d1c0e9f8a7b';
const body = { a: 1 };
const hash = requestHashOf('POST', '/test/1', body);
const stored = {
  statusCode: 201,
  headers: { 'Content-Type': 'application/json', Location: '/x/1' },
  body: '{"id":"1"}',
};

const run = async (rt: ReturnType<typeof route>, headers: Record<string, string> = {}) => {
  const state = stateFor(rt, { caller: system, body });
  await middy().use(given(state)).use(idempotency()).handler(ok)(event({ headers }), context());
  return state;
};

beforeEach(() => {
  find.mockReset();
});

describe('idempotency middleware', () => {
  it('does nothing on a route without the header, even when one is sent', async () => {
    const state = await run(route(), { 'Idempotency-Key': KEY });
    expect(state.idempotency).toBeUndefined();
    expect(find).not.toHaveBeenCalled();
  });

  it('requires the key on a create (400 pointing at the header) and lets it be absent elsewhere', async () => {
    await expect(run(required)).rejects.toMatchObject({
      status: 400,
      errors: [{ pointer: '/headers/Idempotency-Key', message: 'required' }],
    });
    expect((await run(optional)).idempotency).toBeUndefined();
    expect(find).not.toHaveBeenCalled();
  });

  it.each(['short', 'has space in it', 'x'.repeat(129), 'semi;colon-key'])(
    'refuses the key %s with 400 before any read',
    async (key) => {
      await expect(run(required, { 'Idempotency-Key': key })).rejects.toMatchObject({
        status: 400,
        errors: [{ pointer: '/headers/Idempotency-Key', message: 'invalid format' }],
      });
      expect(find).not.toHaveBeenCalled();
    },
  );

  it('on a lookup-on-conflict route, keeps the key and the request hash without reading', async () => {
    const state = await run(onConflict, { 'idempotency-key': KEY });
    expect(state.idempotency).toEqual({ key: KEY, requestHash: hash });
    expect(find).not.toHaveBeenCalled();
  });

  it("reads this caller's key, and keeps key and hash for the commit when it is new", async () => {
    find.mockResolvedValue(undefined);
    const state = await run(required, { 'Idempotency-Key': KEY });
    expect(find).toHaveBeenCalledWith(system, KEY, expect.any(Number));
    expect(state.idempotency).toEqual({ key: KEY, requestHash: hash });
    expect(state.replay).toBeUndefined();
  });

  it('keeps the stored response for a replay of the same request (answered later, after 403)', async () => {
    const audit = [{ resourceType: 'referral', resourceId: '1', action: 'create' }];
    find.mockResolvedValue({ requestHash: hash, response: stored, audit });
    const state = await run(required, { 'Idempotency-Key': KEY });
    expect(state.replay).toEqual({ response: stored, audit });
    expect(state.idempotency).toBeUndefined();
  });

  it('refuses the same key with a different request with 422', async () => {
    find.mockResolvedValue({ requestHash: 'another', response: stored, audit: [] });
    await expect(run(required, { 'Idempotency-Key': KEY })).rejects.toMatchObject({
      status: 422,
      kind: 'idempotency-key-reused',
    });
  });

  it('hashes method, path and body, so another body is another request', () => {
    expect(requestHashOf('POST', '/test/1', { a: 1 })).toBe(requestHashOf('POST', '/test/1', { a: 1 }));
    expect(requestHashOf('POST', '/test/1', { a: 2 })).not.toBe(hash);
    expect(requestHashOf('PUT', '/test/1', { a: 1 })).not.toBe(hash);
  });

  it('replays the stored response marked as a replay, audited as one', () => {
    const result = replayResult({
      response: stored,
      audit: [{ resourceType: 'referral', resourceId: '1', action: 'create' }],
    });
    expect(result).toMatchObject({
      statusCode: 201,
      body: '{"id":"1"}',
      contentType: 'application/json',
      headers: { Location: '/x/1', [REPLAYED_HEADER]: 'true' },
    });
    expect(result.audit).toEqual([{ resourceType: 'referral', resourceId: '1', action: 'replay' }]);
  });
});
