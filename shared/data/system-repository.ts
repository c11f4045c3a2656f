/**
 * The Hub's own bookkeeping in `hub`, under `PK = SYSTEM`: when the schedule last ran and how
 * far behind the stream poller is. GET /health reads both with one Query. Key shapes live here
 * and nowhere else.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PK, SK } from './tables.js';
import { ddb, tableName } from './client.js';

const SYSTEM_PK = 'SYSTEM';

export const systemKeys = {
  heartbeat: () => ({ [PK]: SYSTEM_PK, [SK]: 'HEARTBEAT' }),
  pollerStatus: () => ({ [PK]: SYSTEM_PK, [SK]: 'STATUS#stream-poller' }),
};

export interface PollerStatus {
  lagMs: number;
  /** ISO 8601, UTC. */
  reportedAt: string;
}

export interface SystemStatus {
  lastScheduleRunAt: string | null;
  poller: PollerStatus | null;
}

/**
 * Conditional on the stored time being older, so a delayed or overlapping run can never move
 * the heartbeat backwards (ISO strings in UTC `Z` compare in time order).
 */
export async function recordHeartbeat(at: Date): Promise<void> {
  const lastRunAt = at.toISOString();
  try {
    await ddb().send(
      new PutCommand({
        TableName: tableName('hub'),
        Item: { ...systemKeys.heartbeat(), lastRunAt },
        ConditionExpression: 'attribute_not_exists(#pk) OR #at < :at',
        ExpressionAttributeNames: { '#pk': PK, '#at': 'lastRunAt' },
        ExpressionAttributeValues: { ':at': lastRunAt },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return;
    throw error;
  }
}

/** Same shape as the poller's `writeStatus` option, so it can be passed straight in. */
export async function recordPollerStatus(status: PollerStatus): Promise<void> {
  await ddb().send(
    new PutCommand({
      TableName: tableName('hub'),
      Item: { ...systemKeys.pollerStatus(), lagMs: status.lagMs, reportedAt: status.reportedAt },
    }),
  );
}

export async function readSystemStatus(): Promise<SystemStatus> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: tableName('hub'),
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':pk': SYSTEM_PK },
    }),
  );
  const items = out.Items ?? [];
  const heartbeat = items.find((i) => i[SK] === systemKeys.heartbeat()[SK]);
  const poller = items.find((i) => i[SK] === systemKeys.pollerStatus()[SK]);
  return {
    lastScheduleRunAt: typeof heartbeat?.lastRunAt === 'string' ? heartbeat.lastRunAt : null,
    poller:
      poller && typeof poller.lagMs === 'number' && typeof poller.reportedAt === 'string'
        ? { lagMs: poller.lagMs, reportedAt: poller.reportedAt }
        : null,
  };
}
