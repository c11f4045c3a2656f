/**
 * The poller's loop: one cycle at a time (discover shards, read what is new, run every
 * consumer, trim, report), then a sleep until the poll interval or the earliest retry falls
 * due; straight on while there is work or a drain is waiting. Errors never stop it: it
 * reports, backs off and tries again.
 */
import { BatchRunner } from './batch-runner.js';
import { Checkpoints } from './checkpoints.js';
import { Clients } from './clients.js';
import { createParker } from './park.js';
import { ShardReader } from './shard-reader.js';
import { overallLag, StatusWriter, statusOf } from './status.js';
import {
  errorName,
  type PollerErrorContext,
  type SourceContext,
  type StreamPoller,
  type StreamPollerOptions,
} from './types.js';

const MAX_BUFFERED = 10_000; // per shard: stop reading ahead of a slow consumer
const DESCRIBE_INTERVAL_MS = 1000;
const MAX_POLL_BACKOFF_MS = 5000;

const defaultOnError = (error: unknown, context: PollerErrorContext): void => {
  // Handler errors may carry identifiable data in their messages: name only.
  const detail = context.kind === 'handler' ? '' : `: ${error instanceof Error ? error.message : ''}`;
  const where = [context.consumerId && `consumer=${context.consumerId}`, context.shardId && `shard=${context.shardId}`]
    .filter(Boolean)
    .join(' ');
  console.error(`[stream-poller] ${context.kind} ${where} ${errorName(error)}${detail}`);
};

interface Drain {
  /** Resolved by the first quiet cycle that started after the cycle numbered `after`. */
  readonly after: number;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

/** The loop's own state: what is running, and what the last cycles found. */
interface LoopState {
  running: boolean;
  timer: NodeJS.Timeout | undefined;
  inFlight: Promise<void> | undefined;
  cycleNumber: number;
  errorStreak: number;
  lastError: string | null;
  lastPollAt: number | undefined;
  drains: Drain[];
}

export function createStreamPoller(options: StreamPollerOptions): StreamPoller {
  if (!options.endpoint && !(options.streamsClient && options.dynamoClient)) {
    throw new Error('createStreamPoller needs an endpoint, or both a streamsClient and a dynamoClient');
  }
  const now = options.now ?? Date.now;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const backoff = { baseMs: options.backoff?.baseMs ?? 50, maxMs: options.backoff?.maxMs ?? 500 };
  const onError = options.onError ?? defaultOnError;
  const region = options.region ?? 'eu-west-2';
  const account = options.account ?? '000000000000';
  const { consumers } = options;
  const ids = consumers.map((c) => c.id);
  if (new Set(ids).size !== ids.length)
    throw new Error(`Duplicate stream consumer id ${ids.find((id, i) => ids.indexOf(id) !== i)}`);

  const report = (error: unknown, context: PollerErrorContext) => {
    try {
      onError(error, context);
    } catch {
      // A broken error hook must not stop the poller.
    }
  };
  const clients = new Clients();
  const streams = () => clients.streams!;
  const dynamo = () => clients.dynamo!;
  const reader = new ShardReader({
    tableName: options.tableName,
    ...(options.streamArn ? { streamArn: options.streamArn } : {}),
    now,
    streams,
    dynamo,
  });
  const checkpoints = new Checkpoints(ids, (id) => reader.shards.get(id));
  const source = (): SourceContext => ({ region, account, tableName: options.tableName, streamArn: reader.streamArn });
  const park = createParker({ tableName: options.parkTableName, dynamo, source, now, report });
  const runners = new Map(
    consumers.map((consumer) => [
      consumer.id,
      new BatchRunner({ consumer, checkpoints, source, now, backoff, report, park }),
    ]),
  );
  const statusWriter = new StatusWriter({
    ...(options.writeStatus ? { write: options.writeStatus } : {}),
    intervalMs: options.statusIntervalMs ?? 15_000,
    now,
    report,
  });
  const state: LoopState = {
    running: false,
    timer: undefined,
    inFlight: undefined,
    cycleNumber: 0,
    errorStreak: 0,
    lastError: null,
    lastPollAt: undefined,
    drains: [],
  };

  /** One poll: discover shards, read what is new, deliver, trim. Returns the delay before the next. */
  async function cycle(): Promise<number> {
    const number = ++state.cycleNumber;
    const draining = state.drains.length > 0;
    let progress = false;
    let caughtUp = true;
    let described = false;
    // A drain needs a fresh shard list: a shard created since the last describe may hold its records.
    if (reader.forceDescribe || draining || now() - reader.lastDescribeAt >= DESCRIBE_INTERVAL_MS) {
      const { changed, forgotten } = await reader.describe((shard) => checkpoints.finishedByAll(shard));
      for (const id of forgotten) checkpoints.forget(id);
      if (changed) progress = true;
      described = true;
    }
    for (const shard of reader.ordered()) {
      if (shard.ended) continue;
      const parent = reader.parentOf(shard);
      // A child is read once its parent is read to the end; a full buffer waits for the slowest consumer.
      if ((parent && !parent.ended) || shard.buffer.length >= MAX_BUFFERED) {
        caughtUp = false;
        continue;
      }
      const n = await reader.read(shard);
      if (n !== 0) {
        caughtUp = false;
        if (n > 0) progress = true;
      }
      if (shard.ended) progress = true;
    }
    state.lastPollAt = now();
    const ordered = reader.ordered();
    const results = await Promise.all([...runners.values()].map((runner) => runner.deliver(ordered)));
    checkpoints.trim(reader.shards.values());
    await statusWriter.maybeWrite((at) => overallLag(reader, checkpoints, ids, at));
    if (results.some((r) => r.progress)) progress = true;
    const pending = results.some((r) => r.pending);

    if (described && caughtUp && !pending && !progress) {
      const done = state.drains.filter((d) => d.after < number);
      state.drains = state.drains.filter((d) => d.after >= number);
      for (const d of done) d.resolve();
    }
    // Straight on while there is work, or for a drain asked for during this cycle; otherwise
    // sleep until the poll interval or the earliest retry falls due.
    if (progress || state.drains.some((d) => d.after >= number)) return 0;
    return Math.min(pollIntervalMs, Math.max(0, Math.min(...results.map((r) => r.wakeAt)) - now()));
  }

  const schedule = (delayMs: number) => {
    if (!state.running) return;
    state.timer = setTimeout(loop, delayMs);
  };

  function loop() {
    state.timer = undefined;
    if (!state.running || state.inFlight) return;
    let delay = pollIntervalMs;
    state.inFlight = (async () => {
      try {
        delay = await cycle();
        state.errorStreak = 0;
        state.lastError = null;
      } catch (error) {
        // DynamoDB Local briefly away, a table being rebuilt: report, back off, try again.
        state.errorStreak++;
        state.lastError = errorName(error);
        if (errorName(error) === 'ResourceNotFoundException' && reader.reset()) checkpoints.clear();
        reader.forceDescribe = true;
        report(error, { kind: 'poll' });
        delay = Math.min(MAX_POLL_BACKOFF_MS, pollIntervalMs * 2 ** state.errorStreak);
      }
    })();
    void state.inFlight.finally(() => {
      state.inFlight = undefined;
      schedule(delay);
    });
  }

  /** Runs the next cycle now rather than after a sleep (a drain is waiting). */
  const wake = () => {
    if (!state.running || state.inFlight || !state.timer) return;
    clearTimeout(state.timer);
    state.timer = undefined;
    loop();
  };

  return {
    start() {
      if (state.running) return;
      clients.open(options, region);
      state.running = true;
      loop();
    },
    async stop() {
      state.running = false;
      if (state.timer) clearTimeout(state.timer);
      state.timer = undefined;
      while (state.inFlight) await state.inFlight.catch(() => undefined);
      if (state.timer) clearTimeout(state.timer);
      state.timer = undefined;
      const waiting = state.drains;
      state.drains = [];
      for (const d of waiting) d.reject(new Error('The stream poller stopped before it drained'));
      clients.close();
    },
    drain() {
      if (!state.running) return Promise.reject(new Error('The stream poller is not running'));
      return new Promise<void>((resolve, reject) => {
        state.drains.push({ after: state.cycleNumber, resolve, reject });
        wake();
      });
    },
    status: () => statusOf(now(), state, reader, checkpoints, runners),
  };
}
