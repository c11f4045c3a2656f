/**
 * Feedback subscriptions in `hub`: `ORG#<org>` / `SUBSCRIPTION#<id>`, so a caller can only ever
 * address its own organisation's (another organisation's id is simply absent: 404). The signing
 * secret is stored sealed (shared/secrets/webhook-secrets.ts). Deleting keeps the item as a
 * tombstone without its secret, so deliveries still name a subscription that existed.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './pages.js';
import { PK, SK } from './tables.js';
import type { FeedbackEventType } from '../domain/feedback.js';
import type { AlertKind } from '../../events/schemas/alert-message.js';
import type { SealedSecret, SecretContext } from '../secrets/webhook-secrets.js';
import { ddb, tableName } from './client.js';
import type { WriteItem } from './transact.js';

export interface Subscription {
  id: string;
  organisationId: string;
  url: string;
  /** Feedback events; an AMHP service's alert channel (DOMAIN §9) lists alert kinds. */
  events: (FeedbackEventType | AlertKind)[];
  /** FHIR messages instead of JSON (absent: JSON). */
  format?: 'fhir';
  status: 'active' | 'deleted';
  createdAt: string;
  createdByClientId: string;
  createdByActorId?: string;
  deletedAt?: string;
  /** Absent once deleted. */
  secret?: SealedSecret;
}

export const SUBSCRIPTION_PREFIX = 'SUBSCRIPTION#';
export const subscriptionKey = (organisationId: string, id: string) => ({
  [PK]: `ORG#${organisationId}`,
  [SK]: `${SUBSCRIPTION_PREFIX}${id}`,
});

/**
 * `purpose` of every webhook secret's encryption context: in AWS the functions' KMS permissions
 * are conditioned on it (`kms:EncryptionContext:purpose`, infra/access-policy.ts), so the data
 * key cannot be used directly for anything else by the roles that seal or open secrets.
 */
export const WEBHOOK_SECRET_PURPOSE = 'feedback-webhook-secret';

/** The encryption context of a subscription's secret. */
export const secretContextOf = (s: Pick<Subscription, 'organisationId' | 'id'>): SecretContext => ({
  purpose: WEBHOOK_SECRET_PURPOSE,
  organisationId: s.organisationId,
  subscriptionId: s.id,
});

const strip = (item: Record<string, unknown>): Subscription => {
  const { [PK]: _p, [SK]: _s, ...rest } = item;
  return rest as unknown as Subscription;
};

export class SubscriptionGone extends Error {
  override name = 'SubscriptionGone';
}

export const subscriptionPut = (s: Subscription): WriteItem => ({
  item: {
    Put: {
      TableName: tableName('hub'),
      Item: { ...subscriptionKey(s.organisationId, s.id), ...s },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': PK },
    },
  },
  onConditionFailed: () => new Error('subscription id collision'),
});

export const subscriptionDelete = (organisationId: string, id: string, at: string): WriteItem => ({
  item: {
    Update: {
      TableName: tableName('hub'),
      Key: subscriptionKey(organisationId, id),
      UpdateExpression: 'SET #status = :deleted, deletedAt = :at REMOVE secret',
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':deleted': 'deleted', ':active': 'active', ':at': at },
    },
  },
  onConditionFailed: () => new SubscriptionGone(),
});

/** Any state (a tombstone included); the caller decides what a deleted one means. */
export async function getSubscription(organisationId: string, id: string): Promise<Subscription | undefined> {
  const out = await ddb().send(
    new GetCommand({ TableName: tableName('hub'), Key: subscriptionKey(organisationId, id), ConsistentRead: true }),
  );
  return out.Item ? strip(out.Item) : undefined;
}

/** An organisation's active subscriptions (a handful: one Query, no table scan). */
export async function activeSubscriptions(organisationId: string): Promise<Subscription[]> {
  const items = await queryAll(ddb(), {
    TableName: tableName('hub'),
    KeyConditionExpression: '#p = :p AND begins_with(#s, :s)',
    FilterExpression: '#status = :active',
    ExpressionAttributeNames: { '#p': PK, '#s': SK, '#status': 'status' },
    ExpressionAttributeValues: { ':p': `ORG#${organisationId}`, ':s': SUBSCRIPTION_PREFIX, ':active': 'active' },
    ConsistentRead: true,
  });
  return items.map(strip);
}

export const subscriptionView = (s: Subscription) => ({
  id: s.id,
  url: s.url,
  events: s.events,
  status: 'active' as const,
  format: s.format ?? ('json' as const),
  createdAt: s.createdAt,
});
