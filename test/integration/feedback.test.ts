/**
 * Feedback to referrers through the real path: HTTP → handlers → DynamoDB Local → the hub
 * table's stream → the local poller → the operational consumer → signed webhooks to receivers
 * on 127.0.0.1 → retries from the `due` index → parking → replay.
 *
 * Other test files write referral events to the same table at the same time, and this file's
 * poller hands them to the consumer too: every assertion filters by this file's referral ids.
 * Time is moved by passing `now` to the delivery sweep, never by sleeping.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import { createStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.js';
import { FEEDBACK_EVENT_TYPES, verifyWebhook } from '../../shared/domain/feedback.js';
import { handleStream } from '../../functions/stream/operational.js';
import { loadSample } from '../support/samples.js';
import { deliverDue } from '../../functions/feedback/deliver.js';

// The local sealing key (in AWS: KMS); read when a secret is sealed or opened.
process.env.FEEDBACK_SECRET_KEY = Buffer.alloc(32, 11).toString('base64');

// ---------------------------------------------------------------------------------------------
// Receivers.

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  message: { type: string; data: Record<string, any> };
}

interface Receiver {
  url: string;
  received: Received[];
  /** Requests for one referral, in arrival order. */
  about(referralId: string): Received[];
  /** 2xx answers for one referral. */
  deliveredAbout(referralId: string): Received[];
  close(): Promise<void>;
}

/** `answer` decides each response from how many times this webhook-id was seen before (0 first). */
async function startReceiver(answer: (seenBefore: number) => number | 'reset'): Promise<Receiver> {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
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
function nodeVerifies(headers: IncomingHttpHeaders, rawBody: string, secret: string): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${rawBody}`;
  const expected = createHmac('sha256', key).update(signed).digest('base64');
  const fresh = Math.abs(Date.now() / 1000 - Number(headers['webhook-timestamp'])) <= 300;
  return fresh && String(headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

// ---------------------------------------------------------------------------------------------

let api: TestApi;
let poller: StreamPoller;
const receivers: Receiver[] = [];
const tokens = {} as Record<'policeA' | 'policeB' | 'ambulance' | 'cmht' | 'ae' | 'lead' | 'sam' | 'south' | 'leadSystem', string>;

/** Crash injection: the consumer handles part of a batch, then dies (as a Lambda timing out would). */
const crash = { armed: false, referralIds: new Set<string>(), crashed: 0 };

async function consumer(event: DynamoDBStreamEvent) {
  if (crash.armed) {
    // Positions of this referral's feedback events in the batch.
    const mine = event.Records.flatMap((r, i) => {
      const pk = r.dynamodb?.Keys?.PK?.S ?? '';
      const type = r.dynamodb?.NewImage?.type?.S ?? '';
      return crash.referralIds.has(pk.slice('REFERRAL#'.length)) && (FEEDBACK_EVENT_TYPES as readonly string[]).includes(type) ? [i] : [];
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
  tokens.policeA = await api.clientToken('police-a-triage');
  tokens.policeB = await api.clientToken('police-b-hub');
  tokens.ambulance = await api.clientToken('ambulance-cad');
  tokens.cmht = await api.clientToken('cmht-system');
  tokens.ae = await api.clientToken('ae-liaison-system');
  tokens.lead = await api.personToken(PEOPLE.lead);
  tokens.sam = await api.personToken(PEOPLE.amhp);
  tokens.south = await api.personToken(PEOPLE.southLead);
  tokens.leadSystem = await api.clientToken('amhp-case-system');
  poller = createStreamPoller({
    endpoint: inject('dynamoEndpoint'),
    tableName: process.env.HUB_TABLE!,
    parkTableName: process.env.HUB_TABLE!,
    consumers: [{ id: 'operational', shape: 'dynamodb-stream', handler: consumer, pkPrefixes: ['REFERRAL#'], batchSize: 100, maxAttempts: 5 }],
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

const receiver = async (answer: (seenBefore: number) => number | 'reset') => {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
};

async function subscribe(token: string, url: string, events: string[] = ['accepted', 'not-accepted', 'allocated', 'outcome-recorded', 'outcome-amended', 'withdrawn', 'clock-breached']) {
  const res = await api.fetch('/v1/subscriptions', { method: 'POST', token, json: { url, events }, headers: { 'Idempotency-Key': randomUUID() } });
  const body = (await res.json()) as Record<string, any>;
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body as { id: string; secret: string; url: string; events: string[] };
}

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

/** review → accept (lead) → allocate Sam; returns the last ETag. */
async function triageAndAllocate(id: string, etag: string) {
  let step = await postEvent(api, tokens.lead, id, { type: 'start-review' }, etag);
  step = await postEvent(api, tokens.lead, id, { type: 'accept', reason: 'Detained under s.136; assessment needed tonight.' }, step.etag!);
  expect(step.status).toBe(200);
  step = await postEvent(api, tokens.lead, id, { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: inHours(1) }, step.etag!);
  expect(step.status).toBe(200);
  return step.etag!;
}

async function assessAndRecordOutcome(id: string, etag: string) {
  let step = await postEvent(api, tokens.sam, id, { type: 'start-assessment' }, etag);
  step = await postEvent(api, tokens.sam, id, { type: 'record-outcome', outcome: 'detained-s2', nextSteps: 'Conveyance by ambulance to an adult acute bed; call the AMHP service quoting the reference.' }, step.etag!);
  expect(step.status).toBe(200);
  return step.etag!;
}

const deliveriesOf = async (token: string, subscriptionId: string, query = '') => {
  const res = await api.fetch(`/v1/subscriptions/${subscriptionId}/deliveries?limit=100${query}`, { token });
  return { status: res.status, body: (await res.json()) as { items: Record<string, any>[]; nextCursor: string | null } };
};

/** Every page of a subscription's deliveries about one referral. */
async function allDeliveriesAbout(token: string, subscriptionId: string, referralId: string, query = '') {
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

describe('subscriptions', () => {
  it('201 with a whsec_ secret shown once; GET never shows it; an idempotent replay does not either', async () => {
    const r = await receiver(() => 204);
    const key = randomUUID();
    const send = () => api.fetch('/v1/subscriptions', { method: 'POST', token: tokens.policeB, json: { url: r.url, events: ['accepted'] }, headers: { 'Idempotency-Key': key } });
    const res = await send();
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, any>;
    expect(res.headers.get('location')).toBe(`/v1/subscriptions/${created.id}`);
    expect(created).toMatchObject({ url: r.url, events: ['accepted'], status: 'active', secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/) });
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const replayed = (await again.json()) as Record<string, any>;
    expect(replayed.id).toBe(created.id);
    expect(replayed.secret).toBeUndefined();
    const read = await api.fetch(`/v1/subscriptions/${created.id}`, { token: tokens.policeB });
    expect(read.status).toBe(200);
    expect(JSON.stringify(await read.json())).not.toContain('whsec_');
    // Another organisation's subscription does not exist for you.
    expect((await api.fetch(`/v1/subscriptions/${created.id}`, { token: tokens.policeA })).status).toBe(404);
    expect((await api.fetch(`/v1/subscriptions/${created.id}`, { method: 'DELETE', token: tokens.policeA })).status).toBe(404);
    // Delete: gone, and its secret with it.
    expect((await api.fetch(`/v1/subscriptions/${created.id}`, { method: 'DELETE', token: tokens.policeB })).status).toBe(204);
    expect((await api.fetch(`/v1/subscriptions/${created.id}`, { token: tokens.policeB })).status).toBe(404);
  });

  it('refuses private, link-local, metadata and non-local loopback URLs (400 at /url); only referrers subscribe', async () => {
    for (const url of ['http://10.0.0.5/hook', 'http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/x', 'http://127.0.0.2:9/x', 'http://192.168.1.10/x', 'http://[::ffff:169.254.169.254]/', 'ftp://127.0.0.1/x']) {
      const res = await api.fetch('/v1/subscriptions', { method: 'POST', token: tokens.policeA, json: { url, events: ['accepted'] }, headers: { 'Idempotency-Key': randomUUID() } });
      expect(res.status, url).toBe(400);
      const problem = (await res.json()) as Record<string, any>;
      expect(problem.errors[0].pointer).toBe('/url');
      expect(JSON.stringify(problem)).not.toContain(url);
    }
    const asLead = await api.fetch('/v1/subscriptions', { method: 'POST', token: tokens.leadSystem, json: { url: 'http://127.0.0.1:9/x', events: ['accepted'] }, headers: { 'Idempotency-Key': randomUUID() } });
    expect(asLead.status).toBe(403);
  });
});

describe('J1 through triage and outcome', () => {
  it('the receiver gets exactly one verifying message per feedback event, in order, minimised', async () => {
    const r = await receiver(() => 204);
    const sub = await subscribe(tokens.policeA, r.url);
    const body = j1Body({ person: { nhsNumber: '9434765919', familyName: 'Marshfield', dateOfBirth: '1991-04-07' } });
    body.referrer.referrerReference = `INC-${randomUUID().slice(0, 8)}`;
    body.location = { type: 'emergency-department', siteId: 'RC9-ED', address: { lines: ['Northshire General Hospital', '14 Quayside Road'], postcode: 'MK40 1AB' } };
    const created = await createReferral(api, tokens.policeA, body);
    let etag = await triageAndAllocate(created.id, created.etag);
    etag = await assessAndRecordOutcome(created.id, etag);
    await postEvent(api, tokens.lead, created.id, { type: 'close', reason: 'completed' }, etag);
    await poller.drain();

    const got = r.about(created.id);
    expect(got.map((m) => m.message.type)).toEqual(['referral.accepted', 'referral.allocated', 'referral.outcome-recorded']);
    expect(got.map((m) => m.message.data.sequence)).toEqual([...got.map((m) => m.message.data.sequence)].sort((a, b) => a - b));
    expect(new Set(got.map((m) => m.headers['webhook-id'])).size).toBe(3);
    for (const m of got) {
      expect(m.headers['content-type']).toBe('application/json');
      expect(m.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(verifyWebhook({ headers: m.headers as Record<string, string>, body: m.body, secret: sub.secret, nowSeconds: Date.now() / 1000 })).toEqual({ ok: true });
      expect(nodeVerifies(m.headers, m.body, sub.secret)).toBe(true);
      expect(m.message.data).toMatchObject({ referralId: created.id, reference: created.reference, referrerReference: body.referrer.referrerReference, contact: { amhpServiceId: 'amhp-service' } });
      for (const secret of [body.person.givenName, 'Marshfield', '9434765919', '943 476 5919', '1991-04-07', 'Quayside', 'MK40', 'parapet', 'knife', 'assessment needed tonight', 'amhp-sam', 'Ruth', 'Jordan']) {
        expect(m.body, secret).not.toContain(secret);
      }
    }
    expect(got[0]!.message.data.status).toBe('accepted');
    expect(got[1]!.message.data.expectedAttendanceAt).toEqual(expect.any(String));
    expect(got[2]!.message.data).toMatchObject({ status: 'outcome-recorded', disposition: 'detained-s2', nextSteps: expect.stringContaining('adult acute bed') });

    // The subscriber's list: three delivered, one attempt each.
    const listed = await allDeliveriesAbout(tokens.policeA, sub.id, created.id);
    expect(listed.map((d) => [d.event, d.status, d.attempts])).toEqual([
      ['accepted', 'delivered', 1],
      ['allocated', 'delivered', 1],
      ['outcome-recorded', 'delivered', 1],
    ]);
    expect(listed.map((d) => d.messageId)).toEqual(got.map((m) => m.headers['webhook-id']));
    // The AMHP service sees the same deliveries of its referral.
    const service = await api.fetch(`/v1/deliveries?referralId=${created.id}`, { token: tokens.lead });
    expect(service.status).toBe(200);
    const serviceItems = ((await service.json()) as { items: Record<string, any>[] }).items;
    expect(serviceItems.map((d) => d.event)).toEqual(['accepted', 'allocated', 'outcome-recorded']);
    expect(JSON.stringify(serviceItems)).not.toContain(r.url);
  });
});

describe('faults', () => {
  it('a receiver that fails 3 times then succeeds: delivered once, every attempt recorded', async () => {
    const r = await receiver((before) => (before < 3 ? 503 : 200));
    const sub = await subscribe(tokens.ambulance, r.url, ['accepted']);
    const created = await createReferral(api, tokens.ambulance);
    let step = await postEvent(api, tokens.lead, created.id, { type: 'start-review' }, created.etag);
    step = await postEvent(api, tokens.lead, created.id, { type: 'accept', reason: 'Needs assessment' }, step.etag!);
    expect(step.status).toBe(200);
    await poller.drain();
    expect(r.about(created.id).map((m) => m.status)).toEqual([503]);

    // The minute sweep, two hours at a time (past any backoff step): three more attempts.
    for (let h = 2; h <= 8 && r.deliveredAbout(created.id).length === 0; h += 2) await deliverDue(new Date(Date.now() + h * 3_600_000));
    const got = r.about(created.id);
    expect(got.map((m) => m.status)).toEqual([503, 503, 503, 200]);
    expect(new Set(got.map((m) => m.headers['webhook-id'])).size).toBe(1);
    for (const m of got) expect(nodeVerifies(m.headers, m.body, sub.secret)).toBe(true);
    const [delivery] = await allDeliveriesAbout(tokens.ambulance, sub.id, created.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 4, deliveredAt: expect.any(String) });
    expect(delivery!.attemptLog.map((a: any) => a.result)).toEqual(['http-503', 'http-503', 'http-503', 'delivered']);
    // Nothing more is due for it.
    await deliverDue(new Date(Date.now() + 30 * 3_600_000));
    expect(r.about(created.id)).toHaveLength(4);
  });

  it('a receiver down for the whole window: parked, listed by subscriber and service, replayed by each, then delivered', async () => {
    let up = false;
    const r = await receiver(() => (up ? 200 : 'reset'));
    const sub = await subscribe(tokens.cmht, r.url, ['accepted', 'allocated']);
    const created = await createReferral(api, tokens.cmht);
    await triageAndAllocate(created.id, created.etag);
    await poller.drain();
    for (let h = 2; h <= 26; h += 2) await deliverDue(new Date(Date.now() + h * 3_600_000));

    const parked = await allDeliveriesAbout(tokens.cmht, sub.id, created.id, '&status=parked');
    expect(parked.map((d) => d.event)).toEqual(['accepted', 'allocated']);
    for (const d of parked) {
      expect(d.attempts).toBeGreaterThan(8);
      expect(d.attemptLog.every((a: any) => a.result === 'connection-error')).toBe(true);
      expect(Date.parse(d.parkedAt)).toBeGreaterThan(Date.parse(d.retryUntil) - 2 * 3_600_000);
    }
    expect(r.deliveredAbout(created.id)).toHaveLength(0);
    const forService = await api.fetch(`/v1/deliveries?status=parked&referralId=${created.id}`, { token: tokens.lead });
    expect(((await forService.json()) as { items: { id: string }[] }).items.map((d) => d.id).sort()).toEqual(parked.map((d) => d.id).sort());

    up = true;
    const bySubscriber = await api.fetch(`/v1/deliveries/${parked[0]!.id}/replay`, { method: 'POST', token: tokens.cmht });
    expect(bySubscriber.status).toBe(202);
    expect(((await bySubscriber.json()) as Record<string, any>).status).toBe('pending');
    const byService = await api.fetch(`/v1/deliveries/${parked[1]!.id}/replay`, { method: 'POST', token: tokens.lead });
    expect(byService.status).toBe(202);
    expect((await api.fetch(`/v1/deliveries/${parked[1]!.id}/replay`, { method: 'POST', token: tokens.lead })).status).toBe(409);
    await deliverDue(new Date());

    const delivered = r.deliveredAbout(created.id);
    expect(delivered.map((m) => m.message.data.event)).toEqual(['accepted', 'allocated']);
    for (const m of delivered) expect(nodeVerifies(m.headers, m.body, sub.secret)).toBe(true);
    const after = await allDeliveriesAbout(tokens.cmht, sub.id, created.id);
    expect(after.map((d) => [d.status, d.replays])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
    ]);
  });

  it('the consumer crashing mid-batch creates no duplicate deliveries', async () => {
    const r = await receiver(() => 204);
    await subscribe(tokens.ae, r.url);
    // Hold the stream while the referral moves, so its events arrive in one batch.
    await poller.stop();
    const created = await createReferral(api, tokens.ae);
    crash.referralIds.add(created.id);
    const etag = await triageAndAllocate(created.id, created.etag);
    await assessAndRecordOutcome(created.id, etag);
    crash.armed = true;
    poller.start();
    await poller.drain();
    expect(crash.crashed).toBe(1);
    const got = r.about(created.id);
    expect(got.map((m) => m.message.type)).toEqual(['referral.accepted', 'referral.allocated', 'referral.outcome-recorded']);
    expect(new Set(got.map((m) => m.headers['webhook-id'])).size).toBe(3);
  });

  it('another organisation (or AMHP service) can neither list nor replay them: 404', async () => {
    const r = await receiver(() => 'reset');
    const sub = await subscribe(tokens.policeA, r.url, ['accepted']);
    const created = await createReferral(api, tokens.policeA);
    let step = await postEvent(api, tokens.lead, created.id, { type: 'start-review' }, created.etag);
    step = await postEvent(api, tokens.lead, created.id, { type: 'accept', reason: 'Needs assessment' }, step.etag!);
    await poller.drain();
    const [delivery] = await allDeliveriesAbout(tokens.policeA, sub.id, created.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });

    expect((await deliveriesOf(tokens.policeB, sub.id)).status).toBe(404);
    expect((await api.fetch(`/v1/deliveries/${delivery!.id}/replay`, { method: 'POST', token: tokens.policeB })).status).toBe(404);
    expect((await api.fetch(`/v1/deliveries/${delivery!.id}/replay`, { method: 'POST', token: tokens.south })).status).toBe(404);
    const southList = await api.fetch(`/v1/deliveries?referralId=${created.id}`, { token: tokens.south });
    expect(((await southList.json()) as { items: unknown[] }).items).toEqual([]);
    // The AMHP (not the lead) has no feedback.manage scope: the authorizer refuses.
    expect((await api.fetch(`/v1/deliveries`, { token: tokens.sam })).status).toBe(401);
    // Its own subscriber may not replay what is still pending.
    expect((await api.fetch(`/v1/deliveries/${delivery!.id}/replay`, { method: 'POST', token: tokens.policeA })).status).toBe(409);

    // The subscriber deletes the subscription: what was still pending is cancelled, and the
    // service still sees that the referrer never received it.
    expect((await api.fetch(`/v1/subscriptions/${sub.id}`, { method: 'DELETE', token: tokens.policeA })).status).toBe(204);
    await deliverDue(new Date(Date.now() + 3 * 3_600_000));
    const seen = await api.fetch(`/v1/deliveries?referralId=${created.id}&status=cancelled`, { token: tokens.leadSystem });
    expect(((await seen.json()) as { items: { id: string }[] }).items.map((d) => d.id)).toContain(delivery!.id);
    expect((await deliveriesOf(tokens.policeA, sub.id)).status).toBe(404);
  });

  it('a record that keeps failing is parked in the table with its full change, and the consumer moves on', async () => {
    const r = await receiver(() => 204);
    await subscribe(tokens.policeB, r.url, ['accepted']);
    const sequenceNumber = `9${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    // The sample stream INSERT of an `accepted` event, made into one whose message cannot be
    // stored (over DynamoDB's 400 KB item limit): every attempt fails.
    const sample = loadSample<DynamoDBStreamEvent>('dynamodb-stream/referral-event-insert.json').Records[0]!;
    const image = sample.dynamodb!.NewImage!;
    const poison = {
      ...sample,
      eventID: randomUUID(),
      dynamodb: {
        ...sample.dynamodb,
        NewImage: { ...image, at: { S: new Date().toISOString() }, subject: { M: { ...image.subject!.M!, referrerOrganisationId: { S: 'police-b' }, referrerReference: { S: 'x'.repeat(420_000) } } } },
        SequenceNumber: sequenceNumber,
      },
    };
    const harmless = { ...poison, dynamodb: { ...poison.dynamodb, Keys: { PK: { S: 'REFERRAL#OTHER' }, SK: { S: 'STATE' } }, SequenceNumber: `${sequenceNumber}1` } };
    for (let attempt = 1; attempt < 5; attempt++) {
      expect(await handleStream({ Records: [poison, harmless] })).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumber }] });
    }
    expect(await handleStream({ Records: [poison, harmless] })).toEqual({ batchItemFailures: [] });
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { ddb } = await import('../../shared/data/client.js');
    const parked = await ddb().send(new GetCommand({ TableName: process.env.HUB_TABLE!, Key: { PK: 'PARKED#operational', SK: sequenceNumber } }));
    expect(parked.Item).toMatchObject({ consumerId: 'operational', attempts: 5, error: expect.any(String), eventName: 'INSERT' });
    // The item's keys, stored as the local poller stores them (shared/data/parking-repository.ts).
    expect(parked.Item!.keys).toEqual({ PK: sample.dynamodb!.Keys!.PK!.S, SK: sample.dynamodb!.Keys!.SK!.S });
    expect(parked.Item!.keys.PK).toMatch(/^REFERRAL#/);
    // Too large to park as text: gzipped, as the local poller parks large records.
    const { gunzipSync } = await import('node:zlib');
    expect(JSON.parse(gunzipSync(parked.Item!.recordGzip as Uint8Array).toString('utf8'))).toEqual(poison);
  });
});
