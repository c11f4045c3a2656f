/**
 * The poller's hand-off to parking (shared/data/parking-repository.ts, the same items the
 * operational consumer writes in Lambda): the record as the consumer received it, so a replay
 * can hand it back. It runs outside the consumer's access scope: here parking stands in for
 * the event source mapping giving up on a record, not for a call of the consumer's code.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { parkRecord, type ParkingTarget } from '../../../shared/data/parking-repository.js';
import type { ParkOutcome } from './batch-runner.js';
import { shapeRecord } from './record-shapes.js';
import type { Buffered, Head, PollerConsumer, Report, Sender, ShardState, SourceContext } from './types.js';

export interface ParkerDeps {
  readonly tableName: string;
  readonly dynamo: () => Sender;
  readonly source: () => SourceContext;
  readonly now: () => number;
  readonly report: Report;
}

export function createParker(deps: ParkerDeps) {
  // One document client per low-level client (a restarted poller may bring new ones).
  let target: { base: Sender; target: ParkingTarget } | undefined;
  const targetOf = (): ParkingTarget => {
    const base = deps.dynamo();
    if (target?.base !== base) {
      const client = DynamoDBDocumentClient.from(base as unknown as DynamoDBClient, {
        marshallOptions: { removeUndefinedValues: true },
      });
      target = { base, target: { client, tableName: deps.tableName } };
    }
    return target.target;
  };

  return async (consumer: PollerConsumer, shard: ShardState, b: Buffered, head: Head): Promise<ParkOutcome> => {
    try {
      return await parkRecord(
        {
          consumerId: consumer.id,
          shape: consumer.shape,
          sequenceNumber: b.seq,
          shardId: shard.id,
          eventName: b.raw.eventName ?? 'UNKNOWN',
          keys: unmarshall((b.raw.dynamodb?.Keys ?? {}) as Parameters<typeof unmarshall>[0]),
          record: shapeRecord(consumer, b, deps.source()),
          attempts: head.attempts,
          error: head.errorName,
          parkedAt: new Date(deps.now()),
        },
        targetOf(),
      );
    } catch (error) {
      deps.report(error, { kind: 'park', consumerId: consumer.id, shardId: shard.id });
      return 'failed';
    }
  };
}
