/**
 * The minute sweep (DOMAIN §4): time passing writes nothing, so no stream record could announce
 * a breach. Every minute this finds referrals whose next clock deadline has come (a sparse index)
 * and appends each due `clock-warning` / `clock-breached` exactly once: a marker item per
 * (referral, clock, threshold) is written with attribute_not_exists in the same transaction, so
 * two sweeps racing cannot both append. System events bump `changeSeq`, never `version`.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { PK } from '../../shared/data/tables.js';
import { tableName } from '../../shared/data/client.js';
import {
  changeItems,
  getReferral,
  openClockReferralIds,
  referralKeys,
  StaleChangeSeq,
  subjectOf,
  type StoredEvent,
} from '../../shared/data/referral-repository.js';
import { transact } from '../../shared/data/transact.js';
import { dueThresholds } from '../../shared/domain/clocks.js';
import { recomputeClocks } from '../../shared/domain/referral.js';
import { logger } from '../../shared/logger.js';
import { clock } from '../../shared/time.js';

const MAX_PER_RUN = 500;

class AlreadyAnnounced extends Error {
  override name = 'AlreadyAnnounced';
}

/** Announces what is due on one referral; returns how many events it appended. */
export async function sweepReferral(id: string, now: Date): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await getReferral(id);
    if (!found) return 0;
    const { record, personKey } = found;
    const clocks = recomputeClocks(record.clockFacts, now);
    const due = dueThresholds(clocks, now, new Set(record.recordedThresholds));
    const at = now.toISOString();
    const events: StoredEvent[] = due.map((t, i) => ({
      seq: record.changeSeq + i + 1,
      type: t.threshold === 'breach' ? 'clock-breached' : 'clock-warning',
      at,
      organisationId: 'hub',
      clientId: 'clock-sweep',
      role: 'system',
      system: true,
      data: { power: t.power, threshold: t.threshold, expiresAt: t.relativeTo, dueAt: t.at },
      subject: subjectOf(record),
    }));
    const next = {
      ...record,
      clocks,
      recordedThresholds: [...record.recordedThresholds, ...due.map((t) => t.key)],
      changeSeq: record.changeSeq + due.length,
      breaches: [
        ...new Set([...(record.breaches ?? []), ...due.filter((t) => t.threshold === 'breach').map((t) => t.power)]),
      ],
      ...(due.length ? { updatedAt: at, lastEvent: { type: events.at(-1)!.type, at } } : {}),
    };
    // Nothing due: only move the index entry on (the next deadline) if it is stale.
    if (!due.length && JSON.stringify(record.clocks) === JSON.stringify(clocks)) return 0;
    try {
      await transact([
        ...changeItems(next, record.changeSeq, events, personKey),
        ...due.map((t) => ({
          item: {
            Put: {
              TableName: tableName('hub'),
              Item: { ...referralKeys.threshold(id, t.key), at },
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': PK },
            },
          },
          onConditionFailed: () => new AlreadyAnnounced(),
        })),
      ]);
      return due.length;
    } catch (error) {
      if (!(error instanceof StaleChangeSeq) && !(error instanceof AlreadyAnnounced)) throw error;
      // Someone else wrote meanwhile (another sweep, or a person): read again and recompute.
    }
  }
  return 0;
}

export async function sweep(now: Date): Promise<{ referrals: number; events: number }> {
  const ids = await openClockReferralIds(now.toISOString(), MAX_PER_RUN);
  let events = 0;
  for (const id of ids) {
    try {
      events += await sweepReferral(id, now);
    } catch (error) {
      // One referral's failure must not stop the others' breaches being announced.
      logger.error('clock sweep failed for a referral', { referralId: id, errorName: (error as Error).name });
    }
  }
  return { referrals: ids.length, events };
}

export const handler = async (_event: ScheduledEvent) => {
  const result = await sweep(clock.now());
  if (result.events) logger.info('clock sweep', result);
  return result;
};
