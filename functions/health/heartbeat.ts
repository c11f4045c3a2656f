/**
 * Scheduled every minute (functions/schedules.ts). Records that the schedule ran, so GET /health
 * can tell a stopped schedule from a quiet system: time passing writes nothing otherwise.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { recordHeartbeat } from '../../shared/data/system-repository.js';

export class InvalidScheduledEventError extends Error {
  override name = 'InvalidScheduledEventError';
}

export const handler = async (event: ScheduledEvent): Promise<void> => {
  // The event's own time (the scheduled time), not the clock here: a late invocation must not
  // claim the schedule ran later than it did.
  const at = new Date(typeof event?.time === 'string' ? event.time : Number.NaN);
  if (Number.isNaN(at.getTime())) throw new InvalidScheduledEventError('ScheduledEvent has no valid time');
  await recordHeartbeat(at);
};
