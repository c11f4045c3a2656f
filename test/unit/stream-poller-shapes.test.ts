/**
 * The local stream poller's record shapes (infra/local/stream-poller/record-shapes.ts): what a
 * consumer receives, built from a DynamoDB Streams record without DynamoDB Local.
 */
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import {
  bufferedOf,
  identifierOf,
  kinesisSequenceNumber,
  matches,
  partitionKeyOf,
  shapeRecord,
  toDynamoDbRecord,
  toJsonValue,
  toKinesisRecord,
} from '../../infra/local/stream-poller/record-shapes.js';
import type { SourceContext } from '../../infra/local/stream-poller/types.js';

const source: SourceContext = {
  region: 'eu-west-2',
  account: '123456789012',
  tableName: 'hub-test',
  streamArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/hub-test/stream/2026-12-04T00:00:00.000',
};

const raw = (over: Partial<NonNullable<_Record['dynamodb']>> = {}, top: Partial<_Record> = {}): _Record => ({
  eventID: 'e-1',
  eventName: 'INSERT',
  dynamodb: {
    Keys: { PK: { S: 'REFERRAL#1' }, SK: { S: 'EVENT#0001' } },
    NewImage: { PK: { S: 'REFERRAL#1' }, SK: { S: 'EVENT#0001' }, n: { N: '7' } },
    SequenceNumber: '000000000000000000042',
    SizeBytes: 64,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
    ApproximateCreationDateTime: new Date('2026-12-04T10:00:00.000Z'),
    ...over,
  },
  ...top,
});

const at = (iso: string) => new Date(iso).getTime();

describe('toJsonValue: Lambda JSON attribute values from the Streams API ones', () => {
  it.each([
    ['string', { S: 'x' }, { S: 'x' }],
    ['number', { N: '1.5' }, { N: '1.5' }],
    ['binary as base64', { B: new Uint8Array([1, 2, 3]) }, { B: 'AQID' }],
    ['boolean', { BOOL: false }, { BOOL: false }],
    ['null', { NULL: true }, { NULL: true }],
    ['string set', { SS: ['a', 'b'] }, { SS: ['a', 'b'] }],
    ['number set', { NS: ['1', '2'] }, { NS: ['1', '2'] }],
    ['binary set', { BS: [new Uint8Array([255])] }, { BS: ['/w=='] }],
    ['list, nested', { L: [{ S: 'a' }, { B: new Uint8Array([1]) }] }, { L: [{ S: 'a' }, { B: 'AQ==' }] }],
    ['map, nested', { M: { a: { M: { b: { N: '1' } } } } }, { M: { a: { M: { b: { N: '1' } } } } }],
    ["an empty map (DynamoDB Local's bare {})", {}, { M: {} }],
  ] as const)('%s', (_, value, expected) => {
    expect(toJsonValue(value as never)).toEqual(expected);
  });

  it('refuses a value it does not know', () => {
    expect(() => toJsonValue({ $unknown: ['X', 1] } as never)).toThrow(TypeError);
  });
});

describe('kinesisSequenceNumber and partitionKeyOf', () => {
  it.each([
    ['1', `49${'1'.padStart(54, '0')}`],
    ['000000000000000000042', `49${'42'.padStart(54, '0')}`],
  ])('%s becomes a fixed-width Kinesis sequence number', (seq, expected) => {
    expect(kinesisSequenceNumber(seq)).toBe(expected);
    expect(kinesisSequenceNumber(seq)).toHaveLength(56);
  });

  it('keeps stream order as string order', () => {
    const seqs = ['9', '10', '100', '000000000000000000101'];
    const mapped = seqs.map(kinesisSequenceNumber);
    expect([...mapped].sort()).toEqual(mapped);
  });

  it.each([
    ['same keys in another order', { PK: { S: 'A' }, SK: { S: 'B' } }, { SK: { S: 'B' }, PK: { S: 'A' } }, true],
    ['another item', { PK: { S: 'A' }, SK: { S: 'B' } }, { PK: { S: 'A' }, SK: { S: 'C' } }, false],
  ] as const)('a hash of the keys: %s', (_, a, b, same) => {
    expect(partitionKeyOf(a)).toMatch(/^[0-9A-F]{32}$/);
    expect(partitionKeyOf(a) === partitionKeyOf(b)).toBe(same);
  });
});

describe('bufferedOf: the creation time is the truncated time, bounded by arrival', () => {
  it.each([
    [
      'read within the minute: the arrival time',
      '2026-12-04T10:00:00.000Z',
      '2026-12-04T10:00:20.000Z',
      '2026-12-04T10:00:20.000Z',
    ],
    [
      'a replay long after: the end of the truncated minute',
      '2026-12-04T10:00:00.000Z',
      '2026-12-04T10:05:00.000Z',
      '2026-12-04T10:00:59.999Z',
    ],
    [
      'arrival stamped before the record: the record time',
      '2026-12-04T10:00:00.000Z',
      '2026-12-04T09:59:59.000Z',
      '2026-12-04T10:00:00.000Z',
    ],
  ])('%s', (_, created, arrived, expected) => {
    const b = bufferedOf(raw({ ApproximateCreationDateTime: new Date(created) }), at(arrived));
    expect(b).toMatchObject({
      seq: '000000000000000000042',
      pk: 'REFERRAL#1',
      arrivedMs: at(arrived),
      createdMs: at(expected),
    });
  });

  it('without a creation time, the arrival time', () => {
    expect(bufferedOf(raw({ ApproximateCreationDateTime: undefined }), 5000)?.createdMs).toBe(5000);
  });

  it('skips a record without a sequence number', () => {
    expect(bufferedOf(raw({ SequenceNumber: undefined }), 0)).toBeUndefined();
  });
});

describe('the DynamoDB stream record Lambda hands on', () => {
  it.each([
    ['an INSERT: no old image', raw(), { hasNew: true, hasOld: false }],
    [
      'a REMOVE: no new image',
      raw({ NewImage: undefined, OldImage: { PK: { S: 'REFERRAL#1' } } }, { eventName: 'REMOVE' }),
      { hasNew: false, hasOld: true },
    ],
  ] as const)('%s', (_, record, { hasNew, hasOld }) => {
    const b = bufferedOf(record, at('2026-12-04T10:00:30.500Z'))!;
    const shaped = toDynamoDbRecord(b, source);
    expect(shaped).toMatchObject({
      eventID: 'e-1',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-2',
      eventSourceARN: 'arn:aws:dynamodb:eu-west-2:000000000000:table/hub-test/stream/2026-12-04T00:00:00.000',
      dynamodb: {
        Keys: { PK: { S: 'REFERRAL#1' } },
        SequenceNumber: b.seq,
        SizeBytes: 64,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
        ApproximateCreationDateTime: at('2026-12-04T10:00:30Z') / 1000,
      },
    });
    expect('NewImage' in shaped.dynamodb!).toBe(hasNew);
    expect('OldImage' in shaped.dynamodb!).toBe(hasOld);
    expect(shaped).not.toHaveProperty('userIdentity');
  });

  it('names the TTL service as Lambda does', () => {
    const b = bufferedOf(raw({}, { userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' } }), 0)!;
    expect(toDynamoDbRecord(b, source).userIdentity).toEqual({
      type: 'Service',
      principalId: 'dynamodb.amazonaws.com',
    });
  });
});

describe('the Kinesis record Kinesis Data Streams for DynamoDB writes', () => {
  const b = bufferedOf(raw(), at('2026-12-04T10:00:30.500Z'))!;
  const record = toKinesisRecord(b, 'analytics', source);
  const change = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));

  it('wraps the change as a Kinesis event record', () => {
    expect(record).toMatchObject({
      eventSource: 'aws:kinesis',
      eventName: 'aws:kinesis:record',
      eventID: `shardId-000000000000:${kinesisSequenceNumber(b.seq)}`,
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/analytics-local',
      eventSourceARN: 'arn:aws:kinesis:eu-west-2:123456789012:stream/hub-test-changes',
      kinesis: {
        sequenceNumber: kinesisSequenceNumber(b.seq),
        partitionKey: partitionKeyOf(change.dynamodb.Keys),
        approximateArrivalTimestamp: b.arrivedMs / 1000,
      },
    });
  });

  it('carries milliseconds and both images, without sequence number or view type', () => {
    expect(change).toMatchObject({
      tableName: 'hub-test',
      eventName: 'INSERT',
      recordFormat: 'application/json',
      userIdentity: null,
      eventSource: 'aws:dynamodb',
    });
    expect(change.dynamodb).toEqual({
      ApproximateCreationDateTime: b.createdMs,
      ApproximateCreationDateTimePrecision: 'MILLISECOND',
      Keys: { PK: { S: 'REFERRAL#1' }, SK: { S: 'EVENT#0001' } },
      NewImage: { PK: { S: 'REFERRAL#1' }, SK: { S: 'EVENT#0001' }, n: { N: '7' } },
      SizeBytes: 64,
    });
  });
});

describe('per consumer: shape, identifier, filter', () => {
  const b = bufferedOf(raw(), 0)!;
  it.each([
    ['dynamodb-stream', b.seq, 'aws:dynamodb'],
    ['kinesis', kinesisSequenceNumber(b.seq), 'aws:kinesis'],
  ] as const)('%s: names records by %s', (shape, id, eventSource) => {
    expect(identifierOf({ shape }, b)).toBe(id);
    expect(shapeRecord({ id: 'c', shape }, b, source).eventSource).toBe(eventSource);
  });

  it.each([
    [undefined, 'REFERRAL#1', true],
    [['REFERRAL#'], 'REFERRAL#1', true],
    [['BEDUNIT#', 'REFERRAL#'], 'REFERRAL#1', true],
    [['BEDUNIT#'], 'REFERRAL#1', false],
    [['REFERRAL#'], undefined, false],
    [[], 'REFERRAL#1', false],
  ] as const)('prefixes %j and PK %s: %s', (pkPrefixes, pk, expected) => {
    expect(matches(pkPrefixes ? { pkPrefixes } : {}, { pk })).toBe(expected);
  });
});
