/**
 * The safety sweep (DOMAIN §9), every minute: time passing writes nothing, so nothing else could
 * notice an AMHP who has not come back. From the `safety` table's sparse `sweep` index it finds
 * - check-ins whose expected finish plus the service's grace has passed without check-out:
 *   `safety-check-overdue`, once per check-in;
 * - duty sessions 12 hours on shift: `over-hours`, once per session;
 * - unacknowledged safety alerts whose 10-minute repeat is due: the next message;
 * and then makes the alert channel's due delivery attempts (retries with backoff, parking).
 * "Once" is a conditional write in the same transaction as the alert (shared/safety/alerts.ts),
 * so two sweeps racing raise one alert.
 */
import type { ScheduledEvent } from 'aws-lambda';
import {
  AlertRaced,
  checkInOverdueItem,
  dueSweepEntries,
  getAlert,
  getCheckIn,
  getSession,
  sessionOverHoursItem,
  type SweepEntry,
} from '../../shared/data/safety-repository.js';
import { checkInOverdue, repeatDue, sessionOverHours } from '../../shared/domain/safety.js';
import { deliverDue, type SweepOptions, type SweepSummary } from '../../shared/feedback/deliver-due.js';
import { alertStillWanted, newAlertId, raiseAlert, repeatAlert } from '../../shared/safety/alerts.js';
import { logger } from '../../shared/logger.js';
import { clock } from '../../shared/time.js';

export interface SafetySweepResult {
  due: number;
  overdue: number;
  overHours: number;
  repeats: number;
  failed: number;
  deliveries: SweepSummary;
}

type Outcome = 'overdue' | 'overHours' | 'repeats' | 'none';

async function handleEntry(entry: SweepEntry, now: Date): Promise<Outcome> {
  try {
    if (entry.kind === 'CHECKIN') {
      const c = await getCheckIn(entry.serviceId, entry.id);
      if (!c || !checkInOverdue(c, now)) return 'none';
      const alertId = newAlertId(now);
      await raiseAlert(
        {
          alertId,
          serviceId: c.serviceId,
          kind: 'safety-check-overdue',
          referralId: c.referralId,
          reference: c.reference,
          amhpId: c.amhpId,
        },
        [checkInOverdueItem(c, alertId, () => new AlertRaced())],
        now,
      );
      return 'overdue';
    }
    if (entry.kind === 'SESSION') {
      const s = await getSession(entry.serviceId, entry.id);
      if (!s || !sessionOverHours(s, now)) return 'none';
      const alertId = newAlertId(now);
      await raiseAlert(
        { alertId, serviceId: s.serviceId, kind: 'over-hours', amhpId: s.amhpId },
        [sessionOverHoursItem(s, alertId, () => new AlertRaced())],
        now,
      );
      return 'overHours';
    }
    const a = await getAlert(entry.serviceId, entry.id);
    if (!a || !repeatDue(a, now)) return 'none';
    await repeatAlert(a, now);
    return 'repeats';
  } catch (error) {
    // Checked out, acknowledged or raised by another sweep meanwhile: nothing to do.
    if (error instanceof AlertRaced) return 'none';
    throw error;
  }
}

export async function safetySweep(
  now: Date,
  options: Omit<SweepOptions, 'channel' | 'stillWanted'> = {},
): Promise<SafetySweepResult> {
  const entries = await dueSweepEntries(now);
  const result: SafetySweepResult = {
    due: entries.length,
    overdue: 0,
    overHours: 0,
    repeats: 0,
    failed: 0,
    deliveries: undefined as never,
  };
  for (const entry of entries) {
    try {
      const outcome = await handleEntry(entry, now);
      if (outcome !== 'none') result[outcome]++;
    } catch (error) {
      // One item's failure must not keep the others' alerts back. Ids only: never where.
      result.failed++;
      logger.error('safety sweep failed for an item', { kind: entry.kind, errorName: (error as Error).name });
    }
  }
  result.deliveries = await deliverDue(now, { ...options, channel: 'alerts', stillWanted: alertStillWanted });
  return result;
}

export const handler = async (_event: ScheduledEvent) => {
  const result = await safetySweep(clock.now());
  if (result.due || result.deliveries.due)
    logger.info('safety sweep', { ...result, deliveries: { ...result.deliveries } });
  return result;
};
