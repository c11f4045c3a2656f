/**
 * The bed-finding ladder's entries in `hub` (DOMAIN §9): which referrals have a ladder step whose
 * target has come. Each entry (`REFERRAL#<id>` / `LADDER`, written with the referral's change by
 * referral-repository.ts) sits in the sparse area index under `LADDER#DUE`, sorted by its next
 * target, so the minute sweep reads what is due with one Query and no scan.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { HUB_INDEXES } from './tables.js';
import { ddb, tableName } from './client.js';
import { LADDER_DUE_PARTITION } from './referral-repository.js';

export async function dueLadderReferralIds(upTo: string, limit = 100): Promise<string[]> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: tableName('hub'),
      IndexName: HUB_INDEXES.capacity.indexName,
      KeyConditionExpression: '#k = :k AND #s <= :to',
      ExpressionAttributeNames: {
        '#k': HUB_INDEXES.capacity.partitionKey.name,
        '#s': HUB_INDEXES.capacity.sortKey.name,
      },
      ExpressionAttributeValues: { ':k': LADDER_DUE_PARTITION, ':to': `${upTo}~` },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => String(i.referralId));
}
