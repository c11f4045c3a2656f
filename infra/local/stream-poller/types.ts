/**
 * The poller's public contract (unchanged from when it was one file) and the small typed state
 * objects its modules share: a buffered record, a shard, a consumer's cursor on a shard.
 */
import type { DynamoDBStreamsClient, _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  DynamoDBBatchResponse,
  DynamoDBStreamEvent,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
} from 'aws-lambda';

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
      // biome-ignore lint/suspicious/noConfusingVoidType: stream handlers may return nothing (@types/aws-lambda)
      readonly handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
    })
  | (ConsumerBase & {
      readonly shape: 'kinesis';
      // biome-ignore lint/suspicious/noConfusingVoidType: stream handlers may return nothing (@types/aws-lambda)
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
  /**
   * Resolves once every record written before the call has been processed by every consumer (delivered, filtered out or
   * parked).
   */
  drain(): Promise<void>;
  status(): StreamPollerStatus;
}

/** What the poller needs of an SDK client: tests hand in fakes. */
export type Sender = { send(command: unknown): Promise<unknown> };

/** Where the records come from, as the record shapes name it. */
export interface SourceContext {
  readonly region: string;
  readonly account: string;
  readonly tableName: string;
  /** The stream's ARN as DynamoDB Local gives it (`:ddblocal:` in place of the region). */
  readonly streamArn: string | undefined;
}

export interface Buffered {
  readonly raw: _Record;
  readonly seq: string;
  readonly pk: string | undefined;
  /** Best estimate of the change's time: the record's truncated time, bounded by when we first read it. */
  readonly createdMs: number;
  readonly arrivedMs: number;
}

export interface ShardState {
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

/** A record that failed and is being retried (or must be parked). */
export interface Head {
  readonly index: number;
  readonly attempts: number;
  readonly errorName: string;
  readonly parkPending: boolean;
}

/** One consumer's position on one shard. */
export interface Cursor {
  /** Absolute index of the next record to process: the checkpoint is the record before it. */
  next: number;
  head?: Head;
  notBefore: number;
  /** While set, batches are at most `limit` records, until `next` reaches `until`. */
  bisect?: { limit: number; until: number };
}

export interface Counters {
  delivered: number;
  parked: number;
  failedBatches: number;
}

export type Report = (error: unknown, context: PollerErrorContext) => void;

export const endOf = (shard: ShardState): number => shard.base + shard.buffer.length;

export const errorName = (error: unknown): string =>
  error instanceof Error
    ? error.name
    : typeof error === 'object' && error && 'name' in error
      ? String(error.name)
      : 'NonError';
