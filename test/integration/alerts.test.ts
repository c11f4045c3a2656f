/**
 * Alerts of referral events (DOMAIN §9) through the real path: HTTP → handlers → the hub
 * table's stream → the local poller → the operational consumer → the alert in `safety` and its
 * signed webhook to the service's alert channel (a receiver on 127.0.0.1). Southvale's channel
 * (amhp-service-south): safety.test.ts sets Northshire's, and the two files may run together.
 *
 * Covered: a T−2 h clock warning reaches the channel once (not again on a second sweep, a
 * redelivered stream record, or the safety sweep's delivery run); an unlawful place of safety
 * (a 16-year-old at a police station) once; a ladder escalation (`escalated`, no-bed) once.
 */
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import { loadSample } from '../support/samples.js';
import { createStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.js';
import { handleStream } from '../../functions/stream/operational.js';
import { sweepReferral } from '../../functions/clocks/sweep.js';
import { startAlertReceiver, sweepAt, verifies } from '../support/alerts.js';

process.env.FEEDBACK_SECRET_KEY = Buffer.alloc(32, 11).toString('base64');

const SOUTH_LSSA = 'E06000057';
const londonToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
let api: TestApi;
let poller: StreamPoller;
let receiver: Awaited<ReturnType<typeof startAlertReceiver>>;
let secret = '';
const tokens = {} as Record<'south' | 'police', string>;
/** Stream records this file's referrals produced, to hand to the consumer a second time. */
const seen: DynamoDBRecord[] = [];
const mine = new Set<string>();

beforeAll(async () => {
  api = await startTestApi();
  tokens.south = await api.personToken(PEOPLE.southLead);
  tokens.police = await api.clientToken('police-a-triage');
  receiver = await startAlertReceiver();
  const res = await api.fetch('/v1/alert-channel', { method: 'PUT', token: tokens.south, json: { url: receiver.url } });
  const body = (await res.json()) as Record<string, any>;
  expect(res.status, JSON.stringify(body)).toBe(200);
  secret = body.secret;
  poller = createStreamPoller({
    endpoint: inject('dynamoEndpoint'),
    tableName: process.env.HUB_TABLE!,
    parkTableName: process.env.HUB_TABLE!,
    consumers: [
      {
        id: 'operational',
        shape: 'dynamodb-stream',
        handler: async (event: DynamoDBStreamEvent) => {
          for (const r of event.Records)
            if (mine.has((r.dynamodb?.Keys?.PK?.S ?? '').slice('REFERRAL#'.length))) seen.push(r);
          return handleStream(event);
        },
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

afterAll(async () => {
  await poller?.stop();
  await receiver?.close();
  await api?.close();
});

const messagesAbout = (referralId: string, type: string) =>
  receiver.received.filter((r) => r.message.data.referralId === referralId && r.message.type === type);

async function eventually<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const alertsOf = async (referralId: string) => {
  const res = await api.fetch('/v1/alerts?limit=100', { token: tokens.south });
  return ((await res.json()) as { items: Record<string, any>[] }).items.filter((a) => a.referralId === referralId);
};

describe('alerts of referral events', () => {
  it('a T−2 h clock warning reaches the alert channel once, signed', async () => {
    // Arrived 22 h 30 min ago: the s.136 clock expires in 1 h 30 min, so its 2-hour warning is due.
    const created = await createReferral(
      api,
      tokens.police,
      j1Body({ minutesAgo: 22 * 60 + 30, responsibleLssa: SOUTH_LSSA }),
    );
    mine.add(created.id);
    expect(await sweepReferral(created.id, new Date())).toBeGreaterThan(0);
    const got = await eventually(
      () => messagesAbout(created.id, 'alert.clock-warning'),
      (m) => m.length > 0,
    );
    expect(got).toHaveLength(1);
    expect(verifies(got[0]!.headers, got[0]!.body, secret)).toBe(true);
    expect(got[0]!.message.data).toMatchObject({
      kind: 'clock-warning',
      power: 's136',
      reference: created.reference,
      serviceId: 'amhp-service-south',
      repeat: 1,
      untilAcknowledged: false,
    });

    // Once: a second clock sweep, the record handed to the consumer again, the safety sweep's delivery runs.
    await sweepReferral(created.id, new Date());
    const records = seen.filter((r) => r.dynamodb?.NewImage?.type?.S === 'clock-warning');
    expect(records.length).toBeGreaterThan(0);
    expect((await handleStream({ Records: records })).batchItemFailures).toEqual([]);
    await sweepAt(new Date(Date.now() + 20 * 60_000));
    await sweepAt(new Date(Date.now() + 3 * 3_600_000));
    expect(messagesAbout(created.id, 'alert.clock-warning')).toHaveLength(1);
    const listed = (await alertsOf(created.id)).filter((a) => a.kind === 'clock-warning');
    expect(listed).toHaveLength(1);
    expect(listed[0]!.nextRepeatAt).toBeUndefined();
  });

  it('a 16-year-old arriving at a police station raises an unlawful-place alert once', async () => {
    const [y, m, d] = londonToday().split('-').map(Number) as [number, number, number];
    const dob = new Date(Date.UTC(y - 16, m - 1, d - 40)).toISOString().slice(0, 10);
    const body = j1Body({
      responsibleLssa: SOUTH_LSSA,
      person: { dateOfBirth: dob },
      legalStatus: {
        arrivedAtPlaceOfSafetyAt: undefined,
        placeOfSafetyType: undefined,
        placeOfSafetySiteId: undefined,
      },
    });
    body.location = { type: 'public-place', address: { lines: ['Level 4, Riverside multi-storey car park'] } };
    const created = await createReferral(api, tokens.police, JSON.parse(JSON.stringify(body)));
    mine.add(created.id);
    const arrived = await postEvent(api, tokens.police, created.id, {
      type: 'arrived-at-place-of-safety',
      placeOfSafetyType: 'police-station',
      occurredAt: new Date(Date.now() - 20 * 60_000).toISOString(),
    });
    expect(arrived.status, JSON.stringify(arrived.body)).toBe(200);
    const got = await eventually(
      () => messagesAbout(created.id, 'alert.unlawful-place'),
      (x) => x.length > 0,
    );
    expect(got.map((g) => g.message.data.flag)).toEqual(['unlawful-place-of-safety']);
    // The relay hears which referral, never who or where.
    expect(got[0]!.body).not.toContain('Riverside');
    expect(got[0]!.body).not.toContain(dob);
    await sweepAt(new Date(Date.now() + 60 * 60_000));
    expect(messagesAbout(created.id, 'alert.unlawful-place')).toHaveLength(1);
  });

  it('a ladder escalation (escalated, no-bed) is forwarded once', async () => {
    const created = await createReferral(api, tokens.police, j1Body({ responsibleLssa: SOUTH_LSSA }));
    // The ladder's event as its helper records it: a system event on the referral (here handed to
    // the consumer as its stream record).
    const insert = loadSample<DynamoDBStreamEvent>('dynamodb-stream/referral-event-insert.json');
    const base = insert.Records[0]!;
    const image = base.dynamodb!.NewImage!;
    const record: DynamoDBRecord = {
      ...base,
      dynamodb: {
        ...base.dynamodb,
        SequenceNumber: `${Date.now()}000`,
        Keys: { PK: { S: `REFERRAL#${created.id}` }, SK: { S: 'EVENT#00000099' } },
        NewImage: {
          ...image,
          PK: { S: `REFERRAL#${created.id}` },
          SK: { S: 'EVENT#00000099' },
          seq: { N: '99' },
          type: { S: 'escalated' },
          system: { BOOL: true },
          data: { M: { reason: { S: 'no-bed' }, ladderStep: { N: '2' }, level: { S: 'provider-on-call-manager' } } },
          subject: {
            M: {
              ...image.subject!.M,
              referralId: { S: created.id },
              reference: { S: created.reference },
              serviceId: { S: 'amhp-service-south' },
            },
          },
        },
      },
    };
    expect((await handleStream({ Records: [record] })).batchItemFailures).toEqual([]);
    expect((await handleStream({ Records: [record] })).batchItemFailures).toEqual([]);
    const got = await eventually(
      () => messagesAbout(created.id, 'alert.escalated'),
      (x) => x.length > 0,
    );
    await sweepAt(new Date(Date.now() + 30 * 60_000));
    expect(messagesAbout(created.id, 'alert.escalated')).toHaveLength(1);
    expect(got[0]!.message.data).toMatchObject({ ladderStep: 2, level: 'provider-on-call-manager' });
  });
});
