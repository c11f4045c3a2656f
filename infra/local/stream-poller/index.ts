/**
 * The local stand-in for Lambda's event source mappings: reads DynamoDB Local's stream of a
 * table and hands each change to every consumer in the shape its AWS source has (a
 * DynamoDBStreamEvent, or a KinesisStreamEvent as Kinesis Data Streams for DynamoDB writes it),
 * with Lambda's filter criteria, ReportBatchItemFailures, retries and bisection, and parks a
 * record that keeps failing in the table (docs/architecture.md, the local stack).
 *
 * One reader per shard buffers records (shard-reader.ts); each consumer keeps its own
 * checkpoint per shard in memory (checkpoints.ts), so consumers progress independently and one
 * failing consumer holds up no other (batch-runner.ts). record-shapes.ts builds what a consumer
 * receives; park.ts hands a record to shared/data/parking-repository.ts; status.ts says how far
 * behind the poller is; loop.ts runs it all.
 *
 * Checkpoints live in memory only: a restarted local stack reads every shard again from
 * TRIM_HORIZON (DynamoDB Streams keep 24 h), so consumers see changes again. That is the AWS
 * contract too (at-least-once delivery): consumers must be idempotent.
 *
 * DynamoDB Local truncates ApproximateCreationDateTime to the minute, so the time handed on
 * (and the lag) is the record's time bounded by when the poller first read it: within a poll
 * interval of the truth while the poller keeps up, within a minute on a replay.
 */
export { createStreamPoller } from './loop.js';
export { PARKED_PREFIX, parkedKey } from '../../../shared/data/parking-repository.js';
export type {
  ConsumerStatus,
  PollerConsumer,
  PollerErrorContext,
  PollerStatusReport,
  StreamPoller,
  StreamPollerOptions,
  StreamPollerStatus,
} from './types.js';
