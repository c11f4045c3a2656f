/**
 * The ONE reader of the `hub` table's DynamoDB stream (ARCHITECTURE, data flow). Two things:
 * the AMHP service's alerts of referral events (DOMAIN §9: T−2 h warnings, breaches, unlawful
 * places, ladder escalations; shared/safety/alerts.ts, each once by a marker) and feedback to
 * referrers (DOMAIN §6). For each referral event the referrer must hear
 * about it builds the minimised message from that one record (the event carries its `subject`,
 * so nothing is read back from a state that may have moved on), writes one delivery per active
 * subscription of the referring organisation (conditional on the event × subscription key, so a
 * redelivered record adds nothing), and makes each new delivery's first attempt at once; retries
 * belong to the minute sweep (functions/feedback/deliver.ts).
 *
 * One referral's records are handled in stream order, different referrals in parallel; the
 * earliest record that could not be handled is reported as the batch item failure (Lambda
 * retries from it, and what follows it is handled again, harmlessly). A record that has failed
 * `maxAttempts` times is parked in the table with its full change (shared/data/parking-repository.ts,
 * which the local poller parks through too) and the consumer moves on.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { PK, SK } from '../../shared/data/tables.js';
import { CONSUMERS } from '../consumers.js';
import { countFailure, parkRecord } from '../../shared/data/parking-repository.js';
import { createDelivery, getDelivery, newDelivery, type Delivery } from '../../shared/data/delivery-repository.js';
import { activeSubscriptions, type Subscription } from '../../shared/data/subscription-repository.js';
import {
  buildFeedbackMessage,
  isFeedbackEvent,
  messageIdOf,
  type FeedbackSource,
} from '../../shared/domain/feedback.js';
import { fhirFeedbackMessage } from '../../shared/domain/fhir/feedback.js';
import { logger } from '../../shared/logger.js';
import { clock } from '../../shared/time.js';
import { attemptDelivery, type DeliveryDeps } from '../../shared/feedback/attempt.js';
import { raiseReferralAlerts, type ReferralEventForAlerts } from '../../shared/safety/alerts.js';

export const CONSUMER_ID = 'operational';
const DEFAULT_MAX_ATTEMPTS = 5;
/** First attempts stop after this much wall time per invocation; the sweep does the rest. */
const INLINE_BUDGET_MS = 20_000;

export interface OperationalOptions {
  /** Whether to make first attempts here (default true); false leaves every delivery to the sweep. */
  readonly attemptInline?: boolean;
  readonly deliveryDeps?: Partial<Omit<DeliveryDeps, 'now'>>;
  readonly maxAttempts?: number;
}

interface BatchContext {
  readonly now: Date;
  readonly subscriptions: Map<string, Promise<Subscription[]>>;
  /** Subscriptions whose receiver failed in this batch: no more first attempts at them now. */
  readonly failing: Set<string>;
  readonly deadline: number;
  readonly options: OperationalOptions;
  readonly deliveryDeps: DeliveryDeps;
}

const maxAttemptsOf = (options: OperationalOptions) =>
  options.maxAttempts ?? CONSUMERS.find((c) => c.id === CONSUMER_ID)?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;

/** The stored event in a stream record, when it is one the referrer hears about. */
export function feedbackSourceOf(record: DynamoDBRecord): FeedbackSource | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  const pk = record.dynamodb?.Keys?.[PK]?.S;
  const sk = record.dynamodb?.Keys?.[SK]?.S;
  if (!pk?.startsWith('REFERRAL#') || !sk?.startsWith('EVENT#')) return undefined;
  const image = record.dynamodb?.NewImage;
  if (!image?.type?.S || !isFeedbackEvent(image.type.S)) return undefined;
  const event = unmarshall(image as Record<string, AttributeValue>) as Partial<FeedbackSource>;
  if (typeof event.seq !== 'number' || typeof event.at !== 'string' || !event.subject?.referrerOrganisationId)
    return undefined;
  return { seq: event.seq, type: image.type.S, at: event.at, data: event.data ?? {}, subject: event.subject };
}

/** Any recorded referral event in a stream record (for the AMHP service's alerts, DOMAIN §9). */
export function alertSourceOf(record: DynamoDBRecord): ReferralEventForAlerts | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  const pk = record.dynamodb?.Keys?.[PK]?.S;
  const sk = record.dynamodb?.Keys?.[SK]?.S;
  if (!pk?.startsWith('REFERRAL#') || !sk?.startsWith('EVENT#') || !record.dynamodb?.NewImage) return undefined;
  const event = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>) as Partial<FeedbackSource>;
  if (typeof event.seq !== 'number' || typeof event.type !== 'string' || !event.subject?.serviceId) return undefined;
  return { seq: event.seq, type: event.type, data: event.data ?? {}, subject: event.subject };
}

async function deliveriesFor(source: FeedbackSource, ctx: BatchContext): Promise<Delivery[]> {
  const message = buildFeedbackMessage(source);
  if (!message) return [];
  const org = source.subject.referrerOrganisationId;
  let subs = ctx.subscriptions.get(org);
  if (!subs) {
    subs = activeSubscriptions(org);
    ctx.subscriptions.set(org, subs);
  }
  // A subscription hears of events recorded after it was made, whenever the record is handled.
  const listening = (await subs).filter((s) => s.events.includes(message.data.event) && s.createdAt <= source.at);
  const body = JSON.stringify(message);
  // FHIR subscribers get the same message as a Bundle, built once per record.
  const fhir = listening.some((s) => s.format === 'fhir') ? JSON.stringify(fhirFeedbackMessage(message)) : undefined;
  const correlationId = source.subject.correlationId;
  const fresh: Delivery[] = [];
  for (const s of listening) {
    const delivery = newDelivery(
      {
        subscriptionId: s.id,
        organisationId: org,
        serviceId: source.subject.serviceId,
        referralId: source.subject.referralId,
        reference: source.subject.reference,
        seq: source.seq,
        eventType: message.data.event,
        messageId: messageIdOf(source.subject.referralId, source.seq),
        body: s.format === 'fhir' ? fhir! : body,
        ...(s.format === 'fhir' ? { format: 'fhir' as const, ...(correlationId ? { correlationId } : {}) } : {}),
      },
      ctx.now,
    );
    if (await createDelivery(delivery)) {
      fresh.push(delivery);
    } else {
      // Handled before (a retried batch): only a delivery never yet attempted is tried here.
      const existing = await getDelivery(delivery.deliveryId);
      if (existing?.status === 'pending' && existing.attempts === 0) fresh.push(existing);
    }
  }
  return fresh;
}

async function firstAttempts(deliveries: readonly Delivery[], ctx: BatchContext): Promise<void> {
  if (ctx.options.attemptInline === false) return;
  await Promise.all(
    deliveries.map(async (d) => {
      if (ctx.failing.has(d.subscriptionId) || Date.now() > ctx.deadline) return;
      try {
        const outcome = await attemptDelivery(d, ctx.deliveryDeps);
        if (outcome !== 'delivered' && outcome !== 'skipped') ctx.failing.add(d.subscriptionId);
      } catch (error) {
        // The delivery is stored and due: the sweep will try it. The record itself is done.
        ctx.failing.add(d.subscriptionId);
        logger.warn('first webhook attempt failed', { deliveryId: d.deliveryId, errorName: (error as Error).name });
      }
    }),
  );
}

/** Counts a record's failure; parks it once it has failed `maxAttempts` times. Returns whether it was parked. */
async function noteFailure(record: DynamoDBRecord, error: unknown, maxAttempts: number, now: Date): Promise<boolean> {
  const sequenceNumber = record.dynamodb!.SequenceNumber!;
  const attempts = await countFailure(CONSUMER_ID, sequenceNumber, now);
  if (attempts < maxAttempts) return false;
  await parkRecord({
    consumerId: CONSUMER_ID,
    shape: 'dynamodb-stream',
    sequenceNumber,
    // Lambda does not say which shard; the stream does.
    shardId: 'unknown',
    eventSourceARN: record.eventSourceARN ?? 'unknown',
    eventName: record.eventName ?? 'UNKNOWN',
    keys: unmarshall((record.dynamodb?.Keys ?? {}) as Record<string, AttributeValue>),
    record,
    attempts,
    // The name only: messages can carry identifiable data.
    error: (error as Error)?.name ?? 'Error',
    parkedAt: now,
  });
  logger.error('stream record parked', {
    consumerId: CONSUMER_ID,
    sequenceNumber,
    attempts,
    errorName: (error as Error)?.name,
  });
  return true;
}

/** Referrals handled at once within a batch; one referral's records always in order. */
const PARALLEL_REFERRALS = 10;

export async function handleStream(
  event: DynamoDBStreamEvent,
  options: OperationalOptions = {},
): Promise<DynamoDBBatchResponse> {
  const now = clock.now();
  const ctx: BatchContext = {
    now,
    subscriptions: new Map(),
    failing: new Set(),
    deadline: Date.now() + INLINE_BUDGET_MS,
    options,
    deliveryDeps: { ...options.deliveryDeps, now, subscriptions: new Map() },
  };
  // One lane per item partition (a referral): its records in stream order, lanes in parallel.
  const lanes = new Map<string, { record: DynamoDBRecord; position: number }[]>();
  event.Records.forEach((record, position) => {
    const key = record.dynamodb?.Keys?.[PK]?.S ?? '';
    const lane = lanes.get(key);
    if (lane) lane.push({ record, position });
    else lanes.set(key, [{ record, position }]);
  });
  const queue = [...lanes.values()];
  /** Batch positions where a lane stopped on a record it could not handle. */
  const stoppedAt: number[] = [];

  const runLane = async (lane: { record: DynamoDBRecord; position: number }[]) => {
    for (const { record, position } of lane) {
      try {
        // The AMHP service's alert channel (DOMAIN §9): clock warnings and breaches, unlawful place, escalations.
        const alertSource = alertSourceOf(record);
        const alerts = alertSource ? await raiseReferralAlerts(alertSource, now) : [];
        const source = feedbackSourceOf(record);
        const deliveries = source ? await deliveriesFor(source, ctx) : [];
        await firstAttempts([...alerts, ...deliveries], ctx);
      } catch (error) {
        const sequenceNumber = record.dynamodb?.SequenceNumber;
        if (!sequenceNumber) throw error;
        logger.warn('stream record not handled', {
          consumerId: CONSUMER_ID,
          sequenceNumber,
          errorName: (error as Error).name,
        });
        let parked = false;
        try {
          parked = await noteFailure(record, error, maxAttemptsOf(options), now);
        } catch {
          // Cannot even count: let Lambda retry the record.
        }
        if (parked) continue;
        // This referral's later records wait for it.
        stoppedAt.push(position);
        return;
      }
    }
  };
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) await runLane(lane);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_REFERRALS, queue.length) }, worker));

  if (!stoppedAt.length) return { batchItemFailures: [] };
  // Lambda retries from the earliest failure; everything after it comes again, and is
  // idempotent (deliveries are keyed by event x subscription).
  const first = event.Records[Math.min(...stoppedAt)]!;
  return { batchItemFailures: [{ itemIdentifier: first.dynamodb!.SequenceNumber! }] };
}

export const handler = (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => handleStream(event);
