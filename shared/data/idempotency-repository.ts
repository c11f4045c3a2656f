/**
 * Idempotency records live in `hub` and are written in the same transaction as the change they
 * protect, so a change and its replayable response exist together or not at all. TTL deletion
 * is lazy, so the expiry is also checked in the condition and on read.
 *
 * A record belongs to the one caller that made the request — organisation, client AND person —
 * so a stored response (which may hold identifiable data) is never replayed to another person
 * or system of the same organisation that happens to send the same key.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { PK, SK, TTL_ATTRIBUTE } from './tables.js';
import type { AuditRecord } from '../schemas/audit.js';
import { ddb, tableName } from './client.js';
import { compressText, decompressText } from './compression.js';

type AuditTarget = Pick<AuditRecord, 'resourceType' | 'resourceId' | 'action'>;

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * A stored body over this many bytes is kept compressed (`bodyZ`): a referral's full view is
 * ~2.5 KB, which made an accept's idempotency record 6 WCU in its transaction; compressed it fits
 * the 2 KB band. Small bodies stay readable as they are.
 */
const COMPRESS_BODY_OVER = 512;

/** The response as stored: its body compressed when large (see COMPRESS_BODY_OVER). */
const storedResponse = ({ body, ...rest }: StoredResponse) =>
  Buffer.byteLength(body) > COMPRESS_BODY_OVER ? { ...rest, bodyZ: compressText(body) } : { ...rest, body };

/** The stored response with its body opened (also for checks that read the table directly). */
export const openedResponse = (stored: Omit<StoredResponse, 'body'> & { body?: string; bodyZ?: Uint8Array }) => {
  const { body, bodyZ, ...rest } = stored;
  return { ...rest, body: bodyZ ? decompressText(bodyZ) : (body ?? '') };
};

export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface IdempotencyRecord {
  requestHash: string;
  response: StoredResponse;
  /** What the first response disclosed or changed: a replay is audited against the same resources. */
  audit: AuditTarget[];
  expiresAtMs: number;
}

/** Who owns a key: the caller's organisation, client and (for a signed-in person) actor. */
export interface IdempotencyOwner {
  readonly organisationId: string;
  readonly clientId: string;
  readonly actorId?: string | undefined;
}

export const idempotencyKeyOf = (owner: IdempotencyOwner, key: string) => ({
  [PK]: `IDEMPOTENCY#${owner.organisationId}#${key}`,
  [SK]: `CALLER#${owner.clientId}#${owner.actorId ?? '-'}`,
});

export async function findIdempotencyRecord(
  owner: IdempotencyOwner,
  key: string,
  nowMs: number,
): Promise<IdempotencyRecord | undefined> {
  const out = await ddb().send(
    new GetCommand({ TableName: tableName('hub'), Key: idempotencyKeyOf(owner, key), ConsistentRead: true }),
  );
  const item = out.Item as (IdempotencyRecord & Record<string, unknown>) | undefined;
  if (!item || item.expiresAtMs <= nowMs) return undefined;
  return {
    requestHash: item.requestHash,
    response: openedResponse(item.response),
    audit: item.audit ?? [],
    expiresAtMs: item.expiresAtMs,
  };
}

export const idempotencyPut = (
  owner: IdempotencyOwner,
  key: string,
  requestHash: string,
  response: StoredResponse,
  audit: readonly AuditTarget[],
  nowMs: number,
) => {
  const expiresAtMs = nowMs + IDEMPOTENCY_WINDOW_MS;
  return {
    Put: {
      TableName: tableName('hub'),
      Item: {
        ...idempotencyKeyOf(owner, key),
        requestHash,
        response: storedResponse(response),
        audit: audit.map(({ resourceType, resourceId, action }) => ({ resourceType, resourceId, action })),
        expiresAtMs,
        [TTL_ATTRIBUTE]: Math.ceil(expiresAtMs / 1000),
      },
      ConditionExpression: 'attribute_not_exists(#pk) OR expiresAtMs < :now',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':now': nowMs },
    },
  };
};
