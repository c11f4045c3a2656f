/**
 * Webhook deliveries: the writes (what a delivery is and its keys: delivery-keys.ts; the
 * reads: delivery-queries.ts, both re-exported here). One item per (event × subscription),
 * keyed by both, so a stream record handled twice (a retried batch, a crashed consumer, two
 * readers) creates it once (`attribute_not_exists`). Feedback deliveries live in `hub`, alert
 * deliveries in `safety` (delivery-keys.ts `deliveryTable`); everything else is the same.
 *
 * An attempt is claimed first (a short lease, conditional on the state read), so two workers
 * never post the same message at once; the result is then written conditional on that lease.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { HUB_INDEXES, PK, TTL_ATTRIBUTE } from './tables.js';
import { RETRY_WINDOW_MS } from '../domain/feedback.js';
import { ddb, tableName } from './client.js';
import { transact, type WriteItem } from './transact.js';
import {
  ATTEMPT_LOG_LIMIT,
  channelOf,
  deliveryIdOf,
  deliveryKey,
  deliveryTable,
  dueKeys,
  pointerKey,
  SETTLED_RETENTION_MS,
  stripDelivery as strip,
  type AttemptRecord,
  type Delivery,
  type DeliveryStatus,
} from './delivery-keys.js';

export * from './delivery-keys.js';
export * from './delivery-queries.js';

const isConditionFailure = (error: unknown) => (error as { name?: string }).name === 'ConditionalCheckFailedException';
const tableOf = (d: Pick<Delivery, 'channel'>) => tableName(deliveryTable(channelOf(d)));

export class DeliveryExists extends Error {
  override name = 'DeliveryExists';
}
export class DeliveryChanged extends Error {
  override name = 'DeliveryChanged';
}

/** What the consumer knows of a delivery before it is stored. */
export type NewDelivery = Pick<
  Delivery,
  | 'subscriptionId'
  | 'organisationId'
  | 'serviceId'
  | 'referralId'
  | 'reference'
  | 'seq'
  | 'eventType'
  | 'messageId'
  | 'body'
  | 'format'
  | 'correlationId'
> &
  Pick<Delivery, 'channel'>;

/** A new pending delivery, due now. */
export function newDelivery(input: NewDelivery, now: Date): Delivery {
  const at = now.toISOString();
  return {
    ...input,
    deliveryId: deliveryIdOf(input.subscriptionId, input.referralId, input.seq),
    status: 'pending',
    attempts: 0,
    replays: 0,
    attemptLog: [],
    createdAt: at,
    windowEndsAt: new Date(now.getTime() + RETRY_WINDOW_MS).toISOString(),
    nextAttemptAt: at,
  };
}

/** The delivery and its service pointer, each only if absent: for a caller's own transaction. */
export function deliveryCreateItems(d: Delivery): WriteItem[] {
  const exists = () => new DeliveryExists();
  return [
    {
      item: {
        Put: {
          TableName: tableOf(d),
          Item: {
            ...deliveryKey(d.subscriptionId, d.referralId, d.seq),
            ...d,
            ...dueKeys(d.deliveryId, d.nextAttemptAt!),
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        },
      },
      onConditionFailed: exists,
    },
    {
      item: {
        Put: {
          TableName: tableOf(d),
          Item: {
            ...pointerKey(d),
            deliveryId: d.deliveryId,
            subscriptionId: d.subscriptionId,
            referralId: d.referralId,
            seq: d.seq,
            status: d.status,
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        },
      },
      onConditionFailed: exists,
    },
  ];
}

/** Creates the delivery and its service pointer; `false` when it already exists. */
export async function createDelivery(d: Delivery): Promise<boolean> {
  try {
    await transact(deliveryCreateItems(d));
    return true;
  } catch (error) {
    if (error instanceof DeliveryExists) return false;
    throw error;
  }
}

/**
 * Takes the right to make the next attempt, if the delivery is still as read (pending, same
 * number of attempts) and nobody else holds an unexpired lease.
 */
export async function claimDelivery(d: Delivery, now: Date, leaseMs: number): Promise<Delivery | undefined> {
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  try {
    const out = await ddb().send(
      new UpdateCommand({
        TableName: tableOf(d),
        Key: deliveryKey(d.subscriptionId, d.referralId, d.seq),
        UpdateExpression: 'SET leaseUntil = :lease',
        ConditionExpression:
          '#status = :pending AND attempts = :attempts AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':lease': leaseUntil,
          ':pending': 'pending',
          ':attempts': d.attempts,
          ':now': now.toISOString(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes ? strip(out.Attributes) : undefined;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

export type AttemptResolution =
  | { kind: 'delivered' }
  | { kind: 'retry'; at: Date }
  | { kind: 'park' }
  | { kind: 'cancel' };

interface Patch {
  set: Record<string, unknown>;
  remove: string[];
}

/** The new state after a claimed attempt. */
export function resolveAttempt(
  d: Delivery,
  attempt: AttemptRecord | undefined,
  resolution: AttemptResolution,
  now: Date,
): { next: Delivery; patch: Patch } {
  const at = now.toISOString();
  const set: Record<string, unknown> = {};
  const remove = ['leaseUntil'];
  if (attempt) {
    set.attempts = d.attempts + 1;
    set.attemptLog = [...d.attemptLog, attempt].slice(-ATTEMPT_LOG_LIMIT);
  }
  const settled = () => {
    remove.push('nextAttemptAt', HUB_INDEXES.due.partitionKey.name, HUB_INDEXES.due.sortKey.name);
  };
  switch (resolution.kind) {
    case 'delivered':
      Object.assign(set, {
        status: 'delivered',
        deliveredAt: at,
        [TTL_ATTRIBUTE]: Math.ceil((now.getTime() + SETTLED_RETENTION_MS) / 1000),
      });
      settled();
      break;
    case 'park':
      Object.assign(set, { status: 'parked', parkedAt: at });
      settled();
      break;
    case 'cancel':
      Object.assign(set, {
        status: 'cancelled',
        cancelledAt: at,
        [TTL_ATTRIBUTE]: Math.ceil((now.getTime() + SETTLED_RETENTION_MS) / 1000),
      });
      settled();
      break;
    case 'retry': {
      const next = resolution.at.toISOString();
      Object.assign(set, { nextAttemptAt: next, ...dueKeys(d.deliveryId, next) });
      break;
    }
  }
  const next = { ...d, ...set } as Delivery & Record<string, unknown>;
  for (const name of remove) delete next[name];
  return { next: strip(next), patch: { set, remove } };
}

const updateItem = (
  table: string,
  key: Record<string, unknown>,
  patch: Patch,
  condition: string,
  names: Record<string, string>,
  values: Record<string, unknown>,
) => {
  const allNames: Record<string, string> = { ...names };
  const allValues: Record<string, unknown> = { ...values };
  const sets = Object.entries(patch.set).map(([k, v], i) => {
    allNames[`#s${i}`] = k;
    allValues[`:s${i}`] = v;
    return `#s${i} = :s${i}`;
  });
  const removes = patch.remove.map((k, i) => {
    allNames[`#r${i}`] = k;
    return `#r${i}`;
  });
  return {
    Update: {
      TableName: table,
      Key: key,
      UpdateExpression: [
        sets.length ? `SET ${sets.join(', ')}` : '',
        removes.length ? `REMOVE ${removes.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      ConditionExpression: condition,
      ExpressionAttributeNames: allNames,
      ExpressionAttributeValues: allValues,
    },
  };
};

const pointerStatus = (d: Delivery, status: DeliveryStatus): WriteItem => ({
  item: {
    Update: {
      TableName: tableOf(d),
      Key: pointerKey(d),
      UpdateExpression: 'SET #status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
    },
  },
});

/** Writes an attempt's result, only while this worker's lease is the one on the item. */
export async function recordAttempt(
  claimed: Delivery,
  attempt: AttemptRecord | undefined,
  resolution: AttemptResolution,
  now: Date,
): Promise<Delivery> {
  const { next, patch } = resolveAttempt(claimed, attempt, resolution, now);
  const items: WriteItem[] = [
    {
      item: updateItem(
        tableOf(claimed),
        deliveryKey(claimed.subscriptionId, claimed.referralId, claimed.seq),
        patch,
        'leaseUntil = :mine',
        {},
        { ':mine': claimed.leaseUntil },
      ),
      onConditionFailed: () => new DeliveryChanged(),
    },
  ];
  if (next.status !== claimed.status) items.push(pointerStatus(claimed, next.status));
  await transact(items);
  return next;
}

/**
 * A replay (subscriber or service): pending again, due now, with a new 24-hour window. Only a
 * parked or delivered message can be replayed; the write is conditional on the status read.
 */
export function replayItems(d: Delivery, now: Date, conflict: () => Error): { next: Delivery; items: WriteItem[] } {
  const at = now.toISOString();
  const set: Record<string, unknown> = {
    status: 'pending',
    replays: d.replays + 1,
    windowEndsAt: new Date(now.getTime() + RETRY_WINDOW_MS).toISOString(),
    nextAttemptAt: at,
    ...dueKeys(d.deliveryId, at),
  };
  const remove = ['parkedAt', 'deliveredAt', 'leaseUntil', TTL_ATTRIBUTE];
  const next = { ...d, ...set } as Delivery & Record<string, unknown>;
  for (const name of remove) delete next[name];
  return {
    next: strip(next),
    items: [
      {
        item: updateItem(
          tableOf(d),
          deliveryKey(d.subscriptionId, d.referralId, d.seq),
          { set, remove },
          '#st = :was AND replays = :replays',
          { '#st': 'status' },
          { ':was': d.status, ':replays': d.replays },
        ),
        onConditionFailed: conflict,
      },
      pointerStatus(d, 'pending'),
    ],
  };
}

/** Keys of deliveries whose next attempt is due by `now`, earliest first per shard. */
