/**
 * `node --import tsx test/bench/feedback-lag.ts`: how long after an outcome is recorded does
 * the referrer's webhook receiver have it? PRINTS figures (p50/p90/p99/max); never pass/fail.
 *
 * One DynamoDB Local (in memory), the local HTTP stack in this process, the stream poller at
 * the local stack's default interval (250 ms) feeding the real operational consumer, and a
 * receiver on 127.0.0.1 that verifies every signature. N referrals (default 200) each go
 * received → review → accepted → allocated → assessment → outcome-recorded, CONCURRENCY at a
 * time (default 8). Lag = receipt of the `referral.outcome-recorded` message − the moment the
 * record-outcome request was answered (the event committed); also shown from the event's own
 * recorded time (`timestamp`).
 *
 * Tunables: BENCH_FEEDBACK_N, BENCH_FEEDBACK_CONCURRENCY, BENCH_FEEDBACK_POLL_MS.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalDynamo } from '../../infra/local/dynamodb.js';
import type { LocalStack } from '../../infra/local/stack.js';
import type { StreamPoller } from '../../infra/local/stream-poller.js';
import { j1Body } from '../support/referrals.js';
import { fetchWithToken } from './harness.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.FEEDBACK_SECRET_KEY ??= Buffer.alloc(32, 5).toString('base64');

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const N = envInt('BENCH_FEEDBACK_N', 200);
const CONCURRENCY = envInt('BENCH_FEEDBACK_CONCURRENCY', 8);
const POLL_MS = envInt('BENCH_FEEDBACK_POLL_MS', 250);
const WAIT_CAP_MS = 120_000;

const progress = (line: string) => process.stderr.write(`[feedback-lag] ${line}\n`);

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

async function main(): Promise<void> {
  const { startDynamoDbLocal } = await import('../../infra/local/dynamodb.js');
  const { startLocalStack } = await import('../../infra/local/stack.js');
  const { createStreamPoller } = await import('../../infra/local/stream-poller.js');
  const { verifyWebhook } = await import('../../shared/domain/feedback.js');

  let dynamo: LocalDynamo | undefined;
  let stack: LocalStack | undefined;
  let poller: StreamPoller | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    await poller?.stop().catch(() => undefined);
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
    await stack?.stop().catch(() => undefined);
    await dynamo?.stop().catch(() => undefined);
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  try {
    progress('starting DynamoDB Local (in memory) and the local stack');
    dynamo = await startDynamoDbLocal();
    stack = await startLocalStack({
      port: 0,
      dataDir: null,
      dynamoEndpoint: dynamo.endpoint,
      // The stack's own poller and timer stay (nearly) idle: this bench runs its own poller below,
      // so it can time it; the route throttle (on for npm start) would measure itself.
      pollIntervalMs: 600_000,
      throttle: false,
      scheduleIntervalMs: 3_600_000,
      log: () => undefined,
    });
    const { handleStream } = await import('../../functions/stream/operational.js');
    poller = createStreamPoller({
      endpoint: dynamo.endpoint,
      tableName: process.env.HUB_TABLE!,
      parkTableName: process.env.HUB_TABLE!,
      consumers: [
        {
          id: 'operational',
          shape: 'dynamodb-stream',
          handler: (e) => handleStream(e),
          pkPrefixes: ['REFERRAL#'],
          batchSize: 100,
          maxAttempts: 5,
        },
      ],
      pollIntervalMs: POLL_MS,
      onError: (e, ctx) => progress(`poller ${ctx.kind}: ${(e as Error).name}`),
    });
    poller.start();

    // The receiver: time of receipt per referral, every signature checked.
    let secret = '';
    let badSignatures = 0;
    const outcomeAt = new Map<string, { received: number; recordedAt: number }>();
    const waiters = new Map<string, () => void>();
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received = Date.now();
        const body = Buffer.concat(chunks).toString('utf8');
        if (
          !verifyWebhook({ headers: req.headers as Record<string, string>, body, secret, nowSeconds: received / 1000 })
            .ok
        )
          badSignatures++;
        const message = JSON.parse(body) as { type: string; timestamp: string; data: { referralId: string } };
        if (message.type === 'referral.outcome-recorded' && !outcomeAt.has(message.data.referralId)) {
          outcomeAt.set(message.data.referralId, { received, recordedAt: Date.parse(message.timestamp) });
          waiters.get(message.data.referralId)?.();
        }
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;

    const base = stack.url;
    const referrer = await stack.identity.issueClientToken('police-a-triage');
    const lead = await stack.identity.issuePersonToken('dana.lead');
    const sam = await stack.identity.issuePersonToken('sam.amhp');
    const call = async (
      method: string,
      path: string,
      token: string,
      json?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await fetchWithToken(base, method, path, token, json, headers);
      const body = (await res.json()) as Record<string, any>;
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${body.detail ?? ''}`);
      return { body, etag: res.headers.get('etag')! };
    };
    const event = (id: string, token: string, etag: string, json: Record<string, unknown>) =>
      call('POST', `/v1/referrals/${id}/events`, token, json, { 'If-Match': etag });

    const sub = await call(
      'POST',
      '/v1/subscriptions',
      referrer,
      { url: receiverUrl, events: ['accepted', 'allocated', 'outcome-recorded'] },
      { 'Idempotency-Key': randomUUID() },
    );
    secret = sub.body.secret as string;

    const lags: number[] = [];
    const fromRecorded: number[] = [];
    let next = 0;
    let failed = 0;
    const started = Date.now();
    progress(`${N} referrals, ${CONCURRENCY} at a time, poll interval ${POLL_MS} ms`);
    const worker = async () => {
      while (next < N) {
        next++;
        try {
          const created = await call('POST', '/v1/referrals', referrer, j1Body(), { 'Idempotency-Key': randomUUID() });
          const id = created.body.id as string;
          let step = await event(id, lead, created.etag, { type: 'start-review' });
          step = await event(id, lead, step.etag, { type: 'accept', reason: 'Assessment needed' });
          step = await event(id, lead, step.etag, {
            type: 'allocate',
            amhpId: 'amhp-sam',
            expectedAttendanceAt: new Date(Date.now() + 3_600_000).toISOString(),
          });
          step = await event(id, sam, step.etag, { type: 'start-assessment' });
          const arrived = new Promise<void>((resolve) => waiters.set(id, resolve));
          await event(id, sam, step.etag, {
            type: 'record-outcome',
            outcome: 'detained-s2',
            nextSteps: 'Conveyance to an adult acute bed.',
          });
          const committed = Date.now();
          await Promise.race([arrived, new Promise((r) => setTimeout(r, WAIT_CAP_MS))]);
          const got = outcomeAt.get(id);
          if (!got) {
            failed++;
            continue;
          }
          lags.push(Math.max(0, got.received - committed));
          fromRecorded.push(got.received - got.recordedAt);
        } catch (error) {
          failed++;
          progress(`referral failed: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const elapsed = (Date.now() - started) / 1000;

    const line = (label: string, values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      if (!sorted.length) return `${label}: no samples`;
      const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
      return (
        `${label.padEnd(44)} p50 ${percentile(sorted, 50)} ms   p90 ${percentile(sorted, 90)} ms   ` +
        `p99 ${percentile(sorted, 99)} ms   max ${sorted.at(-1)} ms   mean ${mean.toFixed(0)} ms`
      );
    };
    process.stdout.write(
      [
        `Feedback lag over ${lags.length} referrals (${failed} failed; ${elapsed.toFixed(1)} s; ` +
          `concurrency ${CONCURRENCY}; poll ${POLL_MS} ms; ${badSignatures} bad signatures)`,
        line('outcome committed -> webhook received', lags),
        line('event recorded (timestamp) -> received', fromRecorded),
        '',
      ].join('\n'),
    );
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`feedback-lag failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
