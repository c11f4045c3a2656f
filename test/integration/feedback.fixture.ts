/**
 * Feedback to referrers through the real path: HTTP → handlers → DynamoDB Local → the hub
 * table's stream → the local poller → the operational consumer → signed webhooks to receivers
 * on 127.0.0.1 → retries from the `due` index → parking → replay.
 *
 * Other test files write referral events to the same table at the same time, and this file's
 * poller hands them to the consumer too: every assertion filters by this file's referral ids.
 * Time is moved by passing `now` to the delivery sweep, never by sleeping.
 *
 * Split by concern into feedback-subscriptions.test.ts, feedback-faults.test.ts.
 * This module holds their shared setup and helpers; its hooks run in every file that imports it.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { startTestApi, type TestApi } from '../support/api.js';
import { tokensFor } from '../support/tokens.js';
import { postEvent } from '../support/referrals.js';
import { onRequestBody } from '../support/request-body.js';
import { createStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.js';
import { FEEDBACK_EVENT_TYPES } from '../../shared/domain/feedback.js';
import { handleStream } from '../../functions/stream/operational.js';

// The local sealing key (in AWS: KMS); read when a secret is sealed or opened.
process.env.FEEDBACK_SECRET_KEY = Buffer.alloc(32, 11).toString('base64');

// ---------------------------------------------------------------------------------------------
// Receivers.

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  message: { type: string; data: Record<string, any> };
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests for one referral, in arrival order. */
  about(referralId: string): Received[];
  /** 2xx answers for one referral. */
  deliveredAbout(referralId: string): Received[];
  close(): Promise<void>;
}

/** `answer` decides each response from how many times this webhook-id was seen before (0 first). */
export async function startReceiver(answer: (seenBefore: number) => number | 'reset'): Promise<Receiver> {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    onRequestBody(req, (body) => {
      const id = String(req.headers['webhook-id']);
      const before = seen.get(id) ?? 0;
      seen.set(id, before + 1);
      const status = answer(before);
      received.push({ headers: req.headers, body, status: status === 'reset' ? 0 : status, message: JSON.parse(body) });
      if (status === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const about = (referralId: string) => received.filter((r) => r.message.data.referralId === referralId);
  return {
    url: `http://127.0.0.1:${port}/hub-webhooks`,
    received,
    about,
    deliveredAbout: (referralId) => about(referralId).filter((r) => r.status >= 200 && r.status < 300),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The README's ten lines of Node, independent of the Hub's own code. */
export function nodeVerifies(headers: IncomingHttpHeaders, rawBody: string, secret: string): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${rawBody}`;
  const expected = createHmac('sha256', key).update(signed).digest('base64');
  const fresh = Math.abs(Date.now() / 1000 - Number(headers['webhook-timestamp'])) <= 300;
  return fresh && String(headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

// ---------------------------------------------------------------------------------------------

export let api: TestApi;
export let poller: StreamPoller;
export const receivers: Receiver[] = [];
export const tokens = {} as Record<
  'policeA' | 'policeB' | 'ambulance' | 'cmht' | 'ae' | 'lead' | 'sam' | 'south' | 'leadSystem',
  string
>;

/** Crash injection: the consumer handles part of a batch, then dies (as a Lambda timing out would). */
export const crash = { armed: false, referralIds: new Set<string>(), crashed: 0 };

export async function consumer(event: DynamoDBStreamEvent) {
  if (crash.armed) {
    // Positions of this referral's feedback events in the batch.
    const mine = event.Records.flatMap((r, i) => {
      const pk = r.dynamodb?.Keys?.PK?.S ?? '';
      const type = r.dynamodb?.NewImage?.type?.S ?? '';
      return crash.referralIds.has(pk.slice('REFERRAL#'.length)) &&
        (FEEDBACK_EVENT_TYPES as readonly string[]).includes(type)
        ? [i]
        : [];
    });
    if (mine.length >= 2) {
      crash.armed = false;
      crash.crashed++;
      // The first feedback event is handled (and delivered); then the process dies.
      await handleStream({ Records: event.Records.slice(0, mine[0]! + 1) });
      throw new Error('consumer crashed mid-batch');
    }
  }
  return handleStream(event);
}

beforeAll(async () => {
  api = await startTestApi();
  Object.assign(
    tokens,
    await tokensFor(api, ['policeA', 'policeB', 'ambulance', 'cmht', 'ae', 'lead', 'sam', 'south', 'leadSystem']),
  );
  poller = createStreamPoller({
    endpoint: inject('dynamoEndpoint'),
    tableName: process.env.HUB_TABLE!,
    parkTableName: process.env.HUB_TABLE!,
    consumers: [
      {
        id: 'operational',
        shape: 'dynamodb-stream',
        handler: consumer,
        pkPrefixes: ['REFERRAL#'],
        batchSize: 100,
        maxAttempts: 5,
      },
    ],
    pollIntervalMs: 25,
    backoff: { baseMs: 5, maxMs: 20 },
    // The injected crash is expected; anything else from the poller is worth seeing.
    onError: (e, ctx) => {
      if (ctx.kind !== 'handler') console.error('stream poller', ctx.kind, (e as Error).name);
    },
  });
  poller.start();
});

afterAll(async () => {
  await poller?.stop();
  await Promise.all(receivers.map((r) => r.close()));
  await api?.close();
});

export const receiver = async (answer: (seenBefore: number) => number | 'reset') => {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
};

export async function subscribe(
  token: string,
  url: string,
  // Every type a referrer can hear about.
  events: string[] = [...FEEDBACK_EVENT_TYPES],
) {
  const res = await api.fetch('/v1/subscriptions', {
    method: 'POST',
    token,
    json: { url, events },
    headers: { 'Idempotency-Key': randomUUID() },
  });
  const body = (await res.json()) as Record<string, any>;
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body as { id: string; secret: string; url: string; events: string[] };
}

export const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

/** review → accept (lead) → allocate Sam; returns the last ETag. */
export async function triageAndAllocate(id: string, etag: string) {
  let step = await postEvent(api, tokens.lead, id, { type: 'start-review' }, etag);
  step = await postEvent(
    api,
    tokens.lead,
    id,
    { type: 'accept', reason: 'Detained under s.136; assessment needed tonight.' },
    step.etag!,
  );
  expect(step.status).toBe(200);
  step = await postEvent(
    api,
    tokens.lead,
    id,
    { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: inHours(1) },
    step.etag!,
  );
  expect(step.status).toBe(200);
  return step.etag!;
}

export async function assessAndRecordOutcome(id: string, etag: string) {
  let step = await postEvent(api, tokens.sam, id, { type: 'start-assessment' }, etag);
  step = await postEvent(
    api,
    tokens.sam,
    id,
    {
      type: 'record-outcome',
      outcome: 'detained-s2',
      nextSteps: 'Conveyance by ambulance to an adult acute bed; call the AMHP service quoting the reference.',
    },
    step.etag!,
  );
  expect(step.status).toBe(200);
  return step.etag!;
}

export const deliveriesOf = async (token: string, subscriptionId: string, query = '') => {
  const res = await api.fetch(`/v1/subscriptions/${subscriptionId}/deliveries?limit=100${query}`, { token });
  return {
    status: res.status,
    body: (await res.json()) as { items: Record<string, any>[]; nextCursor: string | null },
  };
};

/** Every page of a subscription's deliveries about one referral. */
export async function allDeliveriesAbout(token: string, subscriptionId: string, referralId: string, query = '') {
  const out: Record<string, any>[] = [];
  let cursor: string | null = null;
  do {
    const page = await deliveriesOf(token, subscriptionId, `${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    out.push(...page.body.items.filter((d) => d.referralId === referralId));
    cursor = page.body.nextCursor;
  } while (cursor);
  return out.sort((a, b) => a.sequence - b.sequence);
}
