/**
 * What a webhook delivery is and where it lives (shared by the writes in delivery-repository.ts
 * and the reads in delivery-queries.ts). Two channels share the one machinery (signing,
 * retries, parking, replay):
 * - `feedback` (DOMAIN §6): messages to referrers, in `hub`;
 * - `alerts` (DOMAIN §9): messages to an AMHP service's alert channel, in `safety` (no stream,
 *   no Kinesis destination: a safety alert says where an AMHP is). An alert takes the
 *   referral's place in the keys (`referralId` holds the alert id) and `seq` is its repeat.
 *
 * Keys, per channel's table:
 * - the delivery: `SUBSCRIPTION#<subscriptionId>` / `DELIVERY#<referralId>#<seq 8 digits>`;
 * - the service's pointer: `DELIVERIES#SERVICE#<id>` (alerts: `ALERT-DELIVERIES#SERVICE#<id>`)
 *   / `<referralId>#<seq>#<subscriptionId>` with the status;
 * - while pending, the sparse `due` index keys (`DUE#<shard>`, next attempt time first).
 */
import { createHash } from 'node:crypto';
import { HUB_INDEXES, PK, SK, TTL_ATTRIBUTE } from './tables.js';
import type { FeedbackEventType } from '../domain/feedback.js';
import type { AlertKind } from '../../events/schemas/alert-message.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'parked' | 'cancelled';
export type DeliveryChannel = 'feedback' | 'alerts';

export interface AttemptRecord {
  at: string;
  result: string;
  statusCode?: number;
  durationMs: number;
}

export interface Delivery {
  deliveryId: string;
  /** Absent on feedback deliveries (stored before alerts existed); `alerts` on the alert channel's. */
  channel?: 'alerts';
  subscriptionId: string;
  /** The subscriber (the referring organisation; for alerts the AMHP service itself). */
  organisationId: string;
  /** The AMHP service whose duty the feedback is. */
  serviceId: string;
  /** The referral (feedback) or the alert (alerts). */
  referralId: string;
  reference: string;
  /** The referral's change sequence (feedback) or the alert's repeat number (alerts). */
  seq: number;
  eventType: FeedbackEventType | AlertKind;
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
export const ATTEMPT_LOG_LIMIT = 20;
/** Settled deliveries (and their bodies) expire; parked ones stay until someone acts. */
export const SETTLED_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export const channelOf = (d: Pick<Delivery, 'channel'>): DeliveryChannel => d.channel ?? 'feedback';
/** The table a channel's deliveries live in. */
export const deliveryTable = (channel: DeliveryChannel): 'hub' | 'safety' => (channel === 'alerts' ? 'safety' : 'hub');

const seq8 = (seq: number) => String(seq).padStart(8, '0');
export const deliveryIdOf = (subscriptionId: string, referralId: string, seq: number) =>
  `${subscriptionId}_${referralId}_${seq}`;
export function parseDeliveryId(id: string): { subscriptionId: string; referralId: string; seq: number } | undefined {
  const [subscriptionId, referralId, seq, ...rest] = id.split('_');
  if (!subscriptionId || !referralId || !seq || rest.length || !/^[1-9]\d{0,7}$/.test(seq)) return undefined;
  return { subscriptionId, referralId, seq: Number(seq) };
}

export const deliveryKey = (subscriptionId: string, referralId: string, seq: number) => ({
  [PK]: `SUBSCRIPTION#${subscriptionId}`,
  [SK]: `DELIVERY#${referralId}#${seq8(seq)}`,
});
export const servicePartition = (serviceId: string, channel: DeliveryChannel = 'feedback') =>
  channel === 'alerts' ? `ALERT-DELIVERIES#SERVICE#${serviceId}` : `DELIVERIES#SERVICE#${serviceId}`;
export const pointerKey = (d: Pick<Delivery, 'serviceId' | 'referralId' | 'seq' | 'subscriptionId' | 'channel'>) => ({
  [PK]: servicePartition(d.serviceId, channelOf(d)),
  [SK]: `${d.referralId}#${seq8(d.seq)}#${d.subscriptionId}`,
});

// The `safety` table's `due` index has the same attribute names as `hub`'s (shared/data/tables.ts).
const dueShard = (deliveryId: string) => createHash('sha256').update(deliveryId).digest()[0]! % DUE_SHARDS;
export const dueKeys = (deliveryId: string, at: string) => ({
  [HUB_INDEXES.due.partitionKey.name]: `DUE#${dueShard(deliveryId)}`,
  [HUB_INDEXES.due.sortKey.name]: `${at}#${deliveryId}`,
});

export const stripDelivery = (item: Record<string, unknown>): Delivery => {
  const { [PK]: _p, [SK]: _s, duePk: _dp, dueSk: _ds, [TTL_ATTRIBUTE]: _t, ...rest } = item;
  return rest as unknown as Delivery;
};
