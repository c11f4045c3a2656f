/**
 * Webhook deliveries: the reads (one delivery, the due ones, a subscriber's, a service's) and the
 * view the API shows. Every read names its channel (default `feedback`), which names its table.
 */
import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { HUB_INDEXES, PK, SK } from './tables.js';
import { ReadIncomplete } from '../domain/errors.js';
import type { FeedbackMessage } from '../domain/feedback.js';
import type { AlertMessage } from '../../events/schemas/alert-message.js';
import { ddb, tableName } from './client.js';
import {
  deliveryIdOf,
  deliveryKey,
  deliveryTable,
  DUE_SHARDS,
  parseDeliveryId,
  servicePartition,
  stripDelivery as strip,
  type Delivery,
  type DeliveryChannel,
  type DeliveryStatus,
} from './delivery-keys.js';

const table = (channel: DeliveryChannel) => tableName(deliveryTable(channel));

export async function getDelivery(
  deliveryId: string,
  channel: DeliveryChannel = 'feedback',
): Promise<Delivery | undefined> {
  const parsed = parseDeliveryId(deliveryId);
  if (!parsed) return undefined;
  const out = await ddb().send(
    new GetCommand({
      TableName: table(channel),
      Key: deliveryKey(parsed.subscriptionId, parsed.referralId, parsed.seq),
      ConsistentRead: true,
    }),
  );
  return out.Item ? strip(out.Item) : undefined;
}

export async function dueDeliveryKeys(
  now: Date,
  limitPerShard = 100,
  channel: DeliveryChannel = 'feedback',
): Promise<{ subscriptionId: string; referralId: string; seq: number; dueSk: string }[]> {
  const to = `${now.toISOString()}#~`;
  const shards = await Promise.all(
    Array.from({ length: DUE_SHARDS }, (_, shard) =>
      ddb().send(
        new QueryCommand({
          TableName: table(channel),
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
      return [
        {
          subscriptionId: pk.slice('SUBSCRIPTION#'.length),
          referralId: m[1]!,
          seq: Number(m[2]),
          dueSk: String(item[HUB_INDEXES.due.sortKey.name]),
        },
      ];
    })
    .sort((a, b) => (a.dueSk < b.dueSk ? -1 : a.dueSk > b.dueSk ? 1 : 0));
}

export async function getDeliveries(
  keys: readonly { subscriptionId: string; referralId: string; seq: number }[],
  channel: DeliveryChannel = 'feedback',
): Promise<Delivery[]> {
  const out: Delivery[] = [];
  const name = table(channel);
  for (let i = 0; i < keys.length; i += 100) {
    let batch: Record<string, unknown>[] = keys
      .slice(i, i + 100)
      .map((k) => deliveryKey(k.subscriptionId, k.referralId, k.seq));
    for (let attempt = 0; batch.length && attempt < 5; attempt++) {
      const res = await ddb().send(
        new BatchGetCommand({ RequestItems: { [name]: { Keys: batch, ConsistentRead: true } } }),
      );
      out.push(...(res.Responses?.[name] ?? []).map(strip));
      batch = (res.UnprocessedKeys?.[name]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
    if (batch.length) throw new ReadIncomplete('Could not read every delivery; try again.');
  }
  const order = new Map(keys.map((k, i) => [deliveryIdOf(k.subscriptionId, k.referralId, k.seq), i]));
  return out.sort((a, b) => order.get(a.deliveryId)! - order.get(b.deliveryId)!);
}

export interface DeliveryPageResult {
  items: Delivery[];
  lastKey: Record<string, unknown> | undefined;
}

/** One subscription's deliveries, by referral then event order; `status` filters the page. */
export async function listSubscriptionDeliveries(
  subscriptionId: string,
  status: DeliveryStatus | undefined,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<DeliveryPageResult> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: tableName('hub'),
      KeyConditionExpression: '#p = :p AND begins_with(#s, :d)',
      ...(status ? { FilterExpression: '#status = :status' } : {}),
      ExpressionAttributeNames: { '#p': PK, '#s': SK, ...(status ? { '#status': 'status' } : {}) },
      ExpressionAttributeValues: {
        ':p': `SUBSCRIPTION#${subscriptionId}`,
        ':d': 'DELIVERY#',
        ...(status ? { ':status': status } : {}),
      },
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
  channel: DeliveryChannel = 'feedback',
): Promise<DeliveryPageResult> {
  const { status, referralId } = filter;
  const out = await ddb().send(
    new QueryCommand({
      TableName: table(channel),
      KeyConditionExpression: referralId ? '#p = :p AND begins_with(#s, :r)' : '#p = :p',
      ...(status ? { FilterExpression: '#status = :status' } : {}),
      ExpressionAttributeNames: {
        '#p': PK,
        ...(referralId ? { '#s': SK } : {}),
        ...(status ? { '#status': 'status' } : {}),
      },
      ExpressionAttributeValues: {
        ':p': servicePartition(serviceId, channel),
        ...(referralId ? { ':r': `${referralId}#` } : {}),
        ...(status ? { ':status': status } : {}),
      },
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    }),
  );
  const pointers = (out.Items ?? []).map((i) => ({
    subscriptionId: String(i.subscriptionId),
    referralId: String(i.referralId),
    seq: Number(i.seq),
  }));
  const items = await getDeliveries(pointers, channel);
  // The pointer may be a moment behind; the delivery itself is the truth.
  return { items: status ? items.filter((d) => d.status === status) : items, lastKey: out.LastEvaluatedKey };
}

/** How a delivery is getting on, as every delivery view shows it (feedback and alert channels alike). */
export function deliveryProgress(d: Delivery) {
  return {
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
  };
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
    ...deliveryProgress(d),
    message: JSON.parse(d.body) as FeedbackMessage | AlertMessage,
  };
}
