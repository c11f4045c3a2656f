/**
 * The local stream poller's batch rules (infra/local/stream-poller/batch-runner.ts): which
 * record a consumer's answer blames, how a whole-batch error is split, when a record is parked.
 * The runner is driven over an in-memory shard, without DynamoDB Local.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  BatchRunner,
  bisected,
  blamed,
  firstFailure,
  retryDelay,
  type ParkOutcome,
} from '../../infra/local/stream-poller/batch-runner.js';
import { Checkpoints } from '../../infra/local/stream-poller/checkpoints.js';
import { bufferedOf } from '../../infra/local/stream-poller/record-shapes.js';
import type { PollerConsumer, ShardState } from '../../infra/local/stream-poller/types.js';

describe('firstFailure: the record a batchItemFailures answer blames', () => {
  const ids = ['s1', 's2', 's3'];
  it.each([
    ['no answer (void)', undefined, undefined],
    ['null', null, undefined],
    ['no batchItemFailures', {}, undefined],
    ['an empty list', { batchItemFailures: [] }, undefined],
    ['not a list', { batchItemFailures: 's2' }, undefined],
    ['one record', { batchItemFailures: [{ itemIdentifier: 's2' }] }, 1],
    [
      'several: the earliest in the batch',
      { batchItemFailures: [{ itemIdentifier: 's3' }, { itemIdentifier: 's2' }] },
      1,
    ],
    [
      'a record not in the batch',
      { batchItemFailures: [{ itemIdentifier: 's1' }, { itemIdentifier: 's9' }] },
      'invalid',
    ],
    ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }, 'invalid'],
    ['an identifier that is not a string', { batchItemFailures: [{ itemIdentifier: 2 }] }, 'invalid'],
    ['a null entry', { batchItemFailures: [null] }, 'invalid'],
  ])('%s', (_, result, expected) => {
    expect(firstFailure(result, ids)).toBe(expected);
  });
});

describe('bisected: a whole-batch error halves the next batches until the failed batch is passed', () => {
  it.each([
    ['10 records from 0', 10, 0, undefined, { limit: 5, until: 10 }],
    ['an odd length rounds up', 7, 20, undefined, { limit: 4, until: 27 }],
    ['two records', 2, 5, undefined, { limit: 1, until: 7 }],
    ['a half inside an earlier split keeps its end', 3, 4, { until: 10 }, { limit: 2, until: 10 }],
    ['a batch reaching past an earlier split extends it', 6, 8, { until: 10 }, { limit: 3, until: 14 }],
  ])('%s', (_, length, next, current, expected) => {
    expect(bisected(length, next, current)).toEqual(expected);
  });
});

describe('retryDelay and blamed', () => {
  it.each([
    [1, 50],
    [2, 100],
    [4, 400],
    [5, 500],
    [10, 500],
    [0, 50],
  ])('attempt %i waits %i ms (base 50, cap 500)', (attempts, expected) => {
    expect(retryDelay(attempts, 50, 500)).toBe(expected);
  });

  it.each([
    ['a first failure', undefined, 4, { index: 4, attempts: 1, parkPending: false }],
    [
      'the same record again',
      { index: 4, attempts: 1, errorName: 'E', parkPending: false },
      4,
      { index: 4, attempts: 2, parkPending: false },
    ],
    [
      'the third time: parked',
      { index: 4, attempts: 2, errorName: 'E', parkPending: false },
      4,
      { index: 4, attempts: 3, parkPending: true },
    ],
    [
      'another record starts again',
      { index: 4, attempts: 2, errorName: 'E', parkPending: false },
      5,
      { index: 5, attempts: 1, parkPending: false },
    ],
  ])('%s', (_, head, index, expected) => {
    expect(blamed(head, index, 'BatchItemFailure', 3)).toEqual({ ...expected, errorName: 'BatchItemFailure' });
  });
});

/** Runs one consumer over `n` records (PK R#1..R#n) to the end; returns what it saw and what was parked. */
async function run(
  n: number,
  // biome-ignore lint/suspicious/noConfusingVoidType: a Lambda stream handler may return nothing (@types/aws-lambda)
  handler: (pks: string[]) => DynamoDBBatchResponse | void,
  extra: Partial<PollerConsumer> = {},
) {
  const shard: ShardState = {
    id: 'shard-1',
    parentId: undefined,
    iterator: undefined,
    lastReadSeq: undefined,
    ended: true,
    buffer: [],
    base: 0,
    listed: true,
  };
  for (let i = 1; i <= n; i++) {
    shard.buffer.push(
      bufferedOf(
        {
          eventName: 'INSERT',
          dynamodb: { Keys: { PK: { S: `R#${i}` } }, SequenceNumber: String(i).padStart(4, '0') },
        },
        0,
      )!,
    );
  }
  const batches: string[][] = [];
  const parked: { pk: string; attempts: number; error: string }[] = [];
  let clock = 0;
  const consumer = {
    id: 'unit-test-consumer',
    shape: 'dynamodb-stream',
    batchSize: 4,
    handler: async (event: DynamoDBStreamEvent) => {
      const pks = event.Records.map((r) => r.dynamodb!.Keys!.PK!.S!);
      batches.push(pks);
      const answer = handler(pks);
      return answer
        ? {
            batchItemFailures: answer.batchItemFailures.map((f) => ({
              itemIdentifier: event.Records[pks.indexOf(f.itemIdentifier)]!.dynamodb!.SequenceNumber!,
            })),
          }
        : undefined;
    },
    ...extra,
  } as PollerConsumer;
  const checkpoints = new Checkpoints([consumer.id], () => shard);
  const runner = new BatchRunner({
    consumer,
    checkpoints,
    source: () => ({ region: 'eu-west-2', account: '000000000000', tableName: 't', streamArn: undefined }),
    now: () => clock,
    backoff: { baseMs: 10, maxMs: 100 },
    report: () => undefined,
    park: async (_c, _s, b, head): Promise<ParkOutcome> => {
      parked.push({ pk: b.pk!, attempts: head.attempts, error: head.errorName });
      return 'parked';
    },
  });
  for (let i = 0; i < 1000; i++) {
    const result = await runner.deliver([shard]);
    if (!result.pending) break;
    clock = Math.max(clock + 1, Number.isFinite(result.wakeAt) ? result.wakeAt : clock);
  }
  return { batches, parked, counters: runner.counters };
}

class Poison extends Error {
  override name = 'Poison';
}

describe('BatchRunner over a shard', () => {
  it('delivers in batches of batchSize when all goes well', async () => {
    const { batches, parked, counters } = await run(10, () => undefined);
    expect(batches).toEqual([
      ['R#1', 'R#2', 'R#3', 'R#4'],
      ['R#5', 'R#6', 'R#7', 'R#8'],
      ['R#9', 'R#10'],
    ]);
    expect(parked).toEqual([]);
    expect(counters).toEqual({ delivered: 10, parked: 0, failedBatches: 0 });
  });

  it.each([
    ['the first record', 'R#1'],
    ['a middle record', 'R#6'],
    ['the last record', 'R#10'],
  ])(
    'a throw on %s: split until it stands alone, only it is parked, every other record delivered',
    async (_, culprit) => {
      const { batches, parked, counters } = await run(10, (pks) => {
        if (pks.includes(culprit)) throw new Poison('identifiable');
      });
      expect(parked).toEqual([{ pk: culprit, attempts: 3, error: 'Poison' }]);
      const delivered = batches.filter((b) => !b.includes(culprit)).flat();
      expect(new Set(delivered)).toEqual(
        new Set(Array.from({ length: 10 }, (_, i) => `R#${i + 1}`).filter((pk) => pk !== culprit)),
      );
      expect(batches.filter((b) => b.length === 1 && b[0] === culprit)).toHaveLength(3);
      expect(counters.delivered).toBe(9);
      expect(counters.parked).toBe(1);
    },
  );

  it('a reported failure retries from that record; the ones before it count as delivered', async () => {
    const { batches, parked, counters } = await run(6, (pks) =>
      pks.includes('R#3') ? { batchItemFailures: [{ itemIdentifier: 'R#3' }] } : undefined,
    );
    expect(batches[0]).toEqual(['R#1', 'R#2', 'R#3', 'R#4']);
    expect(batches.slice(1, 3)).toEqual([
      ['R#3', 'R#4', 'R#5', 'R#6'],
      ['R#3', 'R#4', 'R#5', 'R#6'],
    ]);
    expect(parked).toEqual([{ pk: 'R#3', attempts: 3, error: 'BatchItemFailure' }]);
    expect(batches.at(-1)).toEqual(['R#4', 'R#5', 'R#6']);
    expect(counters).toEqual({ delivered: 5, parked: 1, failedBatches: 3 });
  });

  it('records outside the filter are skipped, never handed over', async () => {
    const { batches, counters } = await run(6, () => undefined, { pkPrefixes: ['R#2', 'R#5'] });
    expect(batches.flat()).toEqual(['R#2', 'R#5']);
    expect(counters.delivered).toBe(2);
  });
});
