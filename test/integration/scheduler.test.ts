/**
 * The local schedule timer and the heartbeat it drives: the EventBridge ScheduledEvent shape,
 * no overlapping runs, and SYSTEM items read back by one Query. This file keeps its own hub
 * table so its SYSTEM items never meet another file's.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, inject, vi } from 'vitest';
import type { ScheduledEvent } from 'aws-lambda';
import { ScheduledEvent as ScheduledEventSchema } from '../../events/schemas/scheduled-event.js';
import { loadSample } from '../support/samples.js';
import { localDynamoClient } from '../../infra/local/dynamodb.js';
import { createScheduler, loadSchedules } from '../../infra/local/scheduler.js';
import { ensureTables, tableNames } from '../../infra/local/tables.js';
import { SCHEDULES } from '../../functions/schedules.js';

const names = tableNames(`sched-${randomUUID().slice(0, 8)}-`);
// Read lazily by shared/config.ts on first use, so setting it here (before any call) is enough.
process.env.HUB_TABLE = names.hub;

const root = fileURLToPath(new URL('../../', import.meta.url));
const client = localDynamoClient(inject('dynamoEndpoint'));

beforeAll(async () => {
  await ensureTables(client, names);
});
afterAll(() => client.destroy());
afterEach(() => {
  vi.useRealTimers();
});

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('local scheduler', () => {
  it('invokes every schedule with the EventBridge ScheduledEvent shape', async () => {
    const events: ScheduledEvent[] = [];
    const scheduler = createScheduler({
      schedules: [{ id: 'sweep', handler: async (e) => void events.push(e) }],
      now: () => Date.parse('2026-03-01T10:15:30.789Z'),
    });
    expect(await scheduler.runOnce()).toEqual({ ran: ['sweep'], skipped: [], failed: [] });
    expect(events).toEqual([
      {
        version: '0',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: expect.stringMatching(/^\d{12}$/),
        time: '2026-03-01T10:15:30Z',
        region: 'eu-west-2',
        resources: [expect.stringMatching(/^arn:aws:events:eu-west-2:\d{12}:rule\/sweep$/)],
        detail: {},
      },
    ]);
    // The same shape as the committed sample (events/samples/schedule/minute.json), which the schema closes.
    expect(ScheduledEventSchema.parse(events[0])).toEqual(events[0]);
    expect(Object.keys(events[0]!).sort()).toEqual(Object.keys(loadSample('schedule/minute.json') as object).sort());
  });

  it('skips a run of a schedule whose previous run has not finished, and reports errors without stopping', async () => {
    const gate = deferred();
    let slowCalls = 0;
    let fastCalls = 0;
    const failures: string[] = [];
    const scheduler = createScheduler({
      schedules: [
        {
          id: 'slow',
          handler: async () => {
            slowCalls++;
            return gate.promise;
          },
        },
        { id: 'fast', handler: async () => void fastCalls++ },
        {
          id: 'failing',
          handler: async () => {
            throw new TypeError('boom');
          },
        },
      ],
      onError: (error, id) => failures.push(`${id}:${(error as Error).name}`),
    });
    const first = scheduler.runOnce();
    await new Promise((r) => setImmediate(r)); // fast and failing finish; slow waits at the gate
    const second = await scheduler.runOnce();
    expect(second).toEqual({ ran: ['fast', 'failing'], skipped: ['slow'], failed: ['failing'] });
    gate.resolve();
    expect(await first).toEqual({ ran: ['slow', 'fast', 'failing'], skipped: [], failed: ['failing'] });
    expect([slowCalls, fastCalls]).toEqual([1, 2]);
    expect(failures).toEqual(['failing:TypeError', 'failing:TypeError']);
    // Finished, so the next run goes ahead.
    expect((await scheduler.runOnce()).ran).toContain('slow');
  });

  it('runs at start and then every interval, never overlapping, and stop() leaves no timer', async () => {
    vi.useFakeTimers();
    let gate = deferred();
    let calls = 0;
    const scheduler = createScheduler({
      schedules: [
        {
          id: 'tick',
          handler: async () => {
            calls++;
            return gate.promise;
          },
        },
      ],
      intervalMs: 1000,
    });
    scheduler.start();
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1000); // still running: skipped
    expect(calls).toBe(1);
    gate.resolve();
    gate = deferred();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    gate.resolve();
    await scheduler.stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(2);
  });
});

describe('heartbeat', () => {
  it('loads the schedule list; the heartbeat writes SYSTEM/HEARTBEAT and readSystemStatus returns it', async () => {
    const { readSystemStatus, recordPollerStatus } = await import('../../shared/data/system-repository.js');
    expect(await readSystemStatus()).toEqual({ lastScheduleRunAt: null, poller: null });

    const schedules = await loadSchedules(SCHEDULES, root);
    expect(schedules.map((s) => s.id)).toEqual(SCHEDULES.map((s) => s.id));
    // Only the heartbeat here: the other schedules have tests of their own.
    const scheduler = createScheduler({
      schedules: schedules.filter((s) => s.id === 'heartbeat'),
      now: () => Date.parse('2026-03-01T10:16:00.000Z'),
    });
    expect(await scheduler.runOnce()).toMatchObject({ ran: ['heartbeat'], failed: [] });

    await recordPollerStatus({ lagMs: 120, reportedAt: '2026-03-01T10:16:01.000Z' });
    expect(await readSystemStatus()).toEqual({
      lastScheduleRunAt: '2026-03-01T10:16:00.000Z',
      poller: { lagMs: 120, reportedAt: '2026-03-01T10:16:01.000Z' },
    });

    // A late or overlapping run never moves the heartbeat backwards.
    const late = createScheduler({ schedules, now: () => Date.parse('2026-03-01T10:15:00.000Z') });
    expect((await late.runOnce()).failed).toEqual([]);
    expect((await readSystemStatus()).lastScheduleRunAt).toBe('2026-03-01T10:16:00.000Z');
  });

  it('rejects an event without a valid time', async () => {
    const { handler } = await import('../../functions/health/heartbeat.js');
    await expect(handler({ time: 'not a time' } as ScheduledEvent)).rejects.toMatchObject({
      name: 'InvalidScheduledEventError',
    });
  });

  it('loadSchedules names a module without a handler', async () => {
    await expect(
      loadSchedules(
        [
          {
            id: 'bad',
            handler: 'functions/schedules.ts',
            expression: 'rate(1 minute)',
            description: 'no handler here',
            builtBy: 'schedules',
          },
        ],
        root,
      ),
    ).rejects.toThrow(/bad: functions\/schedules.ts does not export a handler/);
  });
});
