/**
 * Webhook delivery (DOMAIN §6): the minute sweep over the sparse `due` index. Each attempt is
 * `attemptDelivery` (shared/feedback/attempt.ts), which the operational stream consumer also
 * calls for a message's first attempt, so a referrer hears within seconds rather than at the
 * next minute.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { dueDeliveryKeys, getDeliveries, type Delivery } from '../../shared/data/delivery-repository.js';
import type { Subscription } from '../../shared/data/subscription-repository.js';
import { attemptDelivery, postWebhook, type DeliveryDeps } from '../../shared/feedback/attempt.js';
import type { UrlPolicy } from '../../shared/domain/ssrf.js';
import { logger } from '../../shared/logger.js';
import { clock } from '../../shared/time.js';

export { attemptDelivery, DELIVERY_LEASE_MS, DELIVERY_TIMEOUT_MS, postWebhook, type AttemptOutcome, type DeliveryDeps, type SendResult } from '../../shared/feedback/attempt.js';

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
}

/**
 * The minute sweep: every delivery due by `now`, one subscription's in due order (so a
 * receiver coming back sees them in the order they fell due), subscriptions in parallel.
 */
export async function deliverDue(now: Date = clock.now(), options: SweepOptions = {}): Promise<SweepSummary> {
  const deadline = Date.now() + (options.budgetMs ?? 40_000);
  const keys = await dueDeliveryKeys(now);
  // The index is eventually consistent: an entry may still show a time the delivery has moved past.
  const nowIso = now.toISOString();
  const deliveries = (await getDeliveries(keys)).filter((d) => d.status === 'pending' && (d.nextAttemptAt ?? '') <= nowIso);
  const summary: SweepSummary = { due: deliveries.length, delivered: 0, retry: 0, parked: 0, cancelled: 0, skipped: 0, failed: 0 };
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
          logger.error('webhook delivery attempt failed', { deliveryId: d.deliveryId, errorName: (error as Error).name });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, queue.length)) }, worker));
  return summary;
}

export const handler = async (_event: ScheduledEvent) => {
  const summary = await deliverDue(clock.now());
  if (summary.due) logger.info('webhook delivery sweep', { ...summary });
  return summary;
};
