/** stream-poller tests, routing: see ./stream-poller.fixture.ts for what they run against. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { createStreamPoller } from '../../infra/local/stream-poller.js';
import { client, pollers, freshTables, poller, put, pkOf, decode, recorder } from './stream-poller.fixture.js';

describe('stream poller: routing and independence', () => {
  it(
    'delivers only records whose PK starts with one of ' + 'the consumer prefixes; the rest count as processed',
    async () => {
      const names = await freshTables();
      const filtered = recorder('filtered', { pkPrefixes: ['E#A', 'E#B'] });
      const everything = recorder('everything');
      const p = poller(names, [filtered.consumer, everything.consumer]);
      p.start();
      for (const pk of ['E#A1', 'E#C1', 'E#B1', 'F#1', 'E#A2']) await put(names.hub, { PK: pk, SK: 'STATE' });
      await p.drain();
      expect(filtered.records().map(pkOf)).toEqual(['E#A1', 'E#B1', 'E#A2']);
      expect(everything.records().map(pkOf)).toEqual(['E#A1', 'E#C1', 'E#B1', 'F#1', 'E#A2']);
      expect(p.status()).toMatchObject({
        lagMs: 0,
        consumers: { filtered: { delivered: 3, lagMs: 0 }, everything: { delivered: 5 } },
      });
    },
  );

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
  it(
    'drains, stops cleanly, and a new poller replays the ' + 'stream from TRIM_HORIZON (consumers must be idempotent)',
    async () => {
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
      expect(second.records().map((r) => r.dynamodb!.SequenceNumber)).toEqual(
        first.records().map((r) => r.dynamodb!.SequenceNumber),
      );
    },
  );

  it(
    'writes its status only when the lag moves ' + 'meaningfully, and reports polling errors without stopping',
    async () => {
      const names = await freshTables();
      const writes: { lagMs: number; reportedAt: string }[] = [];
      const p = poller(names, [recorder('quiet').consumer], {
        statusIntervalMs: 0,
        writeStatus: async (s) => void writes.push(s),
      });
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
    },
  );
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
        const pos =
          ShardIteratorType === 'TRIM_HORIZON'
            ? 0
            : shard.records.findIndex((r) => r.dynamodb!.SequenceNumber === SequenceNumber) + 1;
        return { ShardIterator: `${ShardId}|${pos}` };
      }
      if (command instanceof GetRecordsCommand) {
        const [id, at] = command.input.ShardIterator!.split('|') as [string, string];
        const shard = this.shards.find((s) => s.id === id)!;
        const pos = Number(at);
        const records = shard.records.slice(pos, pos + 1); // one a page, to exercise paging
        const next = pos + records.length;
        return {
          Records: records,
          NextShardIterator: shard.closed && next >= shard.records.length ? undefined : `${id}|${next}`,
        };
      }
      throw new Error('unexpected command');
    }
  }

  it('follows closed shards into their children, delivering a parent before its child', async () => {
    const stream = new FakeStream();
    stream.shards.push(
      { id: 'child', parent: 'parent', records: [], closed: false },
      { id: 'parent', records: [], closed: true },
    );
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
