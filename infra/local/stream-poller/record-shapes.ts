/**
 * Pure builders of what a consumer receives: a DynamoDB stream record as Lambda hands it on
 * (JSON attribute values, epoch seconds), or the record Kinesis Data Streams for DynamoDB
 * writes, wrapped as a Kinesis event record. Also what the poller keeps of a record it reads.
 */
import { createHash } from 'node:crypto';
import type { _Record, AttributeValue as StreamAttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, KinesisStreamRecord } from 'aws-lambda';
import { PK } from '../../../shared/data/tables.js';
import type { Buffered, PollerConsumer, SourceContext } from './types.js';

// DynamoDB Local truncates ApproximateCreationDateTime to the minute (AWS: to the second).
export const CREATION_PRECISION_MS = 60_000;

/** Lambda's JSON form of an attribute value: binary as base64. */
export function toJsonValue(value: StreamAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(toJsonValue) };
  if (value.M !== undefined) return { M: toJsonImage(value.M)! };
  // An empty map arrives from DynamoDB Local's stream (through the SDK) as a bare `{}`.
  if (Object.keys(value).length === 0) return { M: {} };
  throw new TypeError('Unsupported attribute value in stream record');
}

export function toJsonImage(
  image: Record<string, StreamAttributeValue> | undefined,
): Record<string, AttributeValue> | undefined {
  if (!image) return undefined;
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, toJsonValue(v)]));
}

/** Kinesis sequence numbers are long decimal strings; a fixed width keeps them unique and increasing. */
export const kinesisSequenceNumber = (seq: string): string => `49${seq.padStart(54, '0')}`;

/** As Kinesis Data Streams for DynamoDB partitions: a hash of the item's keys. */
export const partitionKeyOf = (keys: Record<string, AttributeValue> | undefined): string => {
  const sorted = Object.keys(keys ?? {})
    .sort()
    .map((k) => [k, keys![k]]);
  return createHash('md5').update(JSON.stringify(sorted)).digest('hex').toUpperCase();
};

/**
 * What the poller keeps of a record it read at `arrivedMs`, or undefined for one without a
 * sequence number. The creation time is the record's (truncated) time, bounded by when it
 * arrived: DynamoDB Local's minute precision would otherwise make every lag up to a minute.
 */
export function bufferedOf(raw: _Record, arrivedMs: number): Buffered | undefined {
  const seq = raw.dynamodb?.SequenceNumber;
  if (!seq) return undefined;
  const approx = raw.dynamodb?.ApproximateCreationDateTime?.getTime() ?? arrivedMs;
  return {
    raw,
    seq,
    pk: raw.dynamodb?.Keys?.[PK]?.S,
    createdMs: Math.max(approx, Math.min(arrivedMs, approx + CREATION_PRECISION_MS - 1)),
    arrivedMs,
  };
}

/** The stream ARN as Lambda reports it: DynamoDB Local puts `ddblocal` where the region goes. */
export const sourceArnOf = (source: SourceContext): string =>
  (source.streamArn ?? '').replace(':ddblocal:', `:${source.region}:`);

export function toDynamoDbRecord(b: Buffered, source: SourceContext): DynamoDBRecord {
  const r = b.raw;
  const d = r.dynamodb ?? {};
  return {
    eventID: r.eventID,
    eventName: r.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: source.region,
    dynamodb: {
      // Lambda gives epoch seconds as a number; the Streams API gives a Date.
      ApproximateCreationDateTime: Math.floor(b.createdMs / 1000),
      Keys: toJsonImage(d.Keys),
      ...(d.NewImage ? { NewImage: toJsonImage(d.NewImage) } : {}),
      ...(d.OldImage ? { OldImage: toJsonImage(d.OldImage) } : {}),
      SequenceNumber: b.seq,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType,
    },
    eventSourceARN: sourceArnOf(source),
    ...(r.userIdentity ? { userIdentity: { type: r.userIdentity.Type, principalId: r.userIdentity.PrincipalId } } : {}),
  };
}

/**
 * The record Kinesis Data Streams for DynamoDB writes (the `data` of a Kinesis record):
 * milliseconds, no sequence number and no view type (the destination always carries both images).
 */
export function kinesisChangeOf(b: Buffered, source: Pick<SourceContext, 'region' | 'tableName'>) {
  const r = b.raw;
  const d = r.dynamodb ?? {};
  const { region, tableName } = source;
  return {
    awsRegion: region,
    eventID: r.eventID,
    eventName: r.eventName,
    userIdentity: r.userIdentity ? { type: r.userIdentity.Type, principalId: r.userIdentity.PrincipalId } : null,
    recordFormat: 'application/json',
    tableName,
    dynamodb: {
      ApproximateCreationDateTime: b.createdMs,
      Keys: toJsonImage(d.Keys),
      NewImage: toJsonImage(d.NewImage),
      OldImage: toJsonImage(d.OldImage),
      SizeBytes: d.SizeBytes,
      ApproximateCreationDateTimePrecision: 'MILLISECOND',
    },
    eventSource: 'aws:dynamodb',
  };
}

export function toKinesisRecord(b: Buffered, consumerId: string, source: SourceContext): KinesisStreamRecord {
  const keys = toJsonImage(b.raw.dynamodb?.Keys);
  const sequenceNumber = kinesisSequenceNumber(b.seq);
  const { region, account, tableName } = source;
  const change = kinesisChangeOf(b, source);
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: partitionKeyOf(keys),
      sequenceNumber,
      data: Buffer.from(JSON.stringify(change)).toString('base64'),
      approximateArrivalTimestamp: b.arrivedMs / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: `arn:aws:iam::${account}:role/${consumerId}-local`,
    awsRegion: region,
    eventSourceARN: `arn:aws:kinesis:${region}:${account}:stream/${tableName}-changes`,
  };
}

type ConsumerShape = Pick<PollerConsumer, 'id' | 'shape'>;

/** The record in the shape this consumer's AWS source gives it. */
export const shapeRecord = (
  consumer: ConsumerShape,
  b: Buffered,
  source: SourceContext,
): DynamoDBRecord | KinesisStreamRecord =>
  consumer.shape === 'kinesis' ? toKinesisRecord(b, consumer.id, source) : toDynamoDbRecord(b, source);

/** What the consumer names in batchItemFailures for this record. */
export const identifierOf = (consumer: Pick<PollerConsumer, 'shape'>, b: Pick<Buffered, 'seq'>): string =>
  consumer.shape === 'kinesis' ? kinesisSequenceNumber(b.seq) : b.seq;

/** Lambda's filter criteria on the partition key: no prefixes, everything passes. */
export const matches = (consumer: Pick<PollerConsumer, 'pkPrefixes'>, b: Pick<Buffered, 'pk'>): boolean =>
  !consumer.pkPrefixes || (b.pk !== undefined && consumer.pkPrefixes.some((p) => b.pk!.startsWith(p)));
