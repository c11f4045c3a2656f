import middy from '@middy/core';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { jsonBody } from '../../../shared/http/middleware/json-body.js';
import { MAX_BODY_BYTES } from '../../../shared/http/json-body.js';
import { context, event, given, ok, route, stateFor } from './harness.js';

const withBody = route({ request: { body: z.unknown() } });
const JSON_TYPE = { 'Content-Type': 'application/json' };

const run = async (r = withBody, over: Parameters<typeof event>[0] = {}) => {
  const state = stateFor(r);
  await middy().use(given(state)).use(jsonBody()).handler(ok)(event(over), context());
  return state;
};

describe('json body middleware', () => {
  it('parses a JSON body into the state, unvalidated', async () => {
    const state = await run(withBody, { headers: JSON_TYPE, body: '{"a":{"b":[1,true,null]}}' });
    expect(state.json).toEqual({ a: { b: [1, true, null] } });
    expect(state.body).toBeUndefined();
  });

  it('accepts 64 KB and refuses one byte more with 413', async () => {
    const fill = (n: number) => JSON.stringify({ x: 'a'.repeat(n - 8) });
    expect(Buffer.byteLength(fill(MAX_BODY_BYTES))).toBe(MAX_BODY_BYTES);
    await expect(run(withBody, { headers: JSON_TYPE, body: fill(MAX_BODY_BYTES) })).resolves.toBeDefined();
    await expect(run(withBody, { headers: JSON_TYPE, body: fill(MAX_BODY_BYTES + 1) })).rejects.toMatchObject({
      status: 413,
      kind: 'payload-too-large',
    });
  });

  it('counts bytes, not characters, and decodes base64 first', async () => {
    const multibyte = JSON.stringify({ x: 'é'.repeat(MAX_BODY_BYTES / 2) });
    await expect(run(withBody, { headers: JSON_TYPE, body: multibyte })).rejects.toMatchObject({ status: 413 });
    const state = await run(withBody, {
      headers: JSON_TYPE,
      body: Buffer.from('{"n":1}').toString('base64'),
      isBase64Encoded: true,
    });
    expect(state.json).toEqual({ n: 1 });
  });

  it.each([undefined, 'text/plain', 'application/json; charset=latin1'])(
    'refuses content type %s with 415',
    async (type) => {
      await expect(run(withBody, { headers: type ? { 'content-type': type } : {}, body: '{}' })).rejects.toMatchObject({
        status: 415,
      });
    },
  );

  it('refuses a duplicate key with 400 and its pointer, never the value', async () => {
    const error = await run(withBody, {
      headers: JSON_TYPE,
      body: '{"person":{"nhsNumber":"9434765919","nhsNumber":"1111111111"}}',
    }).catch((e) => e);
    expect(error).toMatchObject({ status: 400, errors: [{ pointer: '/person/nhsNumber', message: 'duplicate key' }] });
    expect(JSON.stringify(error.toBody('c'))).not.toContain('9434765919');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a %s key anywhere with 400', async (key) => {
    const error = await run(withBody, { headers: JSON_TYPE, body: `{"a":[{"${key}":{"isAdmin":true}}]}` }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({
      status: 400,
      errors: [{ pointer: `/a/0/${key}`, message: 'this key name is not allowed' }],
    });
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('refuses malformed and empty bodies with 400', async () => {
    await expect(run(withBody, { headers: JSON_TYPE, body: '{"a":' })).rejects.toMatchObject({
      status: 400,
      errors: [{ pointer: '', message: 'malformed JSON' }],
    });
    await expect(run(withBody, { headers: JSON_TYPE, body: '' })).rejects.toMatchObject({
      status: 400,
      errors: [{ pointer: '', message: 'required' }],
    });
  });

  it('refuses a body on a route that takes none, except on GET', async () => {
    const none = route();
    await expect(run(none, { body: '{}' })).rejects.toMatchObject({
      status: 400,
      errors: [{ pointer: '', message: 'not allowed' }],
    });
    await expect(run(none, { httpMethod: 'GET', body: '{}' })).resolves.toBeDefined();
    expect((await run(none, {})).json).toBeUndefined();
  });
});
