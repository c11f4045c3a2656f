/**
 * The stream records of the samples, shaped as the local stack hands them to consumers (the stream
 * poller's record shapes) for the local stack's region, account and table. Split out of generate-samples.ts.
 */
import { createHash } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Image } from '../events/schemas/index.js';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { kinesisChangeOf, toDynamoDbRecord, toKinesisRecord } from '../infra/local/stream-poller/record-shapes.js';
import type { Buffered, SourceContext } from '../infra/local/stream-poller/types.js';

// The local stack's constants (infra/local/*): region, account, table and stage names.
export const REGION = 'eu-west-2';
export const ACCOUNT = '000000000000';
export const HUB_TABLE = 'hub';
export const STREAM_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${HUB_TABLE}/stream/2026-11-14T00:00:00.000`;

export const image = (item: Record<string, unknown>): Image =>
  marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true }) as Image;
export const keysOf = (item: Record<string, unknown>): Image => image({ PK: item.PK, SK: item.SK });
export const sizeOf = (...images: (Image | undefined)[]): number =>
  Buffer.byteLength(JSON.stringify(images.filter(Boolean)));

export interface Change {
  readonly eventName: 'INSERT' | 'MODIFY';
  readonly keys: Image;
  readonly newImage: Image;
  readonly oldImage?: Image;
  /** The stream sequence number. */
  readonly seq: string;
  readonly at: Date;
  readonly eventID: string;
}

export const changeOf = (
  eventName: Change['eventName'],
  seq: string,
  at: Date,
  next: Record<string, unknown>,
  previous?: Record<string, unknown>,
): Change => ({
  eventName,
  keys: keysOf(next),
  newImage: image(next),
  ...(previous ? { oldImage: image(previous) } : {}),
  seq,
  at,
  eventID: createHash('md5').update(`sample:${seq}`).digest('hex'),
});

/** The stream sample source: the local stack's region, account, table and stream. */
export const SOURCE: SourceContext = { region: REGION, account: ACCOUNT, tableName: HUB_TABLE, streamArn: STREAM_ARN };

/**
 * The change as the local poller holds a record it read (a DynamoDB Streams record), so the
 * samples come out of the poller's own shape builders (infra/local/stream-poller/record-shapes.ts)
 * and cannot drift from what handlers receive locally.
 */
export const asRead = (c: Change): Buffered => ({
  raw: {
    eventID: c.eventID,
    eventName: c.eventName,
    dynamodb: {
      Keys: c.keys,
      NewImage: c.newImage,
      ...(c.oldImage ? { OldImage: c.oldImage } : {}),
      SequenceNumber: c.seq,
      SizeBytes: sizeOf(c.keys, c.newImage, c.oldImage),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  } as unknown as _Record,
  seq: c.seq,
  pk: undefined,
  createdMs: c.at.getTime(),
  // Kinesis receives the change a moment after it was made.
  arrivedMs: c.at.getTime() + 250,
});

/** Lambda's DynamoDB stream record. */
export const dynamoDbRecord = (c: Change) => toDynamoDbRecord(asRead(c), SOURCE);

/** The change Kinesis Data Streams for DynamoDB writes. */
export const kinesisChange = (c: Change) => kinesisChangeOf(asRead(c), SOURCE);

export const kinesisRecord = (c: Change, consumerId: string) => toKinesisRecord(asRead(c), consumerId, SOURCE);
