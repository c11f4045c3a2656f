/**
 * Parked stream records: a record a consumer kept failing on, kept whole in `hub` so the
 * consumer can move on and the record can be looked at and replayed later. One partition per
 * consumer (`PARKED#<consumer>`), sorted by sequence number. The ONE home of these items for
 * both writers: the operational consumer in Lambda (functions/stream/operational.ts, which
 * also counts a record's failures here, since Lambda keeps no count per record) and the local
 * stack's stream poller (infra/local/stream-poller/), which parks for every consumer it runs.
 */
import { gzipSync } from 'node:zlib';
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import { PK, SK, TTL_ATTRIBUTE } from './tables.js';
import { ddb, tableName } from './client.js';

export const PARKED_PREFIX = 'PARKED#';
const FAILURES_PREFIX = 'STREAMFAILURES#';
/** Failure counts outlive the stream's 24 h retention, then expire. */
const FAILURE_COUNT_TTL_S = 2 * 86_400;
/**
 * Both images of a large item can pass DynamoDB's 400 KB item limit, and a park that can never
 * be written would hold the consumer up for good: larger records are stored gzipped.
 */
export const MAX_PLAIN_RECORD_BYTES = 300_000;

export const parkedKey = (consumerId: string, sequenceNumber: string) => ({
  [PK]: `${PARKED_PREFIX}${consumerId}`,
  [SK]: sequenceNumber,
});
const failuresKey = (consumerId: string, sequenceNumber: string) => ({
  [PK]: `${FAILURES_PREFIX}${consumerId}`,
  [SK]: sequenceNumber,
});

export interface ParkedRecord {
  readonly consumerId: string;
  /** The shape the consumer receives (functions/schedules.ts ConsumerDef `source`). */
  readonly shape: 'dynamodb-stream' | 'kinesis';
  readonly sequenceNumber: string;
  /** `unknown` where the runtime does not say (Lambda gives no shard id). */
  readonly shardId: string;
  readonly eventSourceARN?: string;
  readonly eventName: string;
  /** The changed item's keys. */
  readonly keys: Record<string, NativeAttributeValue>;
  /** The record exactly as the consumer received it, so a replay can hand it back. */
  readonly record: unknown;
  readonly attempts: number;
  /** The error's name only: messages can carry identifiable data. */
  readonly error: string;
  readonly parkedAt: Date;
}

/** Where to write: the hub table through the shared client, unless a caller (the local poller) brings its own. */
export interface ParkingTarget {
  readonly client: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
}

const hub = (): ParkingTarget => ({ client: ddb(), tableName: tableName('hub') });

const recordAttribute = (json: string): { record: string } | { recordGzip: Uint8Array } =>
  Buffer.byteLength(json) <= MAX_PLAIN_RECORD_BYTES ? { record: json } : { recordGzip: gzipSync(json) };

/**
 * Parks the record. Conditional, so parking the same record again (a redelivery, a replay
 * after a restart) changes nothing: 'already' then. Other errors are thrown.
 */
export async function parkRecord(parked: ParkedRecord, target: ParkingTarget = hub()): Promise<'parked' | 'already'> {
  const { record, parkedAt, ...rest } = parked;
  try {
    await target.client.send(
      new PutCommand({
        TableName: target.tableName,
        Item: {
          ...parkedKey(parked.consumerId, parked.sequenceNumber),
          ...rest,
          ...recordAttribute(JSON.stringify(record)),
          parkedAt: parkedAt.toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PK },
      }),
    );
    return 'parked';
  } catch (error) {
    if ((error as { name?: string } | null)?.name === 'ConditionalCheckFailedException') return 'already';
    throw error;
  }
}

/** Counts one more failure of a record for a consumer that has no count of its own; returns the count. */
export async function countFailure(
  consumerId: string,
  sequenceNumber: string,
  now: Date,
  target: ParkingTarget = hub(),
): Promise<number> {
  const counted = await target.client.send(
    new UpdateCommand({
      TableName: target.tableName,
      Key: failuresKey(consumerId, sequenceNumber),
      UpdateExpression: 'ADD attempts :one SET #ttl = :ttl',
      ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':one': 1, ':ttl': Math.ceil(now.getTime() / 1000) + FAILURE_COUNT_TTL_S },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(counted.Attributes?.attempts ?? 0);
}
