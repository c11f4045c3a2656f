/**
 * Feedback in FHIR through the real path: a FHIR referral, the service's decisions over /v1,
 * the hub table's stream, the local poller, the operational consumer, and signed FHIR webhooks
 * to a receiver on 127.0.0.1. Only this file's referrals are handed to its consumer (other
 * files deliver their own).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.js';
import { handleStream } from '../../functions/stream/operational.js';
import { verifyWebhook } from '../../shared/domain/feedback.js';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';
import { postEvent } from '../support/referrals.js';
import { FHIR_JSON, fhirMessage, postMessage, taskIn } from '../support/fhir.js';

// Subscriptions seal their signing secret with this key locally (in AWS: KMS).
process.env.FEEDBACK_SECRET_KEY ??= Buffer.alloc(32, 11).toString('base64');

let api: TestApi;
let poller: StreamPoller | undefined;
let receiver: ReturnType<typeof createServer> | undefined;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  api = await startTestApi();
  tokens.ambulance = await api.clientToken('ambulance-cad');
  tokens.lead = await api.personToken(PEOPLE.lead);
  tokens.sam = await api.personToken(PEOPLE.amhp);
});
afterAll(async () => {
  await poller?.stop();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  await api?.close();
});

describe('feedback in FHIR', () => {
  /** Only this file's FHIR referrals: other files' records are theirs to deliver. */
  const mine = new Set<string>();
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver!.listen(0, '127.0.0.1', r));
    poller = createStreamPoller({
      endpoint: inject('dynamoEndpoint'),
      tableName: process.env.HUB_TABLE!,
      parkTableName: process.env.HUB_TABLE!,
      consumers: [
        {
          id: 'operational',
          shape: 'dynamodb-stream',
          handler: (event: DynamoDBStreamEvent) =>
            handleStream({
              Records: event.Records.filter((r) => mine.has((r.dynamodb?.Keys?.PK?.S ?? '').slice('REFERRAL#'.length))),
            }),
          pkPrefixes: ['REFERRAL#'],
          batchSize: 100,
          maxAttempts: 5,
        },
      ],
      pollIntervalMs: 25,
      backoff: { baseMs: 5, maxMs: 20 },
    });
    poller.start();
  });

  it('a FHIR subscription gets a signed Bundle (MessageHeader + Task) per event, with the correlation id', async () => {
    const url = `http://127.0.0.1:${(receiver!.address() as AddressInfo).port}/fhir-webhooks`;
    const sub = await api.fetch('/v1/subscriptions', {
      method: 'POST',
      token: tokens.ambulance!,
      json: { url, events: ['accepted', 'allocated', 'outcome-recorded'], format: 'fhir' },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    const subscription = (await sub.json()) as Record<string, any>;
    expect(sub.status, JSON.stringify(subscription)).toBe(201);
    expect(subscription.format).toBe('fhir');

    const correlationId = randomUUID();
    const created = await postMessage(api, tokens.ambulance!, fhirMessage('ambulance-s136'), {
      'X-Correlation-ID': correlationId,
    });
    const id = taskIn(created.body).id as string;
    mine.add(id);
    const etag = (await api.fetch(`/v1/referrals/${id}`, { token: tokens.lead! })).headers.get('etag')!;
    let step = await postEvent(api, tokens.lead!, id, { type: 'start-review' }, etag);
    step = await postEvent(api, tokens.lead!, id, { type: 'accept', reason: 'ZX-NOTE' }, step.etag!);
    step = await postEvent(
      api,
      tokens.lead!,
      id,
      { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: new Date(Date.now() + 3_600_000).toISOString() },
      step.etag!,
    );
    step = await postEvent(
      api,
      tokens.sam!,
      id,
      {
        type: 'record-outcome',
        outcome: 'home-treatment-crisis-team',
        nextSteps: 'Crisis team tomorrow.',
        reasonsInWriting: 'ZX-NOTE reasons.',
      },
      step.etag!,
    );
    expect(step.status).toBe(200);

    const about = () => received.filter((r) => taskIn(JSON.parse(r.body))?.id === id);
    for (let i = 0; i < 200 && about().length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    const got = about();
    expect(got.map((r) => taskIn(JSON.parse(r.body)).businessStatus.coding[0].code)).toEqual([
      'accepted',
      'allocated',
      'outcome-recorded',
    ]);
    for (const r of got) {
      // Signed exactly as the JSON webhooks (Standard Webhooks over the raw body).
      expect(
        verifyWebhook({
          headers: r.headers as Record<string, string>,
          body: r.body,
          secret: subscription.secret,
          nowSeconds: Math.floor(Date.now() / 1000),
        }),
      ).toEqual({ ok: true });
      expect(r.headers['content-type']).toBe(FHIR_JSON);
      expect(r.headers['x-correlation-id']).toBe(correlationId);
      const bundle = JSON.parse(r.body);
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'message' });
      expect(bundle.entry.map((e: any) => e.resource.resourceType)).toEqual(['MessageHeader', 'Task']);
      expect(r.body).not.toMatch(/ZX-NOTE|Marsh|Test/);
    }
    const last = taskIn(JSON.parse(got[2]!.body));
    expect(last).toMatchObject({ status: 'completed' });
    expect(last.output).toContainEqual(expect.objectContaining({ valueString: 'home-treatment-crisis-team' }));
    const del = await api.fetch(`/v1/subscriptions/${subscription.id}`, { method: 'DELETE', token: tokens.ambulance! });
    expect(del.status).toBe(204);
  });
});
