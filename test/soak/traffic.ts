/**
 * The traffic: every partner's worker for the run's minutes (test/soak/workers.ts: referrers
 * create, read, add information and withdraw; the AMHP service triages, allocates, assesses and
 * closes, sometimes racing; the bed manager posts availability), then the settling: lost creates
 * retried with their keys, the minute jobs once more, the webhook retry schedule walked forward,
 * the stream drained. How a worker writes to a referral is test/soak/writes.ts.
 */
import { ladderSoak } from './ladder.js';
import { performance } from 'node:perf_hooks';
import { call, MINUTES, pendingCreates, progress, refs, sleep, stats, type Ref } from './common.js';
import type { SoakContext } from './context.js';
import { trafficWorkers } from './workers.js';
import { referralWrites } from './writes.js';

export interface TrafficResult {
  /** The bed-finding ladder's part of the traffic (test/soak/ladder.ts), reconciled by `ladderChecks`. */
  readonly ladder: ReturnType<typeof ladderSoak<Ref>>;
  readonly trafficSeconds: number;
  readonly trafficRequests: number;
  readonly pollerStatus: ReturnType<SoakContext['stack']['poller']['status']>;
}

export async function runTraffic(ctx: SoakContext): Promise<TrafficResult> {
  const { stack, referrers, deliverDue } = ctx;
  const deadline = Date.now() + MINUTES * 60_000;
  const running = () => Date.now() < deadline;
  const writes = referralWrites(ctx.mods.RECORDED_EVENT_TYPE);
  const { postEvent, withClaim } = writes;
  const { referrerWorker, reviewerWorker, leadWorker, amhpWorker, bedWorker, bedReader } = trafficWorkers(
    ctx,
    running,
    writes,
  );

  const trafficStarted = performance.now();
  const ladder = ladderSoak({ running, withClaim, postEvent, amhpToken: ctx.tokens.amhp, sleep });
  const ticker = setInterval(() => {
    const total = [...stats.values()].reduce((n, s) => n + s.count, 0);
    progress(
      `${Math.round((deadline - Date.now()) / 1000)} s left: ${total} requests, ${refs.size} referrals, ` +
        `poller lag ${stack.poller.status().lagMs ?? '?'} ms`,
    );
  }, 15_000);
  await Promise.all([
    ...referrers.map(referrerWorker),
    reviewerWorker(),
    leadWorker(),
    amhpWorker(),
    bedWorker(),
    bedReader(),
    ladder.worker(),
  ]);
  clearInterval(ticker);
  const trafficSeconds = (performance.now() - trafficStarted) / 1000;
  const trafficRequests = [...stats.values()].reduce((n, s) => n + s.count, 0);
  progress(`traffic stopped: ${trafficRequests} requests; settling`);

  // Creates whose answer was a server error or lost: the client retries with its key.
  for (const p of pendingCreates.splice(0)) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const a = await call('POST /v1/referrals (retry)', 'POST', '/v1/referrals', p.token, {
        json: p.body,
        headers: { 'Idempotency-Key': p.key },
      });
      if (a.status === 201) {
        refs.set(a.body.id, {
          id: a.body.id,
          key: p.key,
          org: p.org,
          referrerReference: p.reference,
          token: p.token,
          status: a.body.status,
          version: 1,
          busy: false,
          posts: [],
          seen: [],
          clockHeavy: false,
        });
        break;
      }
      await sleep(1000);
    }
  }

  // The minute jobs once more (the sweep announces what fell due), then the stream drained.
  await stack.scheduler.runOnce();
  await stack.scheduler.stop();
  await stack.poller.drain();
  if (deliverDue) {
    // Walk the retry schedule forward (as the feedback tests do): failing receivers end parked.
    for (let h = 2; h <= 26; h += 2) await deliverDue(new Date(Date.now() + h * 3_600_000));
  }
  await stack.poller.drain();
  const pollerStatus = stack.poller.status();
  return { ladder, trafficSeconds, trafficRequests, pollerStatus };
}
