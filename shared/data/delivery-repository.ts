/**
 * Webhook deliveries in `hub`: one item per (referral event × subscription), keyed by both, so
 * a stream record handled twice (a retried batch, a crashed consumer, two readers) creates it
 * once (`attribute_not_exists`).
 *
 * - the delivery: `SUBSCRIPTION#<subscriptionId>` / `DELIVERY#<referralId>#<seq 8 digits>`,
 *   the subscriber's list is one Query of that partition;
 * - a pointer for the AMHP service whose duty the feedback is:
 *   `DELIVERIES#SERVICE#<serviceId>` / `<referralId>#<seq>#<subscriptionId>` with the status,
 *   so the service lists its referrals' deliveries (by status) without a table scan;
 * - while pending, the delivery carries the sparse `due` index keys (`DUE#<shard>`, next attempt
 *   time first), which the minute sweep reads.
 *
 * An attempt is claimed first (a short lease, conditional on the state read), so two workers
 * never post the same message at once; the result is then written conditional on that lease.
 */
import { BatchGetCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { HUB_INDEXES, PK, SK, TTL_ATTRIBUTE } from './tables.js';
import { HttpProblem } from '../http/problem.js';
import { RETRY_WINDOW_MS, type FeedbackEventType, type FeedbackMessage } from '../domain/feedback.js';
import { ddb, tableName } from './client.js';
import { transact, type WriteItem } from './transact.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'parked' | 'cancelled';

export interface AttemptRecord {
  at: string;
  result: string;
  statusCode?: number;
  durationMs: number;
}

export interface Delivery {
  deliveryId: string;
  subscriptionId: string;
  /** The subscriber (the referring organisation). */
  organisationId: string;
  /** The AMHP service whose duty the feedback is. */
  serviceId: string;
  referralId: string;
  reference: string;
  seq: number;
  eventType: FeedbackEventType;
  messageId: string;
  /** The exact bytes sent on every attempt (the signature covers them). */
  body: string;
  /** A FHIR message (application/fhir+json), sent with the referral's X-Correlation-ID. */
  format?: 'fhir';
  correlationId?: string;
  status: DeliveryStatus;
  attempts: number;
  replays: number;
  attemptLog: AttemptRecord[];
  createdAt: string;
  /** Retries stop (and the delivery is parked) after this; a replay opens a new window. */
  windowEndsAt: string;
  nextAttemptAt?: string;
  deliveredAt?: string;
  parkedAt?: string;
  cancelledAt?: string;
  leaseUntil?: string;
}

export const DUE_SHARDS = 4;
const ATTEMPT_LOG_LIMIT = 20;
/** Settled deliveries (and their bodies) expire; parked ones stay until someone acts. */
export const SETTLED_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

const seq8 = (seq: number) => String(seq).padStart(8, '0');
export const deliveryIdOf = (subscriptionId: string, referralId: string, seq: number) => `${subscriptionId}_${referralId}_${seq}`;
export function parseDeliveryId(id: string): { subscriptionId: string; referralId: string; seq: number } | undefined {
  const [subscriptionId, referralId, seq, ...rest] = id.split('_');
  if (!subscriptionId || !referralId || !seq || rest.length || !/^[1-9]\d{0,7}$/.test(seq)) return undefined;
  return { subscriptionId, referralId, seq: Number(seq) };
}

export const deliveryKey = (subscriptionId: string, referralId: string, seq: number) => ({ [PK]: `SUBSCRIPTION#${subscriptionId}`, [SK]: `DELIVERY#${referralId}#${seq8(seq)}` });
export const servicePartition = (serviceId: string) => `DELIVERIES#SERVICE#${serviceId}`;
const pointerKey = (d: Pick<Delivery, 'serviceId' | 'referralId' | 'seq' | 'subscriptionId'>) => ({ [PK]: servicePartition(d.serviceId), [SK]: `${d.referralId}#${seq8(d.seq)}#${d.subscriptionId}` });

const dueShard = (deliveryId: string) => createHash('sha256').update(deliveryId).digest()[0]! % DUE_SHARDS;
const dueKeys = (deliveryId: string, at: string) => ({ [HUB_INDEXES.due.partitionKey.name]: `DUE#${dueShard(deliveryId)}`, [HUB_INDEXES.due.sortKey.name]: `${at}#${deliveryId}` });

const strip = (item: Record<string, unknown>): Delivery => {
  const { [PK]: _p, [SK]: _s, duePk: _dp, dueSk: _ds, [TTL_ATTRIBUTE]: _t, ...rest } = item;
  return rest as unknown as Delivery;
};

export class DeliveryExists extends Error {
  override name = 'DeliveryExists';
}
export class DeliveryChanged extends Error {
  override name = 'DeliveryChanged';
}

/** What the consumer knows of a delivery before it is stored. */
export type NewDelivery = Pick<Delivery, 'subscriptionId' | 'organisationId' | 'serviceId' | 'referralId' | 'reference' | 'seq' | 'eventType' | 'messageId' | 'body' | 'format' | 'correlationId'>;

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

/** Creates the delivery and its service pointer; `false` when it already exists. */
export async function createDelivery(d: Delivery): Promise<boolean> {
  const exists = () => new DeliveryExists();
  try {
    await transact([
      {
        item: {
          Put: {
            TableName: tableName('hub'),
            Item: { ...deliveryKey(d.subscriptionId, d.referralId, d.seq), ...d, ...dueKeys(d.deliveryId, d.nextAttemptAt!) },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': PK },
          },
        },
        onConditionFailed: exists,
      },
      {
        item: {
          Put: {
            TableName: tableName('hub'),
            Item: { ...pointerKey(d), deliveryId: d.deliveryId, subscriptionId: d.subscriptionId, referralId: d.referralId, seq: d.seq, status: d.status },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': PK },
          },
        },
        onConditionFailed: exists,
      },
    ]);
    return true;
  } catch (error) {
    if (error instanceof DeliveryExists) return false;
    throw error;
  }
}

export async function getDelivery(deliveryId: string): Promise<Delivery | undefined> {
  const parsed = parseDeliveryId(deliveryId);
  if (!parsed) return undefined;
  const out = await ddb().send(
    new GetCommand({ TableName: tableName('hub'), Key: deliveryKey(parsed.subscriptionId, parsed.referralId, parsed.seq), ConsistentRead: true }),
  );
  return out.Item ? strip(out.Item) : undefined;
}

const isConditionFailure = (error: unknown) => (error as { name?: string }).name === 'ConditionalCheckFailedException';

/**
 * Takes the right to make the next attempt, if the delivery is still as read (pending, same
 * number of attempts) and nobody else holds an unexpired lease.
 */
export async function claimDelivery(d: Delivery, now: Date, leaseMs: number): Promise<Delivery | undefined> {
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  try {
    const out = await ddb().send(
      new UpdateCommand({
        TableName: tableName('hub'),
        Key: deliveryKey(d.subscriptionId, d.referralId, d.seq),
        UpdateExpression: 'SET leaseUntil = :lease',
        ConditionExpression: '#status = :pending AND attempts = :attempts AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':lease': leaseUntil, ':pending': 'pending', ':attempts': d.attempts, ':now': now.toISOString() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes ? strip(out.Attributes) : undefined;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

export type AttemptResolution = { kind: 'delivered' } | { kind: 'retry'; at: Date } | { kind: 'park' } | { kind: 'cancel' };

interface Patch {
  set: Record<string, unknown>;
  remove: string[];
}

/** The new state after a claimed attempt. */
export function resolveAttempt(d: Delivery, attempt: AttemptRecord | undefined, resolution: AttemptResolution, now: Date): { next: Delivery; patch: Patch } {
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
      Object.assign(set, { status: 'delivered', deliveredAt: at, [TTL_ATTRIBUTE]: Math.ceil((now.getTime() + SETTLED_RETENTION_MS) / 1000) });
      settled();
      break;
    case 'park':
      Object.assign(set, { status: 'parked', parkedAt: at });
      settled();
      break;
    case 'cancel':
      Object.assign(set, { status: 'cancelled', cancelledAt: at, [TTL_ATTRIBUTE]: Math.ceil((now.getTime() + SETTLED_RETENTION_MS) / 1000) });
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

const updateItem = (key: Record<string, unknown>, patch: Patch, condition: string, names: Record<string, string>, values: Record<string, unknown>) => {
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
      TableName: tableName('hub'),
      Key: key,
      UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' '),
      ConditionExpression: condition,
      ExpressionAttributeNames: allNames,
      ExpressionAttributeValues: allValues,
    },
  };
};

const pointerStatus = (d: Delivery, status: DeliveryStatus): WriteItem => ({
  item: {
    Update: {
      TableName: tableName('hub'),
      Key: pointerKey(d),
      UpdateExpression: 'SET #status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
    },
  },
});

/** Writes an attempt's result, only while this worker's lease is the one on the item. */
export async function recordAttempt(claimed: Delivery, attempt: AttemptRecord | undefined, resolution: AttemptResolution, now: Date): Promise<Delivery> {
  const { next, patch } = resolveAttempt(claimed, attempt, resolution, now);
  const items: WriteItem[] = [
    {
      item: updateItem(deliveryKey(claimed.subscriptionId, claimed.referralId, claimed.seq), patch, 'leaseUntil = :mine', {}, { ':mine': claimed.leaseUntil }),
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
        item: updateItem(deliveryKey(d.subscriptionId, d.referralId, d.seq), { set, remove }, '#st = :was AND replays = :replays', { '#st': 'status' }, { ':was': d.status, ':replays': d.replays }),
        onConditionFailed: conflict,
      },
      pointerStatus(d, 'pending'),
    ],
  };
}

/** Keys of deliveries whose next attempt is due by `now`, earliest first per shard. */
export async function dueDeliveryKeys(now: Date, limitPerShard = 100): Promise<{ subscriptionId: string; referralId: string; seq: number; dueSk: string }[]> {
  const to = `${now.toISOString()}#~`;
  const shards = await Promise.all(
    Array.from({ length: DUE_SHARDS }, (_, shard) =>
      ddb().send(
        new QueryCommand({
          TableName: tableName('hub'),
          IndexName: HUB_INDEXES.due.indexName,
          KeyConditionExpression: '#k = :k AND #s <= :to',
          ExpressionAttributeNames: { '#k': HUB_INDEXES.due.partitionKey.name, '#s': HUB_INDEXES.due.sortKey.name },
          ExpressionAttributeValues: { ':k': `DUE#${shard}`, ':to': to },
          Limit: limitPerShard,
        }),
      ),
    ),
  );
  return shards
    .flatMap((out) => out.Items ?? [])
    .flatMap((item) => {
      const pk = String(item[PK]);
      const sk = String(item[SK]);
      const m = /^DELIVERY#([^#]+)#(\d{8})$/.exec(sk);
      if (!pk.startsWith('SUBSCRIPTION#') || !m) return [];
      return [{ subscriptionId: pk.slice('SUBSCRIPTION#'.length), referralId: m[1]!, seq: Number(m[2]), dueSk: String(item[HUB_INDEXES.due.sortKey.name]) }];
    })
    .sort((a, b) => (a.dueSk < b.dueSk ? -1 : a.dueSk > b.dueSk ? 1 : 0));
}

export async function getDeliveries(keys: readonly { subscriptionId: string; referralId: string; seq: number }[]): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let batch: Record<string, unknown>[] = keys.slice(i, i + 100).map((k) => deliveryKey(k.subscriptionId, k.referralId, k.seq));
    for (let attempt = 0; batch.length && attempt < 5; attempt++) {
      const res = await ddb().send(new BatchGetCommand({ RequestItems: { [tableName('hub')]: { Keys: batch, ConsistentRead: true } } }));
      out.push(...(res.Responses?.[tableName('hub')] ?? []).map(strip));
      batch = (res.UnprocessedKeys?.[tableName('hub')]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
    if (batch.length) throw new HttpProblem('unavailable', 'Could not read every delivery; try again.', { headers: { 'Retry-After': '1' } });
  }
  const order = new Map(keys.map((k, i) => [deliveryIdOf(k.subscriptionId, k.referralId, k.seq), i]));
  return out.sort((a, b) => order.get(a.deliveryId)! - order.get(b.deliveryId)!);
}

export interface DeliveryPageResult {
  items: Delivery[];
  lastKey: Record<string, unknown> | undefined;
}

/** One subscription's deliveries, by referral then event order; `status` filters the page. */
export async function listSubscriptionDeliveries(subscriptionId: string, status: DeliveryStatus | undefined, limit: number, startKey?: Record<string, unknown>): Promise<DeliveryPageResult> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: tableName('hub'),
      KeyConditionExpression: '#p = :p AND begins_with(#s, :d)',
      ...(status ? { FilterExpression: '#status = :status' } : {}),
      ExpressionAttributeNames: { '#p': PK, '#s': SK, ...(status ? { '#status': 'status' } : {}) },
      ExpressionAttributeValues: { ':p': `SUBSCRIPTION#${subscriptionId}`, ':d': 'DELIVERY#', ...(status ? { ':status': status } : {}) },
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    }),
  );
  return { items: (out.Items ?? []).map(strip), lastKey: out.LastEvaluatedKey };
}

/** The AMHP service's deliveries (all its referrals, or one), through its pointers. */
export async function listServiceDeliveries(
  serviceId: string,
  filter: { status?: DeliveryStatus | undefined; referralId?: string | undefined },
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<DeliveryPageResult> {
  const { status, referralId } = filter;
  const out = await ddb().send(
    new QueryCommand({
      TableName: tableName('hub'),
      KeyConditionExpression: referralId ? '#p = :p AND begins_with(#s, :r)' : '#p = :p',
      ...(status ? { FilterExpression: '#status = :status' } : {}),
      ExpressionAttributeNames: { '#p': PK, ...(referralId ? { '#s': SK } : {}), ...(status ? { '#status': 'status' } : {}) },
      ExpressionAttributeValues: { ':p': servicePartition(serviceId), ...(referralId ? { ':r': `${referralId}#` } : {}), ...(status ? { ':status': status } : {}) },
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    }),
  );
  const pointers = (out.Items ?? []).map((i) => ({ subscriptionId: String(i.subscriptionId), referralId: String(i.referralId), seq: Number(i.seq) }));
  const items = await getDeliveries(pointers);
  // The pointer may be a moment behind; the delivery itself is the truth.
  return { items: status ? items.filter((d) => d.status === status) : items, lastKey: out.LastEvaluatedKey };
}

export function deliveryView(d: Delivery) {
  return {
    id: d.deliveryId,
    subscriptionId: d.subscriptionId,
    referrerOrganisationId: d.organisationId,
    referralId: d.referralId,
    reference: d.reference,
    event: d.eventType,
    sequence: d.seq,
    messageId: d.messageId,
    status: d.status,
    attempts: d.attempts,
    replays: d.replays,
    createdAt: d.createdAt,
    retryUntil: d.windowEndsAt,
    ...(d.status === 'pending' && d.nextAttemptAt ? { nextAttemptAt: d.nextAttemptAt } : {}),
    ...(d.deliveredAt ? { deliveredAt: d.deliveredAt } : {}),
    ...(d.parkedAt ? { parkedAt: d.parkedAt } : {}),
    ...(d.cancelledAt ? { cancelledAt: d.cancelledAt } : {}),
    attemptLog: d.attemptLog,
    message: JSON.parse(d.body) as FeedbackMessage,
  };
}
