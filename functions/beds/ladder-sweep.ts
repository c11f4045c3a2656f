/**
 * The bed-finding ladder's minute sweep (DOMAIN §9): time passing writes nothing, so no stream
 * record could say a ladder step's target passed. Every minute this finds referrals whose next
 * unescalated step target has come (a sparse index entry) and appends, for each step due, one
 * system event `escalated` (`reason: 'no-bed'`, the step and its level, who it goes to next),
 * exactly once: a marker item per (referral, bed request, step) is written with
 * attribute_not_exists in the same transaction as the change, so two sweeps racing (or a sweep
 * retried after a crash) cannot both append. System events bump `changeSeq`, never `version`.
 * The clock sweep (functions/clocks/sweep.ts) follows the same pattern for the statutory clocks.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { PK } from '../../shared/data/tables.js';
import { tableName } from '../../shared/data/client.js';
import {
  changeItems,
  getReferral,
  ladderItem,
  referralKeys,
  StaleChangeSeq,
  subjectOf,
  type StoredEvent,
} from '../../shared/data/referral-repository.js';
import { dueLadderReferralIds } from '../../shared/data/ladder-repository.js';
import { transact } from '../../shared/data/transact.js';
import {
  dueSteps,
  escalationData,
  ladderMarkerKey,
  type BedLadder,
  type LadderStep,
} from '../../shared/domain/bed-ladder.js';
import { isOpen } from '../../shared/domain/lifecycle.js';
import { logger } from '../../shared/logger.js';
import { clock } from '../../shared/time.js';

const MAX_PER_RUN = 500;

class AlreadyEscalated extends Error {
  override name = 'AlreadyEscalated';
}

/** Escalates what is due on one referral's ladders; returns how many events it appended. */
export async function sweepLadder(id: string, now: Date): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await getReferral(id);
    if (!found) return 0;
    const { record, personKey } = found;
    const due: { ladder: BedLadder; step: LadderStep }[] = isOpen(record.status)
      ? (record.bedLadders ?? []).flatMap((ladder) => dueSteps(ladder, now).map((step) => ({ ladder, step })))
      : [];
    const at = now.toISOString();
    if (!due.length) {
      // Nothing due (answered, closed, or escalated meanwhile): move the index entry on.
      await transact([ladderItem(record)]);
      return 0;
    }
    const events: StoredEvent[] = due.map(({ ladder, step }, i) => ({
      seq: record.changeSeq + i + 1,
      type: 'escalated',
      at,
      organisationId: 'hub',
      clientId: 'bed-ladder-sweep',
      role: 'system',
      system: true,
      data: escalationData(ladder, step),
      subject: subjectOf(record),
    }));
    const next = {
      ...record,
      changeSeq: record.changeSeq + due.length,
      updatedAt: at,
      lastEvent: { type: 'escalated', at },
      // Counted with the escalations people raise (DOMAIN §7: no-bed escalations).
      escalations: [...(record.escalations ?? []), ...due.map(() => 'no-bed')],
      bedLadders: (record.bedLadders ?? []).map((l) => {
        const steps = due.filter((d) => d.ladder.bedRequestId === l.bedRequestId).map((d) => d.step.step);
        return steps.length ? { ...l, escalated: [...l.escalated, ...steps] } : l;
      }),
    };
    try {
      await transact([
        ...changeItems(next, record.changeSeq, events, personKey),
        ...due.map(({ ladder, step }) => ({
          item: {
            Put: {
              TableName: tableName('hub'),
              Item: { ...referralKeys.ladderStep(id, ladderMarkerKey(ladder.bedRequestId, step.step)), at },
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': PK },
            },
          },
          onConditionFailed: () => new AlreadyEscalated(),
        })),
      ]);
      return due.length;
    } catch (error) {
      if (!(error instanceof StaleChangeSeq) && !(error instanceof AlreadyEscalated)) throw error;
      // Someone else wrote meanwhile (another sweep, a person, a bed manager): read again.
    }
  }
  return 0;
}

export async function sweepLadders(now: Date): Promise<{ referrals: number; events: number }> {
  const ids = await dueLadderReferralIds(now.toISOString(), MAX_PER_RUN);
  let events = 0;
  for (const id of ids) {
    try {
      events += await sweepLadder(id, now);
    } catch (error) {
      // One referral's failure must not stop the others' escalations.
      logger.error('bed ladder sweep failed for a referral', { referralId: id, errorName: (error as Error).name });
    }
  }
  return { referrals: ids.length, events };
}

export const handler = async (_event: ScheduledEvent) => {
  const result = await sweepLadders(clock.now());
  if (result.events) logger.info('bed ladder sweep', result);
  return result;
};
