/**
 * `npm run soak -- --minutes N` (default 2): the whole local Hub under mixed traffic from its
 * partner organisations for N minutes, then a reconciliation from the API and the tables.
 * Exit 0 when everything reconciles, 1 otherwise. Bounded (stops by itself; a watchdog ends a
 * run that overstays by more than four minutes) and loopback only.
 *
 * Traffic, through HTTP with each partner's own token (per-client throttling on, as in AWS:
 * a 429 is honoured by waiting its Retry-After):
 * - referrers (police A and B, ambulance, A&E liaison, CMHT): creates with a unique
 *   Idempotency-Key (one in ten sent twice, as a client retrying would: the replay must name the
 *   same referral), reads of their referrals and change feed, information added, withdrawals;
 *   about one create in twelve is a person who arrived at the place of safety nearly 24 hours
 *   ago, so the minute sweep appends clock warnings and breaches (system events);
 * - the AMHP service: the duty reviewer and the lead triage (start-review → accept or not),
 *   sometimes both at once with the same If-Match (exactly one may win), the lead allocates
 *   and closes, the allocated AMHP starts the assessment and records the outcome; some event
 *   posts carry an Idempotency-Key and are sent twice (the replay must not add an event); the
 *   board is read;
 * - the bed manager of provider P posts availability snapshots; AMHPs read bed availability;
 * - feedback: when functions/feedback is present, police A subscribes a receiver that answers
 *   204 and the ambulance service one that always answers 503 (its deliveries must end parked).
 *
 * Reconciliation (after the traffic stops, the minute jobs run once more and the stream poller
 * drains): every 2xx create exists exactly once (by idempotency key and by id, none extra);
 * every referral's events run 1..n with no gap and its state's changeSeq is n; its version is
 * 1 + the event posts that got a 2xx, whose ETags are exactly 2..version once each; its events
 * are those posts (in version order) plus system events; the API answers the same; every
 * feedback delivery expected exists and is delivered or parked; the analytics facts equal the
 * referrals (one each, at the referral's changeSeq) and the roll-ups count each once; nothing
 * was parked by a stream consumer.
 *
 * The parts: common.ts (arguments, the recording HTTP client, the referrals as clients saw
 * them), setup.ts (the stack, tokens, feedback receivers), traffic.ts (the workers and the
 * settling), reconcile.ts with the phases registered below (checks.ts), report.ts. A new phase
 * (e.g. a load ladder or a safety sweep) is a `SoakPhase` added to PHASES: one line here.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LocalStack } from '../../infra/local/stack.js';
import {
  analyticsFacts,
  apiAgrees,
  createsOnce,
  eventsGapless,
  feedbackDelivered,
  ladderChecks,
  nothingParked,
} from './checks.js';
import { MINUTES, progress } from './common.js';
import { cleanUpOnSignals } from '../support/signals.js';
import { importModules } from './context.js';
import { reconcile, type SoakPhase } from './reconcile.js';
import { report } from './report.js';
import { safetyChecks } from './safety.js';
import { startSoak } from './setup.js';
import { runTraffic } from './traffic.js';

// Before anything that builds a logger or an SDK client is loaded (those imports are dynamic below).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
// Webhook secrets are sealed with this (locally); without it a key file would be written under .local/.
process.env.FEEDBACK_SECRET_KEY ??= Buffer.from(randomUUID() + randomUUID()).toString('base64');

/** What runs after the traffic, in order: each adds its checks to the report. */
const PHASES: readonly SoakPhase[] = [
  createsOnce,
  eventsGapless,
  ladderChecks,
  apiAgrees,
  feedbackDelivered,
  analyticsFacts,
  nothingParked,
  safetyChecks,
];

async function main(): Promise<number> {
  const started = performance.now();
  const mods = await importModules();

  let stack: LocalStack | undefined;
  const servers: Server[] = [];
  const cleanup = async () => {
    for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
    await stack?.stop().catch((e) => progress(`stack stop: ${(e as Error).name}`));
    stack = undefined;
  };
  const stopListening = cleanUpOnSignals(progress, cleanup);
  const watchdog = setTimeout(
    () => {
      progress('watchdog: the run overstayed its bound; stopping');
      void cleanup().finally(() => process.exit(1));
    },
    MINUTES * 60_000 + 240_000,
  );

  try {
    progress(`starting the local stack in memory; traffic for ${MINUTES} minute(s)`);
    const ctx = await startSoak(mods, servers, (running) => {
      stack = running;
    });
    const traffic = await runTraffic(ctx);
    const rec = await reconcile(ctx, traffic, PHASES);
    const code = report(ctx, rec, started);
    ctx.rawClient.destroy();
    return code;
  } finally {
    clearTimeout(watchdog);
    stopListening();
    await cleanup();
  }
}

/**
 * The lifecycle model through HTTP with 500 random sequences (50 in `npm test`): the same test
 * file, run here with more sequences, after the traffic phase (DOMAIN §3.1).
 */
function lifecycleModel(): number {
  process.stdout.write('\nLifecycle model through HTTP: 500 random event sequences\n');
  const run = spawnSync('npx', ['vitest', 'run', 'test/integration/referral-model.test.ts'], {
    stdio: 'inherit',
    env: { ...process.env, LIFECYCLE_MODEL_RUNS: '500' },
  });
  return run.status ?? 1;
}

main().then(
  (code) => process.exit(code || lifecycleModel()),
  (error) => {
    process.stderr.write(`[soak] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
