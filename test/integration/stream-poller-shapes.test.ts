/** stream-poller tests, shapes: see ./stream-poller.fixture.ts for what they run against. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { client, doc, errors, freshTables, poller, put, pkOf, decode, recorder } from './stream-poller.fixture.js';

describe('stream poller: event shapes', () => {
  it(
    'hands a DynamoDBStreamEvent exactly as Lambda does: ' + 'INSERT/MODIFY/REMOVE in order, images, epoch seconds',
    async () => {
      const names = await freshTables();
      const { consumer, records } = recorder('ddb');
      const p = poller(names, [consumer]);
      p.start();
      const t0 = Date.now();
      await put(names.hub, { PK: 'A#1', SK: 'STATE', status: 'open', bin: new Uint8Array([1, 2, 3]) });
      await doc.send(
        new UpdateCommand({
          TableName: names.hub,
          Key: { PK: 'A#1', SK: 'STATE' },
          UpdateExpression: 'SET #s = :s',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':s': 'closed' },
        }),
      );
      await doc.send(new DeleteCommand({ TableName: names.hub, Key: { PK: 'A#1', SK: 'STATE' } }));
      await put(names.hub, { PK: 'A#2', SK: 'STATE', status: 'open' });
      await p.drain();
      const t1 = Date.now();

      const got = records();
      expect(got.map((r) => [r.eventName, pkOf(r)])).toEqual([
        ['INSERT', 'A#1'],
        ['MODIFY', 'A#1'],
        ['REMOVE', 'A#1'],
        ['INSERT', 'A#2'],
      ]);
      const [insert, modify, remove] = got as [DynamoDBRecord, DynamoDBRecord, DynamoDBRecord];
      expect(insert).toMatchObject({
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'eu-west-2',
        dynamodb: {
          Keys: { PK: { S: 'A#1' }, SK: { S: 'STATE' } },
          NewImage: { PK: { S: 'A#1' }, SK: { S: 'STATE' }, status: { S: 'open' }, bin: { B: 'AQID' } },
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      });
      expect(insert.eventID).toEqual(expect.any(String));
      expect(insert.eventSourceARN).toMatch(
        new RegExp(`^arn:aws:dynamodb:eu-west-2:\\d{12}:table/${names.hub}/stream/`),
      );
      expect(insert.dynamodb).not.toHaveProperty('OldImage');
      expect(modify.dynamodb?.OldImage?.status).toEqual({ S: 'open' });
      expect(modify.dynamodb?.NewImage?.status).toEqual({ S: 'closed' });
      expect(remove.dynamodb?.OldImage?.status).toEqual({ S: 'closed' });
      expect(remove.dynamodb).not.toHaveProperty('NewImage');
      for (const r of got) {
        const at = r.dynamodb!.ApproximateCreationDateTime!;
        expect(Number.isInteger(at)).toBe(true);
        expect(at).toBeGreaterThanOrEqual(Math.floor(t0 / 1000));
        expect(at).toBeLessThanOrEqual(Math.ceil(t1 / 1000));
        expect(r.dynamodb!.SizeBytes).toBeGreaterThan(0);
      }
      const seqs = got.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
      expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
      expect(p.status()).toMatchObject({ running: true, lagMs: 0, consumers: { ddb: { delivered: 4, parked: 0 } } });
    },
  );

  it('hands a KinesisStreamEvent whose data is the Kinesis Data Streams for DynamoDB record', async () => {
    const names = await freshTables();
    const batches: KinesisStreamRecord[][] = [];
    const p = poller(names, [
      {
        id: 'analytics',
        shape: 'kinesis',
        handler: async (event: KinesisStreamEvent) => {
          batches.push(event.Records);
        },
      },
    ]);
    p.start();
    const t0 = Date.now();
    await put(names.hub, { PK: 'K#1', SK: 'STATE', n: 1 });
    await put(names.hub, { PK: 'K#1', SK: 'STATE', n: 2 });
    await doc.send(new DeleteCommand({ TableName: names.hub, Key: { PK: 'K#1', SK: 'STATE' } }));
    await p.drain();
    const t1 = Date.now();

    const got = batches.flat();
    expect(got).toHaveLength(3);
    for (const r of got) {
      expect(r).toMatchObject({
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventName: 'aws:kinesis:record',
        awsRegion: 'eu-west-2',
        eventID: `shardId-000000000000:${r.kinesis.sequenceNumber}`,
        eventSourceARN: expect.stringMatching(/^arn:aws:kinesis:eu-west-2:\d{12}:stream\//),
        invokeIdentityArn: expect.stringMatching(/^arn:aws:iam::\d{12}:role\//),
        kinesis: { kinesisSchemaVersion: '1.0', partitionKey: expect.stringMatching(/^[0-9A-F]{32}$/) },
      });
      expect(r.kinesis.approximateArrivalTimestamp).toBeGreaterThanOrEqual(t0 / 1000);
      expect(r.kinesis.approximateArrivalTimestamp).toBeLessThanOrEqual(t1 / 1000);
    }
    // One item, one partition key; sequence numbers unique and increasing.
    expect(new Set(got.map((r) => r.kinesis.partitionKey)).size).toBe(1);
    const seqs = got.map((r) => r.kinesis.sequenceNumber);
    expect(new Set(seqs).size).toBe(3);
    expect([...seqs].sort()).toEqual(seqs);

    const [insert, modify, remove] = got.map(decode);
    expect(Object.keys(insert)).toEqual([
      'awsRegion',
      'eventID',
      'eventName',
      'userIdentity',
      'recordFormat',
      'tableName',
      'dynamodb',
      'eventSource',
    ]);
    expect(insert).toMatchObject({
      awsRegion: 'eu-west-2',
      eventName: 'INSERT',
      userIdentity: null,
      recordFormat: 'application/json',
      tableName: names.hub,
      eventSource: 'aws:dynamodb',
      dynamodb: {
        Keys: { PK: { S: 'K#1' }, SK: { S: 'STATE' } },
        NewImage: { PK: { S: 'K#1' }, SK: { S: 'STATE' }, n: { N: '1' } },
        ApproximateCreationDateTimePrecision: 'MILLISECOND',
      },
    });
    expect(insert.dynamodb).not.toHaveProperty('OldImage');
    expect(insert.dynamodb).not.toHaveProperty('SequenceNumber');
    expect(insert.dynamodb.SizeBytes).toBeGreaterThan(0);
    expect(modify).toMatchObject({
      eventName: 'MODIFY',
      dynamodb: { OldImage: { n: { N: '1' } }, NewImage: { n: { N: '2' } } },
    });
    expect(remove).toMatchObject({ eventName: 'REMOVE', dynamodb: { OldImage: { n: { N: '2' } } } });
    expect(remove.dynamodb).not.toHaveProperty('NewImage');
    for (const change of [insert, modify, remove]) {
      // Milliseconds, not seconds.
      expect(change.dynamodb.ApproximateCreationDateTime).toBeGreaterThanOrEqual(t0);
      expect(change.dynamodb.ApproximateCreationDateTime).toBeLessThanOrEqual(t1);
    }
  });
});

describe('stream poller: failures', () => {
  it(
    'retries from the first failed record of a partial ' + 'batch failure; earlier records are not redelivered',
    async () => {
      const names = await freshTables();
      for (let i = 0; i < 7; i++) await put(names.hub, { PK: `C#${i}`, SK: 'STATE' });
      const invocations: string[][] = [];
      const processed: string[] = [];
      let failedOnce = false;
      const p = poller(names, [
        {
          id: 'partial',
          shape: 'dynamodb-stream',
          batchSize: 10,
          handler: async (event) => {
            invocations.push(event.Records.map(pkOf));
            // The usual ordered pattern: stop at the first failure and report it and the rest.
            for (const [i, r] of event.Records.entries()) {
              if (pkOf(r) === 'C#3' && !failedOnce) {
                failedOnce = true;
                return {
                  batchItemFailures: event.Records.slice(i).map((f) => ({
                    itemIdentifier: f.dynamodb!.SequenceNumber!,
                  })),
                };
              }
              processed.push(pkOf(r));
            }
            return { batchItemFailures: [] };
          },
        },
      ]);
      p.start();
      await p.drain();

      const all = ['C#0', 'C#1', 'C#2', 'C#3', 'C#4', 'C#5', 'C#6'];
      expect(invocations).toEqual([all, all.slice(3)]);
      expect(processed).toEqual(all);
      expect(p.status().consumers.partial).toMatchObject({ delivered: 7, parked: 0, failedBatches: 1, lagMs: 0 });
    },
  );

  it('treats an identifier that is not in the batch as a whole-batch failure (Lambda rule)', async () => {
    const names = await freshTables();
    for (let i = 0; i < 3; i++) await put(names.hub, { PK: `I#${i}`, SK: 'STATE' });
    const invocations: string[][] = [];
    let calls = 0;
    const p = poller(names, [
      {
        id: 'bogus',
        shape: 'dynamodb-stream',
        handler: async (event) => {
          invocations.push(event.Records.map(pkOf));
          return calls++ === 0 ? { batchItemFailures: [{ itemIdentifier: '' }] } : undefined;
        },
      },
    ]);
    p.start();
    await p.drain();
    // Retried from the start (bisected), nothing lost, nothing parked.
    expect(invocations[0]).toEqual(['I#0', 'I#1', 'I#2']);
    expect(invocations.slice(1).flat()).toEqual(['I#0', 'I#1', 'I#2']);
    expect(p.status().parked.bogus).toBe(0);
  });

  it(
    'parks a record that keeps failing after maxAttempts, with its full change and the error name only; ' +
      'later records flow',
    async () => {
      const names = await freshTables();
      const secret = `message-with-identifiable-data-${randomUUID()}`;
      for (let i = 1; i <= 4; i++) await put(names.hub, { PK: `D#${i}`, SK: 'STATE', nhsNumber: `943476591${i}` });
      const seen = { reporter: [] as string[], thrower: [] as string[] };
      const ok = { reporter: [] as string[], thrower: [] as string[] };
      class PoisonError extends Error {
        override name = 'PoisonError';
      }
      const p = poller(names, [
        {
          id: 'reporter',
          shape: 'dynamodb-stream',
          pkPrefixes: ['D#'], // keeps the poller's own PARKED# writes out
          handler: async (event) => {
            seen.reporter.push(...event.Records.map(pkOf));
            const bad = event.Records.find((r) => pkOf(r) === 'D#2');
            ok.reporter.push(...event.Records.filter((r) => r !== bad).map(pkOf));
            return { batchItemFailures: bad ? [{ itemIdentifier: bad.dynamodb!.SequenceNumber! }] : [] };
          },
        },
        {
          id: 'thrower',
          shape: 'kinesis',
          pkPrefixes: ['D#'],
          handler: async (event) => {
            const pks = event.Records.map((r) => decode(r).dynamodb.Keys.PK.S as string);
            seen.thrower.push(...pks);
            if (pks.includes('D#3')) throw new PoisonError(secret);
            ok.thrower.push(...pks);
          },
        },
      ]);
      p.start();
      await p.drain();

      // The reporter named D#2 three times, then moved on; its parked item holds the whole change.
      expect(seen.reporter.filter((pk) => pk === 'D#2')).toHaveLength(3);
      expect(new Set(ok.reporter)).toEqual(new Set(['D#1', 'D#3', 'D#4']));
      const parked = await client.send(
        new QueryCommand({
          TableName: names.hub,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'PARKED#reporter' } },
        }),
      );
      expect(parked.Items).toHaveLength(1);
      const item = parked.Items![0]!;
      expect(item).toMatchObject({
        consumerId: { S: 'reporter' },
        shape: { S: 'dynamodb-stream' },
        eventName: { S: 'INSERT' },
        keys: { M: { PK: { S: 'D#2' }, SK: { S: 'STATE' } } },
        attempts: { N: '3' },
        error: { S: 'BatchItemFailure' },
      });
      expect(item.SK!.S).toBe(item.sequenceNumber!.S);
      expect(new Date(item.parkedAt!.S!).toISOString()).toBe(item.parkedAt!.S);
      const record = JSON.parse(item.record!.S!) as DynamoDBRecord;
      expect(record).toMatchObject({
        eventName: 'INSERT',
        eventSource: 'aws:dynamodb',
        dynamodb: { SequenceNumber: item.SK!.S, NewImage: { nhsNumber: { S: '9434765912' } } },
      });

      // The thrower's batch error named no record: the batch was split until D#3 stood alone,
      // so only D#3 is parked, with the error's name and never its message.
      expect(new Set(ok.thrower)).toEqual(new Set(['D#1', 'D#2', 'D#4']));
      const thrown = await client.send(
        new QueryCommand({
          TableName: names.hub,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'PARKED#thrower' } },
        }),
      );
      expect(thrown.Items).toHaveLength(1);
      expect(thrown.Items![0]).toMatchObject({
        keys: { M: { PK: { S: 'D#3' } } },
        error: { S: 'PoisonError' },
        attempts: { N: '3' },
        shape: { S: 'kinesis' },
      });
      expect(JSON.stringify(thrown.Items)).not.toContain(secret);
      const kinesisRecord = JSON.parse(thrown.Items![0]!.record!.S!) as KinesisStreamRecord;
      expect(decode(kinesisRecord).dynamodb.NewImage.nhsNumber).toEqual({ S: '9434765913' });

      expect(p.status().parked).toEqual({ reporter: 1, thrower: 1 });
      expect(errors.some((e) => e.kind === 'handler' && e.name === 'PoisonError')).toBe(true);

      // Re-parking the same record (a replay after restart) is harmless.
      const again = poller(names, [
        {
          id: 'reporter',
          shape: 'dynamodb-stream',
          pkPrefixes: ['D#2'],
          maxAttempts: 1,
          handler: async (e) => ({
            batchItemFailures: e.Records.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })),
          }),
        },
      ]);
      again.start();
      await again.drain();
      const after = await client.send(
        new GetItemCommand({ TableName: names.hub, Key: { PK: { S: 'PARKED#reporter' }, SK: item.SK! } }),
      );
      expect(after.Item?.attempts).toEqual({ N: '3' });
    },
  );
});
