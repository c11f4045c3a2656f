/**
 * Idempotency records live in `hub` and are written in the same transaction as the change they
 * protect, so a change and its replayable response exist together or not at all. TTL deletion
 * is lazy, so the expiry is also checked in the condition and on read.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { PK, SK, TTL_ATTRIBUTE } from '../../infra/tables.js';
import { ddb, tableName } from './client.js';

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface IdempotencyRecord {
  requestHash: string;
  response: StoredResponse;
  expiresAtMs: number;
}

export const idempotencyKeyOf = (organisationId: string, key: string) => ({ [PK]: `IDEMPOTENCY#${organisationId}#${key}`, [SK]: 'RECORD' });

export async function findIdempotencyRecord(organisationId: string, key: string, nowMs: number): Promise<IdempotencyRecord | undefined> {
  const out = await ddb().send(new GetCommand({ TableName: tableName('hub'), Key: idempotencyKeyOf(organisationId, key), ConsistentRead: true }));
  const item = out.Item as (IdempotencyRecord & Record<string, unknown>) | undefined;
  if (!item || item.expiresAtMs <= nowMs) return undefined;
  return { requestHash: item.requestHash, response: item.response, expiresAtMs: item.expiresAtMs };
}

export const idempotencyPut = (organisationId: string, key: string, requestHash: string, response: StoredResponse, nowMs: number) => {
  const expiresAtMs = nowMs + IDEMPOTENCY_WINDOW_MS;
  return {
    Put: {
      TableName: tableName('hub'),
      Item: {
        ...idempotencyKeyOf(organisationId, key),
        requestHash,
        response,
        expiresAtMs,
        [TTL_ATTRIBUTE]: Math.ceil(expiresAtMs / 1000),
      },
      ConditionExpression: 'attribute_not_exists(#pk) OR expiresAtMs < :now',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':now': nowMs },
    },
  };
};
