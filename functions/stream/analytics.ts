/**
 * The analytics feed (Kinesis Data Streams for DynamoDB): referral state changes become
 * de-identified facts and roll-up counters in `analytics`; bed-unit snapshots become capacity
 * counters. Records may repeat or arrive out of order: facts are guarded by the referral's
 * `changeSeq`, capacity counts by a marker per snapshot. Nothing identifiable is written or
 * logged: the fact is built by the pure de-identification module before anything is stored.
 */
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { secretKey } from '../../shared/config.js';
import { addCapacityOnce, applyFact, FactMovedOn, getFact } from '../../shared/data/analytics-repository.js';
import { exportFact } from '../../shared/data/fact-export.js';
import { demandFactOf, rollupDelta, type ReferralLike } from '../../shared/deidentify/facts.js';
import { londonDate } from '../../shared/domain/london-time.js';
import { serviceCalendar } from '../../shared/data/calendar-repository.js';
import { logger } from '../../shared/logger.js';
import { PK, SK } from '../../shared/data/tables.js';
import type { Image, KinesisChangeRecord } from '../../events/schemas/stream-records.js';
import { unpackState } from '../../shared/data/referral-item-codec.js';

/** The part of the Kinesis change record (events/schemas/stream-records.ts) this consumer reads. */
type ChangeRecord = Pick<KinesisChangeRecord, 'eventName'> & {
  dynamodb: Pick<KinesisChangeRecord['dynamodb'], 'Keys' | 'NewImage' | 'OldImage'>;
};
const image = (i: Image): Record<string, AttributeValue> => i as Record<string, AttributeValue>;

const STALE_GAP_MS = 4 * 3_600_000;

async function onReferral(image: Record<string, unknown>): Promise<void> {
  const key = await secretKey('pseudonymisationKey');
  // In hours or out of hours by the service's own calendar (DOMAIN §7).
  const calendar = await serviceCalendar(image.serviceId as string | undefined);
  for (let attempt = 0; attempt < 5; attempt++) {
    const draft = demandFactOf(image as unknown as ReferralLike, { pseudonymisation: key }, calendar);
    const previous = await getFact(draft.dims.lssa, draft.receivedDay, draft.factKey);
    // A repeat, or a record older than what is stored: nothing to do.
    if (previous && previous.changeSeq >= draft.changeSeq) return;
    const next = previous
      ? demandFactOf(image as unknown as ReferralLike, { pseudonymisation: key }, calendar, previous)
      : draft;
    try {
      await applyFact(previous, next, rollupDelta(previous, next));
      await exportFact(next);
      return;
    } catch (error) {
      if (!(error instanceof FactMovedOn)) throw error;
    }
  }
  throw new FactMovedOn();
}

/** A unit's figures moved forward: count the snapshot once, by unit and asOf. */
async function onBedUnit(next: Record<string, unknown>, previous: Record<string, unknown> | undefined): Promise<void> {
  const asOf = next.asOf as string | null | undefined;
  if (!asOf || asOf === previous?.asOf) return;
  const day = londonDate(new Date(asOf));
  const delta: Record<string, number> = { 'g|all': 1 };
  const before = previous?.asOf as string | null | undefined;
  if (before && Date.parse(asOf) - Date.parse(before) > STALE_GAP_MS) delta['g|stale'] = 1;
  for (const row of (next.beds as { bedType: string; available: number; total: number }[] | undefined) ?? []) {
    delta[`a|${row.bedType}`] = (delta[`a|${row.bedType}`] ?? 0) + row.available;
    delta[`t|${row.bedType}`] = (delta[`t|${row.bedType}`] ?? 0) + row.total;
    delta[`s|${row.bedType}`] = (delta[`s|${row.bedType}`] ?? 0) + 1;
  }
  await addCapacityOnce(String(next.unitId), asOf, day, delta);
}

export async function handleChange(change: ChangeRecord): Promise<void> {
  const pk = change.dynamodb.Keys[PK]?.S ?? '';
  const sk = change.dynamodb.Keys[SK]?.S ?? '';
  if (change.eventName === 'REMOVE' || !change.dynamodb.NewImage || sk !== 'STATE') return;
  const next = unmarshall(image(change.dynamodb.NewImage));
  // A referral's state keeps most of its fields compressed (shared/data/referral-item-codec.ts).
  if (pk.startsWith('REFERRAL#')) return onReferral(unpackState(next));
  if (pk.startsWith('BEDUNIT#'))
    return onBedUnit(next, change.dynamodb.OldImage ? unmarshall(image(change.dynamodb.OldImage)) : undefined);
}

export const handler = async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
  for (const record of event.Records) {
    try {
      const change = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) as ChangeRecord;
      await handleChange(change);
    } catch (error) {
      // Ids and names only: the record holds identifiable data.
      logger.error('analytics record failed', {
        sequenceNumber: record.kinesis.sequenceNumber,
        errorName: (error as Error).name,
      });
      // Lambda retries from the first failure; later records in the batch come again then.
      return { batchItemFailures: [{ itemIdentifier: record.kinesis.sequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
};
