/** feedback tests, faults: see ./feedback.fixture.ts for what they run against. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createReferral, postEvent } from '../support/referrals.js';
import { handleStream } from '../../functions/stream/operational.js';
import { loadSample } from '../support/samples.js';
import { deliverDue } from '../../functions/feedback/deliver.js';
import {
  nodeVerifies,
  api,
  poller,
  tokens,
  crash,
  receiver,
  subscribe,
  triageAndAllocate,
  assessAndRecordOutcome,
  deliveriesOf,
  allDeliveriesAbout,
} from './feedback.fixture.js';

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
    for (let h = 2; h <= 8 && r.deliveredAbout(created.id).length === 0; h += 2)
      await deliverDue(new Date(Date.now() + h * 3_600_000));
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

  it(
    'a receiver down for the whole window: parked, listed by subscriber and service, replayed by each, then ' +
      'delivered',
    async () => {
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
      const forService = await api.fetch(`/v1/deliveries?status=parked&referralId=${created.id}`, {
        token: tokens.lead,
      });
      expect(((await forService.json()) as { items: { id: string }[] }).items.map((d) => d.id).sort()).toEqual(
        parked.map((d) => d.id).sort(),
      );

      up = true;
      const bySubscriber = await api.fetch(`/v1/deliveries/${parked[0]!.id}/replay`, {
        method: 'POST',
        token: tokens.cmht,
      });
      expect(bySubscriber.status).toBe(202);
      expect(((await bySubscriber.json()) as Record<string, any>).status).toBe('pending');
      const byService = await api.fetch(`/v1/deliveries/${parked[1]!.id}/replay`, {
        method: 'POST',
        token: tokens.lead,
      });
      expect(byService.status).toBe(202);
      expect(
        (await api.fetch(`/v1/deliveries/${parked[1]!.id}/replay`, { method: 'POST', token: tokens.lead })).status,
      ).toBe(409);
      await deliverDue(new Date());

      const delivered = r.deliveredAbout(created.id);
      expect(delivered.map((m) => m.message.data.event)).toEqual(['accepted', 'allocated']);
      for (const m of delivered) expect(nodeVerifies(m.headers, m.body, sub.secret)).toBe(true);
      const after = await allDeliveriesAbout(tokens.cmht, sub.id, created.id);
      expect(after.map((d) => [d.status, d.replays])).toEqual([
        ['delivered', 1],
        ['delivered', 1],
      ]);
    },
  );

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
    expect(got.map((m) => m.message.type)).toEqual([
      'referral.accepted',
      'referral.allocated',
      'referral.outcome-recorded',
    ]);
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
    expect(
      (await api.fetch(`/v1/deliveries/${delivery!.id}/replay`, { method: 'POST', token: tokens.policeB })).status,
    ).toBe(404);
    expect(
      (await api.fetch(`/v1/deliveries/${delivery!.id}/replay`, { method: 'POST', token: tokens.south })).status,
    ).toBe(404);
    const southList = await api.fetch(`/v1/deliveries?referralId=${created.id}`, { token: tokens.south });
    expect(((await southList.json()) as { items: unknown[] }).items).toEqual([]);
    // The AMHP (not the lead) has no feedback.manage scope: the authorizer refuses.
    expect((await api.fetch(`/v1/deliveries`, { token: tokens.sam })).status).toBe(401);
    // Its own subscriber may not replay what is still pending.
    expect(
      (await api.fetch(`/v1/deliveries/${delivery!.id}/replay`, { method: 'POST', token: tokens.policeA })).status,
    ).toBe(409);

    // The subscriber deletes the subscription: what was still pending is cancelled, and the
    // service still sees that the referrer never received it.
    expect((await api.fetch(`/v1/subscriptions/${sub.id}`, { method: 'DELETE', token: tokens.policeA })).status).toBe(
      204,
    );
    await deliverDue(new Date(Date.now() + 3 * 3_600_000));
    const seen = await api.fetch(`/v1/deliveries?referralId=${created.id}&status=cancelled`, {
      token: tokens.leadSystem,
    });
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
        NewImage: {
          ...image,
          at: { S: new Date().toISOString() },
          subject: {
            M: {
              ...image.subject!.M!,
              referrerOrganisationId: { S: 'police-b' },
              referrerReference: { S: 'x'.repeat(420_000) },
            },
          },
        },
        SequenceNumber: sequenceNumber,
      },
    };
    const harmless = {
      ...poison,
      dynamodb: {
        ...poison.dynamodb,
        Keys: { PK: { S: 'REFERRAL#OTHER' }, SK: { S: 'STATE' } },
        SequenceNumber: `${sequenceNumber}1`,
      },
    };
    for (let attempt = 1; attempt < 5; attempt++) {
      expect(await handleStream({ Records: [poison, harmless] })).toEqual({
        batchItemFailures: [{ itemIdentifier: sequenceNumber }],
      });
    }
    expect(await handleStream({ Records: [poison, harmless] })).toEqual({ batchItemFailures: [] });
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { ddb } = await import('../../shared/data/client.js');
    const parked = await ddb().send(
      new GetCommand({ TableName: process.env.HUB_TABLE!, Key: { PK: 'PARKED#operational', SK: sequenceNumber } }),
    );
    expect(parked.Item).toMatchObject({
      consumerId: 'operational',
      attempts: 5,
      error: expect.any(String),
      eventName: 'INSERT',
    });
    // The item's keys, stored as the local poller stores them (shared/data/parking-repository.ts).
    expect(parked.Item!.keys).toEqual({ PK: sample.dynamodb!.Keys!.PK!.S, SK: sample.dynamodb!.Keys!.SK!.S });
    expect(parked.Item!.keys.PK).toMatch(/^REFERRAL#/);
    // Too large to park as text: gzipped, as the local poller parks large records.
    const { gunzipSync } = await import('node:zlib');
    expect(JSON.parse(gunzipSync(parked.Item!.recordGzip as Uint8Array).toString('utf8'))).toEqual(poison);
  });
});
