/**
 * The local stream poller against DynamoDB Local's real stream: event shapes, filtering,
 * partial batch failure, parking, independent consumers, restart and drain. Every test makes
 * its own tables, so no test (or parallel test file) sees another's stream records.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it, inject, vi } from 'vitest';
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { localDynamoClient } from '../../infra/local/dynamodb.js';
import { createStreamPoller, type PollerConsumer, type StreamPoller, type StreamPollerOptions } from '../../infra/local/stream-poller.js';
import { ensureTables, tableNames, type TableNames } from '../../infra/local/tables.js';

const endpoint = inject('dynamoEndpoint');
const client = localDynamoClient(endpoint);
const doc = DynamoDBDocumentClient.from(client);
const pollers: StreamPoller[] = [];
const errors: { kind: string; name: string }[] = [];

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
});
afterAll(() => client.destroy());

async function freshTables(): Promise<TableNames> {
  const names = tableNames(`poller-${randomUUID().slice(0, 8)}-`);
  await ensureTables(client, names);
  return names;
}

function poller(names: TableNames, consumers: PollerConsumer[], extra: Partial<StreamPollerOptions> = {}): StreamPoller {
  const p = createStreamPoller({
    endpoint,
    tableName: names.hub,
    parkTableName: names.hub,
    consumers,
    pollIntervalMs: 20,
    backoff: { baseMs: 2, maxMs: 10 },
    onError: (error, context) => errors.push({ kind: context.kind, name: (error as Error).name }),
    ...extra,
  });
  pollers.push(p);
  return p;
}

const put = (table: string, item: Record<string, unknown>) => doc.send(new PutCommand({ TableName: table, Item: item }));
const pkOf = (r: DynamoDBRecord) => r.dynamodb!.Keys!.PK!.S!;
const decode = (r: KinesisStreamRecord) => JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8'));

/** A DynamoDB-shaped consumer that records every batch it is given. */
function recorder(id: string, extra: Partial<PollerConsumer> = {}) {
  const batches: DynamoDBRecord[][] = [];
  const consumer = {
    id,
    shape: 'dynamodb-stream' as const,
    handler: async (event: DynamoDBStreamEvent) => {
      batches.push(event.Records);
    },
    ...extra,
  } as PollerConsumer;
  return { consumer, batches, records: () => batches.flat() };
}

describe('stream poller: event shapes', () => {
  it('hands a DynamoDBStreamEvent exactly as Lambda does: INSERT/MODIFY/REMOVE in order, images, epoch seconds', async () => {
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
    expect(insert.eventSourceARN).toMatch(new RegExp(`^arn:aws:dynamodb:eu-west-2:\\d{12}:table/${names.hub}/stream/`));
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
  });

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
    expect(Object.keys(insert)).toEqual(['awsRegion', 'eventID', 'eventName', 'userIdentity', 'recordFormat', 'tableName', 'dynamodb', 'eventSource']);
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
    expect(modify).toMatchObject({ eventName: 'MODIFY', dynamodb: { OldImage: { n: { N: '1' } }, NewImage: { n: { N: '2' } } } });
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
  it('retries from the first failed record of a partial batch failure; earlier records are not redelivered', async () => {
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
              return { batchItemFailures: event.Records.slice(i).map((f) => ({ itemIdentifier: f.dynamodb!.SequenceNumber! })) };
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
  });

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

  it('parks a record that keeps failing after maxAttempts, with its full change and the error name only; later records flow', async () => {
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
    const parked = await client.send(new QueryCommand({ TableName: names.hub, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: 'PARKED#reporter' } } }));
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
    expect(record).toMatchObject({ eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { SequenceNumber: item.SK!.S, NewImage: { nhsNumber: { S: '9434765912' } } } });

    // The thrower's batch error named no record: the batch was split until D#3 stood alone,
    // so only D#3 is parked, with the error's name and never its message.
    expect(new Set(ok.thrower)).toEqual(new Set(['D#1', 'D#2', 'D#4']));
    const thrown = await client.send(new QueryCommand({ TableName: names.hub, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: 'PARKED#thrower' } } }));
    expect(thrown.Items).toHaveLength(1);
    expect(thrown.Items![0]).toMatchObject({ keys: { M: { PK: { S: 'D#3' } } }, error: { S: 'PoisonError' }, attempts: { N: '3' }, shape: { S: 'kinesis' } });
    expect(JSON.stringify(thrown.Items)).not.toContain(secret);
    const kinesisRecord = JSON.parse(thrown.Items![0]!.record!.S!) as KinesisStreamRecord;
    expect(decode(kinesisRecord).dynamodb.NewImage.nhsNumber).toEqual({ S: '9434765913' });

    expect(p.status().parked).toEqual({ reporter: 1, thrower: 1 });
    expect(errors.some((e) => e.kind === 'handler' && e.name === 'PoisonError')).toBe(true);

    // Re-parking the same record (a replay after restart) is harmless.
    const again = poller(names, [{ id: 'reporter', shape: 'dynamodb-stream', pkPrefixes: ['D#2'], maxAttempts: 1, handler: async (e) => ({ batchItemFailures: e.Records.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })) }) }]);
    again.start();
    await again.drain();
    const after = await client.send(new GetItemCommand({ TableName: names.hub, Key: { PK: { S: 'PARKED#reporter' }, SK: item.SK! } }));
    expect(after.Item?.attempts).toEqual({ N: '3' });
  });
});

describe('stream poller: routing and independence', () => {
  it('delivers only records whose PK starts with one of the consumer prefixes; the rest count as processed', async () => {
    const names = await freshTables();
    const filtered = recorder('filtered', { pkPrefixes: ['E#A', 'E#B'] });
    const everything = recorder('everything');
    const p = poller(names, [filtered.consumer, everything.consumer]);
    p.start();
    for (const pk of ['E#A1', 'E#C1', 'E#B1', 'F#1', 'E#A2']) await put(names.hub, { PK: pk, SK: 'STATE' });
    await p.drain();
    expect(filtered.records().map(pkOf)).toEqual(['E#A1', 'E#B1', 'E#A2']);
    expect(everything.records().map(pkOf)).toEqual(['E#A1', 'E#C1', 'E#B1', 'F#1', 'E#A2']);
    expect(p.status()).toMatchObject({ lagMs: 0, consumers: { filtered: { delivered: 3, lagMs: 0 }, everything: { delivered: 5 } } });
  });

  it('keeps consumers independent: one failing consumer does not hold up another', async () => {
    const names = await freshTables();
    let skew = 0;
    let brokenCalls = 0;
    const healthy: string[] = [];
    let allHealthy!: () => void;
    const healthyDone = new Promise<void>((resolve) => (allHealthy = resolve));
    const p = poller(
      names,
      [
        {
          id: 'broken',
          shape: 'dynamodb-stream',
          maxAttempts: 1_000,
          handler: async () => {
            brokenCalls++;
            throw new Error('downstream unavailable');
          },
        },
        {
          id: 'healthy',
          shape: 'kinesis',
          handler: async (event) => {
            healthy.push(...event.Records.map((r) => decode(r).dynamodb.Keys.PK.S as string));
            if (healthy.length === 5) allHealthy();
          },
        },
      ],
      { now: () => Date.now() + skew },
    );
    p.start();
    for (let i = 0; i < 5; i++) await put(names.hub, { PK: `G#${i}`, SK: 'STATE' });
    await healthyDone;
    await vi.waitFor(() => expect(p.status().consumers.healthy!.delivered).toBe(5));

    expect(healthy).toEqual(['G#0', 'G#1', 'G#2', 'G#3', 'G#4']);
    expect(brokenCalls).toBeGreaterThan(0);
    skew = 120_000; // two minutes later, the broken consumer is still behind
    const status = p.status();
    expect(status.consumers.broken!.delivered).toBe(0);
    expect(status.consumers.broken!.lagMs).toBeGreaterThanOrEqual(120_000);
    expect(status.consumers.healthy).toMatchObject({ delivered: 5, lagMs: 0 });
    expect(status.lagMs).toBe(status.consumers.broken!.lagMs);
    expect(status.parked).toEqual({ broken: 0, healthy: 0 });
  });
});

describe('stream poller: lifecycle', () => {
  it('drains, stops cleanly, and a new poller replays the stream from TRIM_HORIZON (consumers must be idempotent)', async () => {
    const names = await freshTables();
    const first = recorder('replay');
    const p1 = poller(names, [first.consumer]);
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    p1.start();
    for (let i = 0; i < 3; i++) await put(names.hub, { PK: `H#${i}`, SK: 'STATE' });
    await p1.drain(); // resolves once everything written so far is delivered: no sleeps
    expect(first.records().map(pkOf)).toEqual(['H#0', 'H#1', 'H#2']);
    await put(names.hub, { PK: 'H#3', SK: 'STATE' });
    await p1.drain();
    expect(first.records().map(pkOf)).toEqual(['H#0', 'H#1', 'H#2', 'H#3']);
    await p1.stop();
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(timersBefore);
    await expect(p1.drain()).rejects.toThrow(/not running/);
    expect(p1.status().running).toBe(false);

    // Checkpoints were in memory only: a fresh poller (a restarted local stack) starts again
    // from the oldest record in the stream and hands every change over a second time.
    const second = recorder('replay');
    const p2 = poller(names, [second.consumer]);
    p2.start();
    await p2.drain();
    expect(second.records().map(pkOf)).toEqual(['H#0', 'H#1', 'H#2', 'H#3']);
    expect(second.records().map((r) => r.dynamodb!.SequenceNumber)).toEqual(first.records().map((r) => r.dynamodb!.SequenceNumber));
  });

  it('writes its status only when the lag moves meaningfully, and reports polling errors without stopping', async () => {
    const names = await freshTables();
    const writes: { lagMs: number; reportedAt: string }[] = [];
    const p = poller(names, [recorder('quiet').consumer], { statusIntervalMs: 0, writeStatus: async (s) => void writes.push(s) });
    p.start();
    await put(names.hub, { PK: 'S#1', SK: 'STATE' });
    await p.drain();
    await p.drain();
    expect(writes.length).toBeGreaterThanOrEqual(1);
    const count = writes.length;
    await p.drain();
    await p.drain();
    expect(writes).toHaveLength(count); // same lag bucket, under a minute: no churn in the stream
    expect(writes[0]).toMatchObject({ lagMs: expect.any(Number), reportedAt: expect.stringMatching(/Z$/) });

    // A table that does not exist: every poll fails, is reported, and the poller keeps going.
    const seen: string[] = [];
    let reported!: () => void;
    const twice = new Promise<void>((resolve) => (reported = resolve));
    const broken = poller({ ...names, hub: `${names.hub}-missing` }, [recorder('x').consumer], {
      pollIntervalMs: 1,
      onError: (error) => {
        seen.push((error as Error).name);
        if (seen.length === 2) reported();
      },
    });
    broken.start();
    await twice;
    expect(seen.slice(0, 2)).toEqual(['ResourceNotFoundException', 'ResourceNotFoundException']);
    expect(broken.status()).toMatchObject({ running: true, lastError: 'ResourceNotFoundException' });
    await broken.stop();
  });
});

describe('stream poller: shards', () => {
  /** A stream whose shards close and hand over to children, as DynamoDB rolls shards over. */
  class FakeStream {
    readonly shards: { id: string; parent?: string; records: _Record[]; closed: boolean }[] = [];
    private seq = 0;
    add(shardId: string, pk: string) {
      const shard = this.shards.find((s) => s.id === shardId)!;
      const seq = String(++this.seq).padStart(21, '0');
      shard.records.push({
        eventID: randomUUID(),
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'ddblocal',
        dynamodb: {
          ApproximateCreationDateTime: new Date(),
          Keys: { PK: { S: pk }, SK: { S: 'STATE' } },
          NewImage: { PK: { S: pk }, SK: { S: 'STATE' } },
          SequenceNumber: seq,
          SizeBytes: 10,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      });
    }
    async send(command: unknown): Promise<unknown> {
      if (command instanceof DescribeStreamCommand) {
        return { StreamDescription: { Shards: this.shards.map((s) => ({ ShardId: s.id, ParentShardId: s.parent })) } };
      }
      if (command instanceof GetShardIteratorCommand) {
        const { ShardId, ShardIteratorType, SequenceNumber } = command.input;
        const shard = this.shards.find((s) => s.id === ShardId)!;
        const pos = ShardIteratorType === 'TRIM_HORIZON' ? 0 : shard.records.findIndex((r) => r.dynamodb!.SequenceNumber === SequenceNumber) + 1;
        return { ShardIterator: `${ShardId}|${pos}` };
      }
      if (command instanceof GetRecordsCommand) {
        const [id, at] = command.input.ShardIterator!.split('|') as [string, string];
        const shard = this.shards.find((s) => s.id === id)!;
        const pos = Number(at);
        const records = shard.records.slice(pos, pos + 1); // one a page, to exercise paging
        const next = pos + records.length;
        return { Records: records, NextShardIterator: shard.closed && next >= shard.records.length ? undefined : `${id}|${next}` };
      }
      throw new Error('unexpected command');
    }
  }

  it('follows closed shards into their children, delivering a parent before its child', async () => {
    const stream = new FakeStream();
    stream.shards.push({ id: 'child', parent: 'parent', records: [], closed: false }, { id: 'parent', records: [], closed: true });
    stream.add('parent', 'P#1');
    stream.add('parent', 'P#2');
    stream.add('child', 'P#3');
    const { consumer, records } = recorder('ordered');
    const p = createStreamPoller({
      streamsClient: stream as unknown as DynamoDBStreamsClient,
      dynamoClient: client,
      streamArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/fake/stream/1',
      tableName: 'fake',
      parkTableName: 'fake',
      consumers: [consumer],
      pollIntervalMs: 5,
    });
    pollers.push(p);
    p.start();
    await p.drain();
    expect(records().map(pkOf)).toEqual(['P#1', 'P#2', 'P#3']);
    expect(records()[0]!.eventSourceARN).toBe('arn:aws:dynamodb:eu-west-2:000000000000:table/fake/stream/1');

    // The open shard closes and a new one takes over.
    stream.add('child', 'P#4');
    stream.shards.find((s) => s.id === 'child')!.closed = true;
    stream.shards.push({ id: 'grandchild', parent: 'child', records: [], closed: false });
    stream.add('grandchild', 'P#5');
    await p.drain();
    expect(records().map(pkOf)).toEqual(['P#1', 'P#2', 'P#3', 'P#4', 'P#5']);
    expect(p.status()).toMatchObject({ lagMs: 0, buffered: 0, shards: 3 });
  });
});
