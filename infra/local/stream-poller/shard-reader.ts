/**
 * Reads DynamoDB Local's stream of one table: finds its shards (and their parents, which a
 * rollover leaves closed behind the children), keeps an iterator per shard and buffers what
 * GetRecords returns. Recovers on its own from expired iterators, trimmed positions and
 * shards that vanished; anything else is thrown to the loop, which backs off.
 */
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { bufferedOf } from './record-shapes.js';
import { errorName, type Sender, type ShardState } from './types.js';

const READ_LIMIT = 1000; // GetRecords' maximum

export interface ShardReaderDeps {
  readonly tableName: string;
  /** A fixed stream ARN: no DescribeTable, and kept when the table goes away. */
  readonly streamArn?: string;
  readonly now: () => number;
  /** The clients exist only while the poller runs. */
  readonly streams: () => Sender;
  readonly dynamo: () => Sender;
}

export class ShardReader {
  readonly shards = new Map<string, ShardState>();
  streamArn: string | undefined;
  /** When the poller last read a record from the stream. */
  lastRecordAt: number | undefined;
  lastDescribeAt = Number.NEGATIVE_INFINITY;
  /** Set when the shard list is known to be stale (a shard ended or vanished, an error). */
  forceDescribe = true;

  constructor(private readonly deps: ShardReaderDeps) {
    this.streamArn = deps.streamArn;
  }

  parentOf(shard: ShardState): ShardState | undefined {
    return shard.parentId ? this.shards.get(shard.parentId) : undefined;
  }

  /** Parents before children, so a consumer sees one item's changes in order across a rollover. */
  ordered(): ShardState[] {
    const out: ShardState[] = [];
    const seen = new Set<string>();
    const visit = (shard: ShardState) => {
      if (seen.has(shard.id)) return;
      seen.add(shard.id);
      const parent = this.parentOf(shard);
      if (parent) visit(parent);
      out.push(shard);
    };
    for (const shard of this.shards.values()) visit(shard);
    return out;
  }

  /** The table was deleted or rebuilt: its next stream is found afresh (unless the ARN was given). */
  reset(): boolean {
    if (this.deps.streamArn) return false;
    this.streamArn = undefined;
    this.shards.clear();
    return true;
  }

  private async resolveStreamArn(): Promise<string> {
    if (this.streamArn) return this.streamArn;
    const out = (await this.deps.dynamo().send(new DescribeTableCommand({ TableName: this.deps.tableName }))) as {
      Table?: { LatestStreamArn?: string };
    };
    const arn = out.Table?.LatestStreamArn;
    if (!arn) throw new Error(`Table ${this.deps.tableName} has no stream`);
    this.streamArn = arn;
    return arn;
  }

  /**
   * Lists the stream's shards, adding new ones. A shard trimmed from the stream that every
   * consumer has finished (`finished`) is forgotten; its id is returned so its checkpoints go too.
   */
  async describe(finished: (shard: ShardState) => boolean): Promise<{ changed: boolean; forgotten: string[] }> {
    const arn = await this.resolveStreamArn();
    let changed = false;
    const forgotten: string[] = [];
    const listed = new Set<string>();
    let start: string | undefined;
    do {
      const out = (await this.deps
        .streams()
        .send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: start }))) as {
        StreamDescription?: { Shards?: { ShardId?: string; ParentShardId?: string }[]; LastEvaluatedShardId?: string };
      };
      for (const s of out.StreamDescription?.Shards ?? []) {
        if (!s.ShardId) continue;
        listed.add(s.ShardId);
        if (!this.shards.has(s.ShardId)) {
          this.shards.set(s.ShardId, {
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
    for (const shard of this.shards.values()) {
      shard.listed = listed.has(shard.id);
      if (!shard.listed && shard.ended && finished(shard)) {
        this.shards.delete(shard.id);
        forgotten.push(shard.id);
        changed = true;
      }
    }
    this.lastDescribeAt = this.deps.now();
    this.forceDescribe = false;
    return { changed, forgotten };
  }

  /** Reads one page of a shard; returns the number of records read (or -1 when it could not read). */
  async read(shard: ShardState): Promise<number> {
    const arn = this.streamArn!;
    const streams = this.deps.streams();
    if (!shard.iterator) {
      try {
        const out = (await streams.send(
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
          this.forceDescribe = true;
          return -1;
        }
        throw error;
      }
      if (!shard.iterator) {
        shard.ended = true;
        this.forceDescribe = true;
        return 0;
      }
    }
    let out: { Records?: _Record[]; NextShardIterator?: string };
    try {
      out = (await streams.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: READ_LIMIT }),
      )) as typeof out;
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
    const arrivedMs = this.deps.now();
    const records = out.Records ?? [];
    for (const raw of records) {
      const b = bufferedOf(raw, arrivedMs);
      if (!b) continue;
      shard.buffer.push(b);
      shard.lastReadSeq = b.seq;
    }
    if (records.length) this.lastRecordAt = arrivedMs;
    shard.iterator = out.NextShardIterator;
    if (!out.NextShardIterator) {
      // A closed shard read to its end; its children (found by the next describe) take over.
      shard.ended = true;
      this.forceDescribe = true;
    }
    return records.length;
  }
}
