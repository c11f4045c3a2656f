/**
 * What the poller reports: its status for the local stack (GET /health, the console) and the
 * lag it writes to the table. Lag is measured from the oldest record a consumer has not yet
 * processed, so a consumer stuck retrying shows as lag even while others keep up.
 */
import type { BatchRunner } from './batch-runner.js';
import type { Checkpoints } from './checkpoints.js';
import type { ShardReader } from './shard-reader.js';
import type { PollerStatusReport, Report, StreamPollerStatus } from './types.js';

const STATUS_REFRESH_MS = 60_000;

/** Age of the consumer's oldest record not yet processed; 0 when caught up. */
export function consumerLag(reader: ShardReader, checkpoints: Checkpoints, consumerId: string, at: number): number {
  let oldest = Number.POSITIVE_INFINITY;
  for (const shard of reader.shards.values()) {
    const cursor = checkpoints.peek(consumerId, shard.id);
    const b = shard.buffer[(cursor?.next ?? shard.base) - shard.base];
    if (b) oldest = Math.min(oldest, b.createdMs);
  }
  return oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, at - oldest);
}

export const overallLag = (
  reader: ShardReader,
  checkpoints: Checkpoints,
  consumerIds: readonly string[],
  at: number,
): number => Math.max(0, ...consumerIds.map((id) => consumerLag(reader, checkpoints, id, at)));

/**
 * Writes the lag only when it moved by a second or a minute passed: status writes feed the
 * stream too, and every write would otherwise wake every consumer.
 */
export class StatusWriter {
  private lastCheckAt = Number.NEGATIVE_INFINITY;
  private lastWritten: { bucket: number; at: number } | undefined;

  constructor(
    private readonly deps: {
      readonly write?: (status: PollerStatusReport) => Promise<void>;
      readonly intervalMs: number;
      readonly now: () => number;
      readonly report: Report;
    },
  ) {}

  async maybeWrite(lagAt: (at: number) => number): Promise<void> {
    const { write, intervalMs, now, report } = this.deps;
    if (!write) return;
    const at = now();
    if (at - this.lastCheckAt < intervalMs) return;
    this.lastCheckAt = at;
    const lagMs = lagAt(at);
    const bucket = Math.round(lagMs / 1000);
    if (this.lastWritten && this.lastWritten.bucket === bucket && at - this.lastWritten.at < STATUS_REFRESH_MS) return;
    try {
      await write({ lagMs, reportedAt: new Date(at).toISOString() });
      this.lastWritten = { bucket, at };
    } catch (error) {
      report(error, { kind: 'status' });
    }
  }
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

export function statusOf(
  at: number,
  loop: { readonly running: boolean; readonly lastPollAt: number | undefined; readonly lastError: string | null },
  reader: ShardReader,
  checkpoints: Checkpoints,
  runners: ReadonlyMap<string, BatchRunner>,
): StreamPollerStatus {
  const ids = [...runners.keys()];
  return {
    running: loop.running,
    streamArn: reader.streamArn ?? null,
    lagMs: overallLag(reader, checkpoints, ids, at),
    lastRecordAt: iso(reader.lastRecordAt),
    lastPollAt: iso(loop.lastPollAt),
    shards: reader.shards.size,
    buffered: [...reader.shards.values()].reduce((n, s) => n + s.buffer.length, 0),
    parked: Object.fromEntries(ids.map((id) => [id, runners.get(id)!.counters.parked])),
    consumers: Object.fromEntries(
      ids.map((id) => [id, { ...runners.get(id)!.counters, lagMs: consumerLag(reader, checkpoints, id, at) }]),
    ),
    lastError: loop.lastError,
  };
}
