/**
 * Webhook delivery (DOMAIN §6): the minute sweep over the sparse `due` index. Each attempt is
 * `attemptDelivery` (shared/feedback/attempt.ts), which the operational stream consumer also
 * calls for a message's first attempt, so a referrer hears within seconds rather than at the
 * next minute.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { deliverDue } from '../../shared/feedback/deliver-due.js';
import { logger } from '../../shared/logger.js';
import { clock } from '../../shared/time.js';

export {
  attemptDelivery,
  DELIVERY_LEASE_MS,
  DELIVERY_TIMEOUT_MS,
  postWebhook,
  type AttemptOutcome,
  type DeliveryDeps,
  type SendResult,
} from '../../shared/feedback/attempt.js';
export { deliverDue, type SweepOptions, type SweepSummary } from '../../shared/feedback/deliver-due.js';

export const handler = async (_event: ScheduledEvent) => {
  const summary = await deliverDue(clock.now());
  if (summary.due) logger.info('webhook delivery sweep', { ...summary });
  return summary;
};
