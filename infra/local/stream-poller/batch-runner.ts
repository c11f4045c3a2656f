/**
 * Runs one consumer over the buffered shards as Lambda's event source mapping would: batches
 * of up to `batchSize` records that pass the filter, ReportBatchItemFailures (retry from the
 * earliest failed record), a whole-batch error split in halves until the culprit is alone
 * (BisectBatchOnFunctionError), backoff between attempts, and a record that has used its
 * attempts handed to parking so the consumer moves on.
 *
 * Each handler call runs inside the consumer's declared data access (functions/access.ts), as
 * its IAM role would confine it in AWS.
 */
import type { DynamoDBRecord, KinesisStreamRecord } from 'aws-lambda';
import { accessScopeOf } from '../../../functions/access.js';
import { runWithAccess } from '../../../shared/data/access-guard.js';
import type { Checkpoints } from './checkpoints.js';
import { identifierOf, matches, shapeRecord } from './record-shapes.js';
import {
  endOf,
  errorName,
  type Buffered,
  type Counters,
  type Cursor,
  type Head,
  type PollerConsumer,
  type Report,
  type ShardState,
  type SourceContext,
} from './types.js';

/**
 * Where the earliest failure a consumer reported falls among the records it was given:
 * undefined when it reported none, 'invalid' when one names no record of the batch (or is
 * empty), which by Lambda's rule fails the whole batch.
 */
export function firstFailure(result: unknown, identifiers: readonly string[]): number | 'invalid' | undefined {
  const failures = (result as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  if (!Array.isArray(failures) || !failures.length) return undefined;
  const positions = failures.map((f) => {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    return typeof id === 'string' && id ? identifiers.indexOf(id) : -1;
  });
  return positions.some((p) => p < 0) ? 'invalid' : Math.min(...positions);
}

/**
 * After a whole-batch error: the next batches are at most half as long, until the cursor has
 * passed the end of the batch that failed (an earlier split's end, if that reaches further).
 */
export const bisected = (
  batchLength: number,
  next: number,
  current?: { readonly until: number },
): { limit: number; until: number } => ({
  limit: Math.max(1, Math.ceil(batchLength / 2)),
  until: Math.max(current?.until ?? 0, next + batchLength),
});

/** Retry backoff: base * 2^(attempts-1), capped. */
export const retryDelay = (attempts: number, baseMs: number, maxMs: number): number =>
  Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));

/** A failure pinned on the record at `index`: one more attempt if it was already the head, else its first. */
export function blamed(head: Head | undefined, index: number, error: string, maxAttempts: number): Head {
  const attempts = head?.index === index ? head.attempts + 1 : 1;
  return { index, attempts, errorName: error, parkPending: attempts >= maxAttempts };
}

export type ParkOutcome = 'parked' | 'already' | 'failed';

export interface BatchRunnerDeps {
  readonly consumer: PollerConsumer;
  readonly checkpoints: Checkpoints;
  readonly source: () => SourceContext;
  readonly now: () => number;
  readonly backoff: { readonly baseMs: number; readonly maxMs: number };
  readonly report: Report;
  readonly park: (consumer: PollerConsumer, shard: ShardState, b: Buffered, head: Head) => Promise<ParkOutcome>;
}

export interface DeliverResult {
  /** Some cursor moved (or a shard's state changed): poll again at once. */
  readonly progress: boolean;
  /** Records remain for this consumer. */
  readonly pending: boolean;
  /** The earliest retry due. */
  readonly wakeAt: number;
}

export class BatchRunner {
  readonly counters: Counters = { delivered: 0, parked: 0, failedBatches: 0 };

  constructor(private readonly deps: BatchRunnerDeps) {}

  /** One pass over every shard (parents first) for this consumer. */
  async deliver(ordered: readonly ShardState[]): Promise<DeliverResult> {
    const { consumer, checkpoints, now } = this.deps;
    let progress = false;
    let pending = false;
    let wakeAt = Number.POSITIVE_INFINITY;
    for (const shard of ordered) {
      const cursor = checkpoints.cursorOf(consumer.id, shard.id);
      if (cursor.next >= endOf(shard)) continue;
      pending = true;
      if (!checkpoints.parentDoneFor(consumer.id, shard)) continue;
      if (now() < cursor.notBefore) {
        wakeAt = Math.min(wakeAt, cursor.notBefore);
        continue;
      }
      if (await this.step(shard, cursor)) progress = true;
      if (cursor.next < endOf(shard) && cursor.notBefore > now()) wakeAt = Math.min(wakeAt, cursor.notBefore);
    }
    return { progress, pending, wakeAt };
  }

  /** One batch on one shard. Returns whether the cursor moved. */
  private async step(shard: ShardState, cursor: Cursor): Promise<boolean> {
    const { consumer, now } = this.deps;
    if (cursor.head?.parkPending) {
      const before = cursor.next;
      await this.parkHead(shard, cursor);
      return cursor.next !== before;
    }
    const limit = cursor.bisect?.limit ?? consumer.batchSize ?? 100;
    const from = cursor.next - shard.base;
    const slice = shard.buffer.slice(from, from + limit);
    const selected = slice.filter((b) => matches(consumer, b));
    const succeed = () => {
      cursor.next += slice.length;
      if (cursor.head && cursor.head.index < cursor.next) cursor.head = undefined;
      if (cursor.bisect && cursor.next >= cursor.bisect.until) cursor.bisect = undefined;
    };
    // Filtered out entirely: processed, as Lambda never invokes for such records.
    if (!selected.length) {
      succeed();
      return true;
    }

    let failedAt: number | undefined; // index into `slice` of the first failed record
    let thrown: string | undefined;
    try {
      const result = await this.invoke(selected);
      const first = firstFailure(
        result,
        selected.map((b) => identifierOf(consumer, b)),
      );
      if (first === 'invalid') {
        thrown = 'InvalidBatchItemFailure';
        this.report(
          Object.assign(new Error('batchItemFailures names a record not in the batch'), { name: thrown }),
          shard,
        );
      } else if (first !== undefined) failedAt = slice.indexOf(selected[first]!);
    } catch (error) {
      thrown = errorName(error);
      this.report(error, shard);
    }

    if (failedAt === undefined && thrown === undefined) {
      this.counters.delivered += selected.length;
      succeed();
      return true;
    }
    this.counters.failedBatches++;
    if (failedAt !== undefined) {
      this.counters.delivered += slice.slice(0, failedAt).filter((b) => matches(consumer, b)).length;
      await this.blame(shard, cursor, cursor.next + failedAt, 'BatchItemFailure');
      return true;
    }
    if (selected.length === 1) {
      await this.blame(shard, cursor, cursor.next + slice.indexOf(selected[0]!), thrown!);
      return true;
    }
    // A whole-batch error names no record: split the batch until the culprit is alone, so its
    // neighbours are never parked for it.
    cursor.bisect = bisected(slice.length, cursor.next, cursor.bisect);
    cursor.notBefore = now() + this.deps.backoff.baseMs;
    return false;
  }

  private invoke(selected: readonly Buffered[]): Promise<unknown> {
    const { consumer } = this.deps;
    const source = this.deps.source();
    const scope = accessScopeOf('consumer', consumer.id);
    if (consumer.shape === 'kinesis') {
      const records = selected.map((b) => shapeRecord(consumer, b, source) as KinesisStreamRecord);
      return runWithAccess(scope, () => consumer.handler({ Records: records }));
    }
    const records = selected.map((b) => shapeRecord(consumer, b, source) as DynamoDBRecord);
    return runWithAccess(scope, () => consumer.handler({ Records: records }));
  }

  /** A failure pinned on one record: retry from it after a backoff, or park it once it has used its attempts. */
  private async blame(shard: ShardState, cursor: Cursor, index: number, error: string): Promise<void> {
    const { backoff, consumer, now } = this.deps;
    cursor.next = index;
    cursor.head = blamed(cursor.head, index, error, consumer.maxAttempts ?? 3);
    if (cursor.head.parkPending) await this.parkHead(shard, cursor);
    else cursor.notBefore = now() + retryDelay(cursor.head.attempts, backoff.baseMs, backoff.maxMs);
  }

  /** Parks the head record and moves past it; if parking fails, tries again after the longest backoff. */
  private async parkHead(shard: ShardState, cursor: Cursor): Promise<void> {
    const head = cursor.head!;
    const b = shard.buffer[head.index - shard.base]!;
    const outcome = await this.deps.park(this.deps.consumer, shard, b, head);
    if (outcome === 'parked') this.counters.parked++;
    if (outcome !== 'failed') {
      cursor.next = head.index + 1;
      cursor.head = undefined;
      cursor.notBefore = 0;
    } else {
      cursor.notBefore = this.deps.now() + this.deps.backoff.maxMs;
    }
  }

  private report(error: unknown, shard: ShardState): void {
    this.deps.report(error, { kind: 'handler', consumerId: this.deps.consumer.id, shardId: shard.id });
  }
}
