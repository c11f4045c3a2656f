/**
 * The local stand-in for the EventBridge minute schedule: invokes every scheduled handler
 * (functions/schedules.ts) with the ScheduledEvent shape EventBridge sends, once at start and
 * then every interval. A run of a schedule that is still going is skipped, not queued, so a
 * slow sweep cannot pile up invocations (in AWS overlapping invocations can happen; handlers
 * must tolerate that, but locally we keep the timeline readable).
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScheduledEvent } from 'aws-lambda';
import { accessScopeOf } from '../../functions/access.js';
import type { ScheduleDef } from '../../functions/schedules.js';
import { runWithAccess } from '../../shared/data/access-guard.js';

export type ScheduledHandler = (event: ScheduledEvent) => Promise<unknown>;

export interface LoadedSchedule {
  readonly id: string;
  readonly handler: ScheduledHandler;
}

export interface SchedulerOptions {
  readonly schedules: readonly LoadedSchedule[];
  /** Default 60 000: every schedule is `rate(1 minute)`. */
  readonly intervalMs?: number;
  readonly now?: () => number;
  /** A handler's error; the timer carries on. Log names and ids only: messages may hold data. */
  readonly onError?: (error: unknown, scheduleId: string) => void;
  readonly region?: string;
  readonly account?: string;
}

export interface RunSummary {
  readonly ran: string[];
  /** Schedules whose previous run had not finished. */
  readonly skipped: string[];
  readonly failed: string[];
}

export interface Scheduler {
  start(): void;
  /** Clears the timer and waits for runs in flight. */
  stop(): Promise<void>;
  /** Runs every schedule once now (skipping any still running); never rejects. */
  runOnce(): Promise<RunSummary>;
}

const defaultOnError = (error: unknown, scheduleId: string): void => {
  const name = error instanceof Error ? error.name : typeof error;
  console.error(`[scheduler] ${scheduleId} failed: ${name}`);
};

export function createScheduler(options: SchedulerOptions): Scheduler {
  const intervalMs = options.intervalMs ?? 60_000;
  const now = options.now ?? Date.now;
  const onError = options.onError ?? defaultOnError;
  const region = options.region ?? 'eu-west-2';
  const account = options.account ?? '000000000000';
  const running = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let started = false;

  const eventFor = (id: string): ScheduledEvent => ({
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account,
    // EventBridge sends whole seconds.
    time: new Date(Math.floor(now() / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    region,
    resources: [`arn:aws:events:${region}:${account}:rule/${id}`],
    detail: {},
  });

  const runOne = (schedule: LoadedSchedule): Promise<void> => {
    const run = (async () => {
      try {
        await runWithAccess(accessScopeOf('schedule', schedule.id), () => schedule.handler(eventFor(schedule.id)));
      } finally {
        running.delete(schedule.id);
      }
    })();
    running.set(
      schedule.id,
      run.catch(() => undefined),
    );
    return run;
  };

  const runOnce = async (): Promise<RunSummary> => {
    const summary: RunSummary = { ran: [], skipped: [], failed: [] };
    await Promise.all(
      options.schedules.map(async (schedule) => {
        if (running.has(schedule.id)) {
          summary.skipped.push(schedule.id);
          return;
        }
        summary.ran.push(schedule.id);
        try {
          await runOne(schedule);
        } catch (error) {
          summary.failed.push(schedule.id);
          onError(error, schedule.id);
        }
      }),
    );
    return summary;
  };

  const tick = () => {
    void runOnce();
    timer = setTimeout(tick, intervalMs);
  };

  return {
    start() {
      if (started) return;
      started = true;
      tick();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await Promise.all(running.values());
    },
    runOnce,
  };
}

/**
 * Imports each schedule's handler module (a path from the project root). The local stack runs
 * under tsx, so the `.ts` sources import directly, the same modules CDK bundles.
 */
export async function loadSchedules(defs: readonly ScheduleDef[], root: string): Promise<LoadedSchedule[]> {
  return Promise.all(
    defs.map(async (def) => {
      const mod = (await import(pathToFileURL(resolve(root, def.handler)).href)) as { handler?: unknown };
      if (typeof mod.handler !== 'function')
        throw new Error(`Schedule ${def.id}: ${def.handler} does not export a handler function`);
      return { id: def.id, handler: mod.handler as ScheduledHandler };
    }),
  );
}
