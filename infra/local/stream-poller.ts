/**
 * The local stand-in for Lambda's event source mappings: reads DynamoDB Local's stream of a
 * table and hands each change to every consumer in the shape its AWS source has (a
 * DynamoDBStreamEvent, or a KinesisStreamEvent as Kinesis Data Streams for DynamoDB writes it),
 * with Lambda's filter criteria, ReportBatchItemFailures, retries and bisection, and parks a
 * record that keeps failing in the table (ARCHITECTURE.md, data flow).
 *
 * One reader per shard buffers records; each consumer keeps its own checkpoint per shard in
 * memory, so consumers progress independently and one failing consumer holds up no other.
 *
 * Checkpoints live in memory only: a restarted local stack reads every shard again from
 * TRIM_HORIZON (DynamoDB Streams keep 24 h), so consumers see changes again. That is the AWS
 * contract too (at-least-once delivery): consumers must be idempotent.
 *
 * DynamoDB Local truncates ApproximateCreationDateTime to the minute, so the time handed on
 * (and the lag) is the record's time bounded by when the poller first read it: within a poll
 * interval of the truth while the poller keeps up, within a minute on a replay.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type AttributeValue as StreamAttributeValue,
} from '@aws-sdk/client-dynamodb-streams';
import {
  ConditionalCheckFailedException,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  type AttributeValue as TableAttributeValue,
} from '@aws-sdk/client-dynamodb';
import type {
  AttributeValue,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import { accessScopeOf } from '../../functions/access.js';
import { runWithAccess } from '../../shared/data/access-guard.js';
import { PK, SK } from '../../shared/data/tables.js';
import { LOCAL_CREDENTIALS } from './dynamodb.js';

interface ConsumerBase {
  readonly id: string;
  /** Lambda filter criteria: only records whose `PK` starts with one of these are delivered. */
  readonly pkPrefixes?: readonly string[];
  /** Default 100. */
  readonly batchSize?: number;
  /** Attempts before a record is parked. Default 3. */
  readonly maxAttempts?: number;
}

export type PollerConsumer =
  | (ConsumerBase & {
      readonly shape: 'dynamodb-stream';
      readonly handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
    })
  | (ConsumerBase & {
      readonly shape: 'kinesis';
      readonly handler: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void>;
    });

export interface PollerErrorContext {
  readonly kind: 'poll' | 'handler' | 'park' | 'status';
  readonly consumerId?: string;
  readonly shardId?: string;
}

export interface PollerStatusReport {
  lagMs: number;
  reportedAt: string;
}

type Sender = { send(command: unknown): Promise<unknown> };

export interface StreamPollerOptions {
  /** DynamoDB Local's endpoint: the poller builds (and at stop destroys) its own clients. */
  readonly endpoint?: string;
  /** Or clients supplied by the caller (left open at stop). */
  readonly streamsClient?: DynamoDBStreamsClient;
  readonly dynamoClient?: DynamoDBClient;
  /** The source table, e.g. the hub table. */
  readonly tableName: string;
  /** Where parked records go: the hub table. */
  readonly parkTableName: string;
  /** Skips the DescribeTable lookup of the table's latest stream. */
  readonly streamArn?: string;
  readonly consumers: readonly PollerConsumer[];
  /** Pause between polls once caught up. Default 250. */
  readonly pollIntervalMs?: number;
  /** Retry backoff: base * 2^(attempt-1), capped. Defaults 50 and 500. */
  readonly backoff?: { readonly baseMs?: number; readonly maxMs?: number };
  readonly now?: () => number;
  /** How often to consider writing the status. Default 15 000. */
  readonly statusIntervalMs?: number;
  /** E.g. `recordPollerStatus` from shared/data/system-repository.ts; none by default. */
  readonly writeStatus?: (status: PollerStatusReport) => Promise<void>;
  /** Errors never stop the poller; this hears about them. */
  readonly onError?: (error: unknown, context: PollerErrorContext) => void;
  readonly region?: string;
  readonly account?: string;
}

export interface ConsumerStatus {
  delivered: number;
  parked: number;
  failedBatches: number;
  /** Age of this consumer's oldest record not yet processed (0 when caught up). */
  lagMs: number;
}

export interface StreamPollerStatus {
  running: boolean;
  streamArn: string | null;
  /** now − creation time of the oldest record not yet processed by every consumer; 0 when caught up. */
  lagMs: number;
  /** When the poller last read a record from the stream. */
  lastRecordAt: string | null;
  lastPollAt: string | null;
  shards: number;
  buffered: number;
  parked: Record<string, number>;
  consumers: Record<string, ConsumerStatus>;
  /** Name of the last polling error, cleared by the next good poll. */
  lastError: string | null;
}

export interface StreamPoller {
  start(): void;
  /** Stops polling and waits for the batch in flight; no timers are left. */
  stop(): Promise<void>;
  /** Resolves once every record written before the call has been processed by every consumer (delivered, filtered out or parked). */
  drain(): Promise<void>;
  status(): StreamPollerStatus;
}

/** Parked records: one partition per consumer, sorted by sequence number, for the replay command. */
export const PARKED_PREFIX = 'PARKED#';
export const parkedKey = (consumerId: string, sequenceNumber: string) => ({ [PK]: `${PARKED_PREFIX}${consumerId}`, [SK]: sequenceNumber });

const READ_LIMIT = 1000; // GetRecords' maximum
const MAX_BUFFERED = 10_000; // per shard: stop reading ahead of a slow consumer
const DESCRIBE_INTERVAL_MS = 1000;
const STATUS_REFRESH_MS = 60_000;
const MAX_POLL_BACKOFF_MS = 5000;
const MAX_PLAIN_RECORD_BYTES = 300_000;
// DynamoDB Local truncates ApproximateCreationDateTime to the minute (AWS: to the second).
const CREATION_PRECISION_MS = 60_000;

interface Buffered {
  readonly raw: _Record;
  readonly seq: string;
  readonly pk: string | undefined;
  /** Best estimate of the change's time: the record's truncated time, bounded by when we first read it. */
  readonly createdMs: number;
  readonly arrivedMs: number;
}

interface ShardState {
  readonly id: string;
  readonly parentId: string | undefined;
  iterator: string | undefined;
  lastReadSeq: string | undefined;
  /** Read to the end of a closed shard (GetRecords gave no NextShardIterator). */
  ended: boolean;
  /** Records read and not yet processed by every consumer; `base` is buffer[0]'s absolute index. */
  buffer: Buffered[];
  base: number;
  listed: boolean;
}

interface Cursor {
  /** Absolute index of the next record to process: the checkpoint is the record before it. */
  next: number;
  head?: { index: number; attempts: number; errorName: string; parkPending: boolean };
  notBefore: number;
  bisect?: { limit: number; until: number };
}

interface Counters {
  delivered: number;
  parked: number;
  failedBatches: number;
}

const errorName = (error: unknown): string =>
  error instanceof Error ? error.name : typeof error === 'object' && error && 'name' in error ? String(error.name) : 'NonError';

const defaultOnError = (error: unknown, context: PollerErrorContext): void => {
  // Handler errors may carry identifiable data in their messages: name only.
  const detail = context.kind === 'handler' ? '' : `: ${error instanceof Error ? error.message : ''}`;
  const where = [context.consumerId && `consumer=${context.consumerId}`, context.shardId && `shard=${context.shardId}`].filter(Boolean).join(' ');
  console.error(`[stream-poller] ${context.kind} ${where} ${errorName(error)}${detail}`);
};

/** Lambda's JSON form of an attribute value: binary as base64. */
function toJsonValue(value: StreamAttributeValue): AttributeValue {
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

function toJsonImage(image: Record<string, StreamAttributeValue> | undefined): Record<string, AttributeValue> | undefined {
  if (!image) return undefined;
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, toJsonValue(v)]));
}

/** Kinesis sequence numbers are long decimal strings; a fixed width keeps them unique and increasing. */
const kinesisSequenceNumber = (seq: string): string => `49${seq.padStart(54, '0')}`;

const partitionKeyOf = (keys: Record<string, AttributeValue> | undefined): string => {
  const sorted = Object.keys(keys ?? {})
    .sort()
    .map((k) => [k, keys![k]]);
  return createHash('md5').update(JSON.stringify(sorted)).digest('hex').toUpperCase();
};

export function createStreamPoller(options: StreamPollerOptions): StreamPoller {
  if (!options.endpoint && !(options.streamsClient && options.dynamoClient)) {
    throw new Error('createStreamPoller needs an endpoint, or both a streamsClient and a dynamoClient');
  }
  const now = options.now ?? Date.now;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const backoffBase = options.backoff?.baseMs ?? 50;
  const backoffMax = options.backoff?.maxMs ?? 500;
  const statusIntervalMs = options.statusIntervalMs ?? 15_000;
  const onError = options.onError ?? defaultOnError;
  const region = options.region ?? 'eu-west-2';
  const account = options.account ?? '000000000000';
  const consumers = options.consumers;
  const ids = new Set<string>();
  for (const c of consumers) {
    if (ids.has(c.id)) throw new Error(`Duplicate stream consumer id ${c.id}`);
    ids.add(c.id);
  }

  let streams: Sender | undefined;
  let dynamo: Sender | undefined;
  let owned: { destroy(): void }[] = [];
  let streamArn = options.streamArn;
  const shards = new Map<string, ShardState>();
  const cursors = new Map<string, Map<string, Cursor>>(consumers.map((c) => [c.id, new Map()]));
  const counters = new Map<string, Counters>(consumers.map((c) => [c.id, { delivered: 0, parked: 0, failedBatches: 0 }]));

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let cycleNumber = 0;
  let lastDescribeAt = Number.NEGATIVE_INFINITY;
  let forceDescribe = true;
  let errorStreak = 0;
  let lastError: string | null = null;
  let lastRecordAt: number | undefined;
  let lastPollAt: number | undefined;
  let lastStatusCheckAt = Number.NEGATIVE_INFINITY;
  let lastWritten: { bucket: number; at: number } | undefined;
  let drains: { after: number; resolve: () => void; reject: (e: Error) => void }[] = [];

  const report = (error: unknown, context: PollerErrorContext) => {
    try {
      onError(error, context);
    } catch {
      // A broken error hook must not stop the poller.
    }
  };

  const cursorOf = (consumerId: string, shardId: string): Cursor => {
    const map = cursors.get(consumerId)!;
    let cursor = map.get(shardId);
    if (!cursor) {
      const shard = shards.get(shardId);
      cursor = { next: shard ? shard.base : 0, notBefore: 0 };
      map.set(shardId, cursor);
    }
    return cursor;
  };

  const endOf = (shard: ShardState) => shard.base + shard.buffer.length;
  const doneFor = (consumerId: string, shard: ShardState) => shard.ended && cursorOf(consumerId, shard.id).next >= endOf(shard);
  const parentDoneFor = (consumerId: string, shard: ShardState) => {
    const parent = shard.parentId ? shards.get(shard.parentId) : undefined;
    return !parent || doneFor(consumerId, parent);
  };

  /** Parents before children, so a consumer sees one item's changes in order across a rollover. */
  const orderedShards = (): ShardState[] => {
    const out: ShardState[] = [];
    const seen = new Set<string>();
    const visit = (shard: ShardState) => {
      if (seen.has(shard.id)) return;
      seen.add(shard.id);
      const parent = shard.parentId ? shards.get(shard.parentId) : undefined;
      if (parent) visit(parent);
      out.push(shard);
    };
    for (const shard of shards.values()) visit(shard);
    return out;
  };

  async function resolveStreamArn(): Promise<string> {
    if (streamArn) return streamArn;
    const out = (await dynamo!.send(new DescribeTableCommand({ TableName: options.tableName }))) as { Table?: { LatestStreamArn?: string } };
    const arn = out.Table?.LatestStreamArn;
    if (!arn) throw new Error(`Table ${options.tableName} has no stream`);
    streamArn = arn;
    return arn;
  }

  async function describe(): Promise<boolean> {
    const arn = await resolveStreamArn();
    let changed = false;
    const listed = new Set<string>();
    let start: string | undefined;
    do {
      const out = (await streams!.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: start }))) as {
        StreamDescription?: { Shards?: { ShardId?: string; ParentShardId?: string }[]; LastEvaluatedShardId?: string };
      };
      for (const s of out.StreamDescription?.Shards ?? []) {
        if (!s.ShardId) continue;
        listed.add(s.ShardId);
        if (!shards.has(s.ShardId)) {
          shards.set(s.ShardId, {
            id: s.ShardId,
            parentId: s.ParentShardId,
            iterator: undefined,
            lastReadSeq: undefined,
            ended: false,
            buffer: [],
            base: 0,
            listed: true,
          });
          changed = true;
        }
      }
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    for (const shard of shards.values()) {
      shard.listed = listed.has(shard.id);
      // Trimmed from the stream and finished by everyone: forget it (and its checkpoints).
      if (!shard.listed && shard.ended && consumers.every((c) => doneFor(c.id, shard))) {
        shards.delete(shard.id);
        for (const map of cursors.values()) map.delete(shard.id);
        changed = true;
      }
    }
    lastDescribeAt = now();
    forceDescribe = false;
    return changed;
  }

  /** Reads one page of a shard; returns the number of records read (or -1 when it could not read). */
  async function read(shard: ShardState): Promise<number> {
    const arn = streamArn!;
    if (!shard.iterator) {
      try {
        const out = (await streams!.send(
          new GetShardIteratorCommand({
            StreamArn: arn,
            ShardId: shard.id,
            ...(shard.lastReadSeq
              ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.lastReadSeq }
              : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
        )) as { ShardIterator?: string };
        shard.iterator = out.ShardIterator;
      } catch (error) {
        if (errorName(error) === 'ResourceNotFoundException' && !shard.listed) {
          shard.ended = true;
          forceDescribe = true;
          return -1;
        }
        throw error;
      }
      if (!shard.iterator) {
        shard.ended = true;
        forceDescribe = true;
        return 0;
      }
    }
    let out: { Records?: _Record[]; NextShardIterator?: string };
    try {
      out = (await streams!.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: READ_LIMIT }))) as typeof out;
    } catch (error) {
      const name = errorName(error);
      if (name === 'ExpiredIteratorException') {
        shard.iterator = undefined;
        return -1;
      }
      if (name === 'TrimmedDataAccessException') {
        // Our position aged out of the 24 h window: carry on from the oldest record left.
        shard.iterator = undefined;
        shard.lastReadSeq = undefined;
        return -1;
      }
      throw error;
    }
    const arrivedMs = now();
    const records = out.Records ?? [];
    for (const raw of records) {
      const seq = raw.dynamodb?.SequenceNumber;
      if (!seq) continue;
      const approx = raw.dynamodb?.ApproximateCreationDateTime?.getTime() ?? arrivedMs;
      shard.buffer.push({
        raw,
        seq,
        pk: raw.dynamodb?.Keys?.[PK]?.S,
        createdMs: Math.max(approx, Math.min(arrivedMs, approx + CREATION_PRECISION_MS - 1)),
        arrivedMs,
      });
      shard.lastReadSeq = seq;
    }
    if (records.length) lastRecordAt = arrivedMs;
    shard.iterator = out.NextShardIterator;
    if (!out.NextShardIterator) {
      // A closed shard read to its end; its children (found by the next describe) take over.
      shard.ended = true;
      forceDescribe = true;
    }
    return records.length;
  }

  const sourceArn = () => (streamArn ?? '').replace(':ddblocal:', `:${region}:`);

  function toDynamoDbRecord(b: Buffered): DynamoDBRecord {
    const r = b.raw;
    const d = r.dynamodb ?? {};
    return {
      eventID: r.eventID,
      eventName: r.eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: region,
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
      eventSourceARN: sourceArn(),
      ...(r.userIdentity ? { userIdentity: { type: r.userIdentity.Type, principalId: r.userIdentity.PrincipalId } } : {}),
    };
  }

  function toKinesisRecord(b: Buffered, consumerId: string): KinesisStreamRecord {
    const r = b.raw;
    const d = r.dynamodb ?? {};
    const keys = toJsonImage(d.Keys);
    const sequenceNumber = kinesisSequenceNumber(b.seq);
    // The record Kinesis Data Streams for DynamoDB writes: milliseconds, no sequence number
    // and no view type (the Kinesis destination always carries both images).
    const change = {
      awsRegion: region,
      eventID: r.eventID,
      eventName: r.eventName,
      userIdentity: r.userIdentity ? { type: r.userIdentity.Type, principalId: r.userIdentity.PrincipalId } : null,
      recordFormat: 'application/json',
      tableName: options.tableName,
      dynamodb: {
        ApproximateCreationDateTime: b.createdMs,
        Keys: keys,
        NewImage: toJsonImage(d.NewImage),
        OldImage: toJsonImage(d.OldImage),
        SizeBytes: d.SizeBytes,
        ApproximateCreationDateTimePrecision: 'MILLISECOND',
      },
      eventSource: 'aws:dynamodb',
    };
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
      eventSourceARN: `arn:aws:kinesis:${region}:${account}:stream/${options.tableName}-changes`,
    };
  }

  const shapeRecord = (consumer: PollerConsumer, b: Buffered) =>
    consumer.shape === 'kinesis' ? toKinesisRecord(b, consumer.id) : toDynamoDbRecord(b);
  const identifierOf = (consumer: PollerConsumer, b: Buffered) => (consumer.shape === 'kinesis' ? kinesisSequenceNumber(b.seq) : b.seq);

  const matches = (consumer: PollerConsumer, b: Buffered) =>
    !consumer.pkPrefixes || (b.pk !== undefined && consumer.pkPrefixes.some((p) => b.pk!.startsWith(p)));

  /**
   * The record exactly as the consumer received it, so a replay can hand it back. Both images
   * of a large item can pass DynamoDB's 400 KB item limit, and a park that can never be written
   * would hold the consumer up for good: large records are stored gzipped instead.
   */
  const recordAttribute = (json: string): Record<string, TableAttributeValue> =>
    Buffer.byteLength(json) <= MAX_PLAIN_RECORD_BYTES ? { record: { S: json } } : { recordGzip: { B: gzipSync(json) } };

  const backoff = (attempts: number) => Math.min(backoffMax, backoffBase * 2 ** Math.max(0, attempts - 1));

  /** Conditional, so parking the same record again (a replay after restart) is harmless. */
  async function park(consumer: PollerConsumer, shard: ShardState, b: Buffered, attempts: number, error: string): Promise<boolean> {
    const keys = b.raw.dynamodb?.Keys ?? {};
    try {
      await dynamo!.send(
        new PutItemCommand({
          TableName: options.parkTableName,
          Item: {
            [PK]: { S: `${PARKED_PREFIX}${consumer.id}` },
            [SK]: { S: b.seq },
            consumerId: { S: consumer.id },
            shape: { S: consumer.shape },
            sequenceNumber: { S: b.seq },
            shardId: { S: shard.id },
            eventName: { S: b.raw.eventName ?? 'UNKNOWN' },
            keys: { M: keys as Record<string, TableAttributeValue> },
            ...recordAttribute(JSON.stringify(shapeRecord(consumer, b))),
            attempts: { N: String(attempts) },
            // The name only: messages can carry identifiable data.
            error: { S: error },
            parkedAt: { S: new Date(now()).toISOString() },
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException || errorName(e) === 'ConditionalCheckFailedException') return true;
      report(e, { kind: 'park', consumerId: consumer.id, shardId: shard.id });
      return false;
    }
    counters.get(consumer.id)!.parked++;
    return true;
  }

  /** A failure pinned on one record: retry from it, or park it once it has used its attempts. */
  async function blame(consumer: PollerConsumer, shard: ShardState, cursor: Cursor, index: number, error: string) {
    const attempts = cursor.head?.index === index ? cursor.head.attempts + 1 : 1;
    cursor.next = index;
    if (attempts >= (consumer.maxAttempts ?? 3)) {
      cursor.head = { index, attempts, errorName: error, parkPending: true };
      await parkHead(consumer, shard, cursor);
    } else {
      cursor.head = { index, attempts, errorName: error, parkPending: false };
      cursor.notBefore = now() + backoff(attempts);
    }
  }

  async function parkHead(consumer: PollerConsumer, shard: ShardState, cursor: Cursor) {
    const head = cursor.head!;
    const b = shard.buffer[head.index - shard.base]!;
    if (await park(consumer, shard, b, head.attempts, head.errorName)) {
      cursor.next = head.index + 1;
      cursor.head = undefined;
      cursor.notBefore = 0;
    } else {
      cursor.notBefore = now() + backoffMax;
    }
  }

  /** One batch for one consumer on one shard. Returns whether it moved. */
  async function step(consumer: PollerConsumer, shard: ShardState, cursor: Cursor): Promise<boolean> {
    if (cursor.head?.parkPending) {
      const before = cursor.next;
      await parkHead(consumer, shard, cursor);
      return cursor.next !== before;
    }
    const limit = cursor.bisect?.limit ?? consumer.batchSize ?? 100;
    const from = cursor.next - shard.base;
    const slice = shard.buffer.slice(from, from + limit);
    const selected = slice.filter((b) => matches(consumer, b));
    const counter = counters.get(consumer.id)!;
    const succeed = () => {
      cursor.next += slice.length;
      if (cursor.head && cursor.head.index < cursor.next) cursor.head = undefined;
      if (cursor.bisect && cursor.next >= cursor.bisect.until) cursor.bisect = undefined;
    };
    if (!selected.length) {
      succeed();
      return true;
    }

    const records = selected.map((b) => shapeRecord(consumer, b));
    let failedAt: number | undefined; // index into `slice` of the first failed record
    let thrown: string | undefined;
    try {
      const result =
        consumer.shape === 'kinesis'
          ? await runWithAccess(accessScopeOf('consumer', consumer.id), () => consumer.handler({ Records: records as KinesisStreamRecord[] }))
          : await runWithAccess(accessScopeOf('consumer', consumer.id), () => consumer.handler({ Records: records as DynamoDBRecord[] }));
      const failures = (result as { batchItemFailures?: unknown } | undefined)?.batchItemFailures;
      if (Array.isArray(failures) && failures.length) {
        const positions = failures.map((f) => {
          const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
          return typeof id === 'string' && id ? selected.findIndex((b) => identifierOf(consumer, b) === id) : -1;
        });
        // Lambda's rule: an empty identifier or one not in the batch fails the whole batch.
        if (positions.some((p) => p < 0)) {
          thrown = 'InvalidBatchItemFailure';
          report(Object.assign(new Error('batchItemFailures names a record not in the batch'), { name: thrown }), {
            kind: 'handler',
            consumerId: consumer.id,
            shardId: shard.id,
          });
        }
        else failedAt = slice.indexOf(selected[Math.min(...positions)]!);
      }
    } catch (error) {
      thrown = errorName(error);
      report(error, { kind: 'handler', consumerId: consumer.id, shardId: shard.id });
    }

    if (failedAt === undefined && thrown === undefined) {
      counter.delivered += selected.length;
      succeed();
      return true;
    }
    counter.failedBatches++;
    if (failedAt !== undefined) {
      counter.delivered += slice.slice(0, failedAt).filter((b) => matches(consumer, b)).length;
      await blame(consumer, shard, cursor, cursor.next + failedAt, 'BatchItemFailure');
      return true;
    }
    if (selected.length === 1) {
      await blame(consumer, shard, cursor, cursor.next + slice.indexOf(selected[0]!), thrown!);
      return true;
    }
    // A whole-batch error names no record: split the batch (like BisectBatchOnFunctionError)
    // until the culprit is alone, so its neighbours are never parked for it.
    cursor.bisect = { limit: Math.max(1, Math.ceil(slice.length / 2)), until: Math.max(cursor.bisect?.until ?? 0, cursor.next + slice.length) };
    cursor.notBefore = now() + backoffBase;
    return false;
  }

  /** One pass over every shard for one consumer. */
  async function deliver(consumer: PollerConsumer, ordered: ShardState[]): Promise<{ progress: boolean; pending: boolean; wakeAt: number }> {
    let progress = false;
    let pending = false;
    let wakeAt = Number.POSITIVE_INFINITY;
    for (const shard of ordered) {
      const cursor = cursorOf(consumer.id, shard.id);
      if (cursor.next >= endOf(shard)) continue;
      pending = true;
      if (!parentDoneFor(consumer.id, shard)) continue;
      if (now() < cursor.notBefore) {
        wakeAt = Math.min(wakeAt, cursor.notBefore);
        continue;
      }
      if (await step(consumer, shard, cursor)) progress = true;
      if (cursor.next < endOf(shard) && cursor.notBefore > now()) wakeAt = Math.min(wakeAt, cursor.notBefore);
    }
    return { progress, pending, wakeAt };
  }

  function trim() {
    for (const shard of shards.values()) {
      const min = Math.min(...consumers.map((c) => cursorOf(c.id, shard.id).next), endOf(shard));
      if (min > shard.base) {
        shard.buffer.splice(0, min - shard.base);
        shard.base = min;
      }
    }
  }

  const consumerLag = (consumerId: string, at: number): number => {
    let oldest = Number.POSITIVE_INFINITY;
    for (const shard of shards.values()) {
      const cursor = cursors.get(consumerId)!.get(shard.id);
      const b = shard.buffer[(cursor?.next ?? shard.base) - shard.base];
      if (b) oldest = Math.min(oldest, b.createdMs);
    }
    return oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, at - oldest);
  };
  const overallLag = (at: number) => Math.max(0, ...consumers.map((c) => consumerLag(c.id, at)));

  /** Writes the lag only when it moved by a second or a minute passed: status writes feed the stream too. */
  async function maybeWriteStatus() {
    if (!options.writeStatus) return;
    const at = now();
    if (at - lastStatusCheckAt < statusIntervalMs) return;
    lastStatusCheckAt = at;
    const lagMs = overallLag(at);
    const bucket = Math.round(lagMs / 1000);
    if (lastWritten && lastWritten.bucket === bucket && at - lastWritten.at < STATUS_REFRESH_MS) return;
    try {
      await options.writeStatus({ lagMs, reportedAt: new Date(at).toISOString() });
      lastWritten = { bucket, at };
    } catch (error) {
      report(error, { kind: 'status' });
    }
  }

  /** One poll: discover shards, read what is new, deliver, trim. Returns the delay before the next. */
  async function cycle(): Promise<number> {
    const number = ++cycleNumber;
    const draining = drains.length > 0;
    let progress = false;
    let caughtUp = true;
    let described = false;
    if (forceDescribe || draining || now() - lastDescribeAt >= DESCRIBE_INTERVAL_MS) {
      if (await describe()) progress = true;
      described = true;
    }
    for (const shard of orderedShards()) {
      if (shard.ended) continue;
      const parent = shard.parentId ? shards.get(shard.parentId) : undefined;
      if ((parent && !parent.ended) || shard.buffer.length >= MAX_BUFFERED) {
        caughtUp = false;
        continue;
      }
      const n = await read(shard);
      if (n !== 0) {
        caughtUp = false;
        if (n > 0) progress = true;
      }
      if (shard.ended) progress = true;
    }
    lastPollAt = now();
    const ordered = orderedShards();
    const results = await Promise.all(consumers.map((c) => deliver(c, ordered)));
    trim();
    await maybeWriteStatus();
    if (results.some((r) => r.progress)) progress = true;
    const pending = results.some((r) => r.pending);

    if (described && caughtUp && !pending && !progress) {
      const done = drains.filter((d) => d.after < number);
      drains = drains.filter((d) => d.after >= number);
      for (const d of done) d.resolve();
    }
    // Straight on while there is work, or for a drain asked for during this cycle; otherwise
    // sleep until the poll interval or the earliest retry falls due.
    if (progress || drains.some((d) => d.after >= number)) return 0;
    return Math.min(pollIntervalMs, Math.max(0, Math.min(...results.map((r) => r.wakeAt)) - now()));
  }

  const schedule = (delayMs: number) => {
    if (!running) return;
    timer = setTimeout(loop, delayMs);
  };

  function loop() {
    timer = undefined;
    if (!running || inFlight) return;
    let delay = pollIntervalMs;
    inFlight = (async () => {
      try {
        delay = await cycle();
        errorStreak = 0;
        lastError = null;
      } catch (error) {
        // DynamoDB Local briefly away, a table being rebuilt: report, back off, try again.
        errorStreak++;
        lastError = errorName(error);
        if (errorName(error) === 'ResourceNotFoundException' && !options.streamArn) {
          streamArn = undefined;
          shards.clear();
          for (const map of cursors.values()) map.clear();
        }
        forceDescribe = true;
        report(error, { kind: 'poll' });
        delay = Math.min(MAX_POLL_BACKOFF_MS, pollIntervalMs * 2 ** errorStreak);
      }
    })();
    void inFlight.finally(() => {
      inFlight = undefined;
      schedule(delay);
    });
  }

  /** Runs the next cycle now rather than after a sleep (a drain is waiting). */
  const wake = () => {
    if (!running || inFlight || !timer) return;
    clearTimeout(timer);
    timer = undefined;
    loop();
  };

  return {
    start() {
      if (running) return;
      if (!streams) {
        if (options.streamsClient && options.dynamoClient) {
          streams = options.streamsClient as unknown as Sender;
          dynamo = options.dynamoClient as unknown as Sender;
        } else {
          const config = { endpoint: options.endpoint!, region, credentials: LOCAL_CREDENTIALS, maxAttempts: 2 };
          const s = options.streamsClient ?? new DynamoDBStreamsClient(config);
          const d = options.dynamoClient ?? new DynamoDBClient(config);
          owned = [...(options.streamsClient ? [] : [s]), ...(options.dynamoClient ? [] : [d])];
          streams = s as unknown as Sender;
          dynamo = d as unknown as Sender;
        }
      }
      running = true;
      loop();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      while (inFlight) await inFlight.catch(() => undefined);
      if (timer) clearTimeout(timer);
      timer = undefined;
      const waiting = drains;
      drains = [];
      for (const d of waiting) d.reject(new Error('The stream poller stopped before it drained'));
      for (const client of owned) client.destroy();
      owned = [];
      streams = undefined;
      dynamo = undefined;
    },
    drain() {
      if (!running) return Promise.reject(new Error('The stream poller is not running'));
      return new Promise<void>((resolve, reject) => {
        drains.push({ after: cycleNumber, resolve, reject });
        wake();
      });
    },
    status() {
      const at = now();
      return {
        running,
        streamArn: streamArn ?? null,
        lagMs: overallLag(at),
        lastRecordAt: lastRecordAt === undefined ? null : new Date(lastRecordAt).toISOString(),
        lastPollAt: lastPollAt === undefined ? null : new Date(lastPollAt).toISOString(),
        shards: shards.size,
        buffered: [...shards.values()].reduce((n, s) => n + s.buffer.length, 0),
        parked: Object.fromEntries(consumers.map((c) => [c.id, counters.get(c.id)!.parked])),
        consumers: Object.fromEntries(consumers.map((c) => [c.id, { ...counters.get(c.id)!, lagMs: consumerLag(c.id, at) }])),
        lastError,
      };
    },
  };
}
