/**
 * The samples in events/samples/ are shaped as the local stack hands records over: the items of
 * the samples are written to a fresh table, and what the stream poller delivers (a DynamoDB
 * stream record and a Kinesis record) must parse with the events/ schemas (closed objects: an
 * extra or missing field fails), carry the same fields as the samples, and the same images.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it, inject } from 'vitest';
import { PutItemCommand, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, KinesisStreamRecord } from 'aws-lambda';
import { localDynamoClient } from '../../infra/local/dynamodb.js';
import { createStreamPoller } from '../../infra/local/stream-poller.js';
import { ensureTables, tableNames } from '../../infra/local/tables.js';
import {
  changeOfKinesisRecord,
  DynamoDbStreamEvent,
  DynamoDbStreamRecord,
  KinesisChangeRecord,
  KinesisStreamEvent,
  KinesisStreamRecord as KinesisRecordSchema,
  type Image,
} from '../../events/schemas/index.js';
import { loadSample } from '../support/samples.js';

const endpoint = inject('dynamoEndpoint');
const client = localDynamoClient(endpoint);
afterAll(() => client.destroy());

const fieldsOf = (value: object): string[] => Object.keys(value).sort();

describe('event samples against the local stack', () => {
  it("the poller delivers records of the samples' shapes, with the samples' images", async () => {
    const insertSample = DynamoDbStreamEvent.parse(loadSample('dynamodb-stream/referral-event-insert.json'))
      .Records[0]!;
    const modifySample = DynamoDbStreamEvent.parse(loadSample('dynamodb-stream/referral-state-modify.json'))
      .Records[0]!;
    const kinesisSample = KinesisStreamEvent.parse(loadSample('kinesis/referral-state-modify.json')).Records[0]!;
    const changeSample = changeOfKinesisRecord(kinesisSample);

    const names = tableNames(`shapes-${randomUUID().slice(0, 8)}-`);
    await ensureTables(client, names);
    const streamRecords: DynamoDBRecord[] = [];
    const kinesisRecords: KinesisStreamRecord[] = [];
    const poller = createStreamPoller({
      endpoint,
      tableName: names.hub,
      parkTableName: names.hub,
      pollIntervalMs: 20,
      consumers: [
        { id: 'operational', shape: 'dynamodb-stream', handler: async (e) => void streamRecords.push(...e.Records) },
        { id: 'analytics', shape: 'kinesis', handler: async (e) => void kinesisRecords.push(...e.Records) },
      ],
    });
    poller.start();
    try {
      const put = (image: Image) =>
        client.send(new PutItemCommand({ TableName: names.hub, Item: image as Record<string, SdkAttributeValue> }));
      await put(modifySample.dynamodb.OldImage!);
      await put(modifySample.dynamodb.NewImage!);
      await put(insertSample.dynamodb.NewImage!);
      await poller.drain();
    } finally {
      await poller.stop();
    }
    expect(streamRecords.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'INSERT']);
    expect(kinesisRecords).toHaveLength(3);

    const [, modified, inserted] = streamRecords.map((r) => DynamoDbStreamRecord.parse(r));
    for (const [got, sample] of [
      [inserted!, insertSample],
      [modified!, modifySample],
    ] as const) {
      expect(fieldsOf(got)).toEqual(fieldsOf(sample));
      expect(fieldsOf(got.dynamodb)).toEqual(fieldsOf(sample.dynamodb));
      expect(got.dynamodb.Keys).toEqual(sample.dynamodb.Keys);
      expect(got.dynamodb.NewImage).toEqual(sample.dynamodb.NewImage);
      expect(got.dynamodb.OldImage).toEqual(sample.dynamodb.OldImage);
      expect(got.dynamodb.StreamViewType).toBe(sample.dynamodb.StreamViewType);
    }

    const kinesisModify = KinesisRecordSchema.parse(kinesisRecords[1]);
    expect(fieldsOf(kinesisModify)).toEqual(fieldsOf(kinesisSample));
    expect(fieldsOf(kinesisModify.kinesis)).toEqual(fieldsOf(kinesisSample.kinesis));
    expect(kinesisModify.kinesis.partitionKey).toBe(kinesisSample.kinesis.partitionKey);
    const change = KinesisChangeRecord.parse(changeOfKinesisRecord(kinesisModify));
    expect(Object.keys(change)).toEqual(Object.keys(changeSample));
    expect(fieldsOf(change.dynamodb)).toEqual(fieldsOf(changeSample.dynamodb));
    expect(change.dynamodb.NewImage).toEqual(changeSample.dynamodb.NewImage);
    expect(change.dynamodb.OldImage).toEqual(changeSample.dynamodb.OldImage);
  });
});
