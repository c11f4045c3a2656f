/**
 * The webhook delivery sweep over a channel's sparse `due` index (DOMAIN §6, §9): feedback's
 * minute schedule (functions/feedback/deliver.ts) runs it over `hub`, the safety sweep
 * (functions/safety/sweep.ts) over the alert channel's deliveries in `safety`. Each attempt is
 * `attemptDelivery`: the same signing, backoff, parking for both.
 */
import { dueDeliveryKeys, getDeliveries, type Delivery, type DeliveryChannel } from '../data/delivery-repository.js';
import type { Subscription } from '../data/subscription-repository.js';
import { attemptDelivery, type postWebhook, type DeliveryDeps } from './attempt.js';
import type { UrlPolicy } from '../domain/ssrf.js';
import { logger } from '../logger.js';
import { clock } from '../time.js';

export interface SweepSummary {
  due: number;
  delivered: number;
  retry: number;
  parked: number;
  cancelled: number;
  skipped: number;
  failed: number;
}

export interface SweepOptions {
  readonly random?: () => number;
  readonly policy?: UrlPolicy;
  readonly timeoutMs?: number;
  /** Parallel subscriptions. Default 8. */
  readonly concurrency?: number;
  /** Starts no attempt after this much wall time (the function's timeout is 60 s). Default 40 s. */
  readonly budgetMs?: number;
  readonly send?: typeof postWebhook;
  /** Which deliveries (default `feedback`). */
  readonly channel?: DeliveryChannel;
  /** Alerts: whether a delivery is still wanted when its attempt comes (an acknowledged safety alert's is not). */
  readonly stillWanted?: DeliveryDeps['stillWanted'];
}

/**
 * The minute sweep: every delivery due by `now`, one subscription's in due order (so a
 * receiver coming back sees them in the order they fell due), subscriptions in parallel.
 */
export async function deliverDue(now: Date = clock.now(), options: SweepOptions = {}): Promise<SweepSummary> {
  const deadline = Date.now() + (options.budgetMs ?? 40_000);
  const channel = options.channel ?? 'feedback';
  const keys = await dueDeliveryKeys(now, 100, channel);
  // The index is eventually consistent: an entry may still show a time the delivery has moved past.
  const nowIso = now.toISOString();
  const deliveries = (await getDeliveries(keys, channel)).filter(
    (d) => d.status === 'pending' && (d.nextAttemptAt ?? '') <= nowIso,
  );
  const summary: SweepSummary = {
    due: deliveries.length,
    delivered: 0,
    retry: 0,
    parked: 0,
    cancelled: 0,
    skipped: 0,
    failed: 0,
  };
  const groups = new Map<string, Delivery[]>();
  for (const d of deliveries) groups.set(d.subscriptionId, [...(groups.get(d.subscriptionId) ?? []), d]);
  const queue = [...groups.values()];
  const subscriptions = new Map<string, Promise<Subscription | undefined>>();
  const deps: DeliveryDeps = {
    now,
    subscriptions,
    ...(options.random ? { random: options.random } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.send ? { send: options.send } : {}),
    ...(options.stillWanted ? { stillWanted: options.stillWanted } : {}),
  };
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      for (const d of group) {
        if (Date.now() > deadline) {
          summary.skipped++;
          continue;
        }
        try {
          const outcome = await attemptDelivery(d, deps);
          if (outcome === 'lost-lease') summary.skipped++;
          else summary[outcome]++;
        } catch (error) {
          summary.failed++;
          logger.error('webhook delivery attempt failed', {
            deliveryId: d.deliveryId,
            errorName: (error as Error).name,
          });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, queue.length)) }, worker));
  return summary;
}
