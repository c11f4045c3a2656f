/**
 * The TypeScript client in clients/typescript/ stays generated from the current document
 * (`npm run client`), and its wrapper retries with the same Idempotency-Key, caches tokens and
 * verifies webhooks with the Hub's own Standard Webhooks code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateClientTypes, SCHEMA_FILE } from '../../clients/typescript/generate.js';
import { hubFetch, verifyWebhook } from '../../clients/typescript/client.js';
import { formatSecret, webhookHeaders } from '../../shared/domain/feedback.js';

describe('clients/typescript', () => {
  it('schema.ts is what openapi-typescript makes of the current document (run `npm run client`)', async () => {
    const generated = await generateClientTypes();
    expect(generated.includes('ReferralCreate: {') && generated.includes('AllocateEvent: {')).toBe(true);
    expect(
      readFileSync(SCHEMA_FILE, 'utf8') === generated,
      'clients/typescript/schema.ts is stale: run `npm run client`',
    ).toBe(true);
  }, 60_000);

  it('retries 429/503 with the same request and Idempotency-Key, after Retry-After; caches the token', async () => {
    const seen: { url: string; key: string | null; auth: string | null }[] = [];
    let tokenCalls = 0;
    const answers = [503, 429, 201];
    const fake: typeof fetch = async (input, init) => {
      const url = String(input);
      if (url.endsWith('/oauth2/token')) {
        tokenCalls++;
        return new Response(JSON.stringify({ access_token: 'tok', expires_in: 3600 }), { status: 200 });
      }
      const headers = new Headers(init?.headers);
      seen.push({ url, key: headers.get('Idempotency-Key'), auth: headers.get('Authorization') });
      return new Response('{}', { status: answers.shift()!, headers: { 'Retry-After': '1' } });
    };
    const waits: number[] = [];
    const f = hubFetch({
      baseUrl: 'http://hub.test',
      clientId: 'c',
      clientSecret: 's',
      fetch: fake,
      sleep: async (ms) => void waits.push(ms),
    });
    const res = await f('http://hub.test/v1/referrals', {
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(201);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.key)).size).toBe(1);
    expect(seen[0]!.key).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    expect(seen.every((s) => s.auth === 'Bearer tok')).toBe(true);
    expect(waits).toEqual([1000, 1000]);
    await f('http://hub.test/v1/me');
    expect(tokenCalls).toBe(1);
  });

  it('verifies a signed webhook and refuses a tampered one', () => {
    const secret = formatSecret(new Uint8Array(32).fill(7));
    const body = JSON.stringify({
      type: 'referral.accepted',
      timestamp: '2026-12-04T21:00:00Z',
      data: { event: 'accepted' },
    });
    const timestamp = 1_796_000_000;
    const headers = webhookHeaders({ id: 'msg_1', timestamp, body, secret }) as unknown as Record<string, string>;
    expect(verifyWebhook({ headers, body, secret, nowSeconds: timestamp })).toMatchObject({
      type: 'referral.accepted',
    });
    expect(() =>
      verifyWebhook({ headers, body: body.replace('accepted', 'withdrawn'), secret, nowSeconds: timestamp }),
    ).toThrow(/not verified/);
  });
});
