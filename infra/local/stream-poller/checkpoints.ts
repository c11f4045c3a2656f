/**
 * Each consumer's cursor on each shard, in memory. Consumers progress independently over one
 * shared buffer per shard, so one failing consumer holds up no other; the buffer is trimmed to
 * the slowest cursor.
 */
import { endOf, type Cursor, type ShardState } from './types.js';

export class Checkpoints {
  private readonly byConsumer: Map<string, Map<string, Cursor>>;

  constructor(
    private readonly consumerIds: readonly string[],
    private readonly shardOf: (shardId: string) => ShardState | undefined,
  ) {
    this.byConsumer = new Map(consumerIds.map((id) => [id, new Map()]));
  }

  /** The consumer's cursor on the shard; a new one starts at the oldest record still buffered. */
  cursorOf(consumerId: string, shardId: string): Cursor {
    const map = this.byConsumer.get(consumerId)!;
    let cursor = map.get(shardId);
    if (!cursor) {
      const shard = this.shardOf(shardId);
      cursor = { next: shard ? shard.base : 0, notBefore: 0 };
      map.set(shardId, cursor);
    }
    return cursor;
  }

  /** The cursor if there is one, without making it (status must not change state). */
  peek(consumerId: string, shardId: string): Cursor | undefined {
    return this.byConsumer.get(consumerId)!.get(shardId);
  }

  doneFor(consumerId: string, shard: ShardState): boolean {
    return shard.ended && this.cursorOf(consumerId, shard.id).next >= endOf(shard);
  }

  /** A child shard waits until the consumer has finished its parent. */
  parentDoneFor(consumerId: string, shard: ShardState): boolean {
    const parent = shard.parentId ? this.shardOf(shard.parentId) : undefined;
    return !parent || this.doneFor(consumerId, parent);
  }

  finishedByAll(shard: ShardState): boolean {
    return this.consumerIds.every((id) => this.doneFor(id, shard));
  }

  forget(shardId: string): void {
    for (const map of this.byConsumer.values()) map.delete(shardId);
  }

  clear(): void {
    for (const map of this.byConsumer.values()) map.clear();
  }

  /** Drops the records every consumer has processed. */
  trim(shards: Iterable<ShardState>): void {
    for (const shard of shards) {
      const min = Math.min(...this.consumerIds.map((id) => this.cursorOf(id, shard.id).next), endOf(shard));
      if (min > shard.base) {
        shard.buffer.splice(0, min - shard.base);
        shard.base = min;
      }
    }
  }
}
