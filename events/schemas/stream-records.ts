/**
 * The change records the stream consumers receive: a DynamoDB stream record as Lambda hands it
 * over (functions/stream/operational.ts), and the change Kinesis Data Streams for DynamoDB
 * writes, base64 in a Kinesis record (functions/stream/analytics.ts). The local stream poller
 * produces both shapes; test/integration/event-shapes.test.ts checks its records against these.
 */
import * as z from 'zod/mini';
import './zod-locale.js';

/**
 * A DynamoDB attribute value in Lambda's JSON form (binary as base64). The type is as loose as
 * the AWS SDK's and aws-lambda's, so their values pass; the schema admits exactly one member.
 */
export interface AttributeValue {
  S?: string | undefined;
  N?: string | undefined;
  B?: string | Uint8Array | undefined;
  BOOL?: boolean | undefined;
  NULL?: boolean | undefined;
  SS?: string[] | undefined;
  NS?: string[] | undefined;
  BS?: (string | Uint8Array)[] | undefined;
  L?: AttributeValue[] | undefined;
  M?: Record<string, AttributeValue> | undefined;
}

export const AttributeValue: z.ZodMiniType<AttributeValue> = z.lazy(() =>
  z.union([
    z.strictObject({ S: z.string() }),
    z.strictObject({ N: z.string() }),
    z.strictObject({ B: z.string() }),
    z.strictObject({ BOOL: z.boolean() }),
    z.strictObject({ NULL: z.literal(true) }),
    z.strictObject({ SS: z.array(z.string()) }),
    z.strictObject({ NS: z.array(z.string()) }),
    z.strictObject({ BS: z.array(z.string()) }),
    z.strictObject({ L: z.array(AttributeValue) }),
    z.strictObject({ M: z.record(z.string(), AttributeValue) }),
  ]),
);
export const Image = z.record(z.string(), AttributeValue);
export type Image = z.infer<typeof Image>;

export const ChangeEventName = z.enum(['INSERT', 'MODIFY', 'REMOVE']);
const UserIdentity = z.strictObject({ type: z.string(), principalId: z.string() });

/** One record of a DynamoDBStreamEvent (the table's stream, NEW_AND_OLD_IMAGES). */
export const DynamoDbStreamRecord = z.strictObject({
  eventID: z.string(),
  eventName: ChangeEventName,
  eventVersion: z.literal('1.1'),
  eventSource: z.literal('aws:dynamodb'),
  awsRegion: z.string(),
  dynamodb: z.strictObject({
    /** Epoch seconds. */
    ApproximateCreationDateTime: z.number(),
    Keys: Image,
    NewImage: z.optional(Image),
    OldImage: z.optional(Image),
    SequenceNumber: z.string(),
    SizeBytes: z.number().check(z.int()).check(z.gte(0)),
    StreamViewType: z.enum(['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY']),
  }),
  eventSourceARN: z.string(),
  userIdentity: z.optional(UserIdentity),
});
export type DynamoDbStreamRecord = z.infer<typeof DynamoDbStreamRecord>;

export const DynamoDbStreamEvent = z.strictObject({ Records: z.array(DynamoDbStreamRecord) });
export type DynamoDbStreamEvent = z.infer<typeof DynamoDbStreamEvent>;

/**
 * The change Kinesis Data Streams for DynamoDB writes: times in milliseconds, no sequence
 * number and no view type (the Kinesis destination always carries both images).
 */
export const KinesisChangeRecord = z.strictObject({
  awsRegion: z.string(),
  eventID: z.string(),
  eventName: ChangeEventName,
  userIdentity: z.nullable(UserIdentity),
  recordFormat: z.literal('application/json'),
  tableName: z.string(),
  dynamodb: z.strictObject({
    /** Epoch milliseconds. */
    ApproximateCreationDateTime: z.number(),
    Keys: Image,
    NewImage: z.optional(Image),
    OldImage: z.optional(Image),
    SizeBytes: z.number().check(z.int()).check(z.gte(0)),
    ApproximateCreationDateTimePrecision: z.enum(['MILLISECOND', 'MICROSECOND']),
  }),
  eventSource: z.literal('aws:dynamodb'),
});
export type KinesisChangeRecord = z.infer<typeof KinesisChangeRecord>;

/** One record of a KinesisStreamEvent; `kinesis.data` is the base64 of a KinesisChangeRecord's JSON. */
export const KinesisStreamRecord = z.strictObject({
  kinesis: z.strictObject({
    kinesisSchemaVersion: z.literal('1.0'),
    partitionKey: z.string(),
    sequenceNumber: z.string(),
    data: z.base64(),
    approximateArrivalTimestamp: z.number(),
  }),
  eventSource: z.literal('aws:kinesis'),
  eventVersion: z.literal('1.0'),
  eventID: z.string(),
  eventName: z.literal('aws:kinesis:record'),
  invokeIdentityArn: z.string(),
  awsRegion: z.string(),
  eventSourceARN: z.string(),
});
export type KinesisStreamRecord = z.infer<typeof KinesisStreamRecord>;

export const KinesisStreamEvent = z.strictObject({ Records: z.array(KinesisStreamRecord) });
export type KinesisStreamEvent = z.infer<typeof KinesisStreamEvent>;

/** The change a Kinesis record carries. */
export const changeOfKinesisRecord = (record: { kinesis: { data: string } }): KinesisChangeRecord =>
  KinesisChangeRecord.parse(JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')));
