/**
 * The stream poller feeding only the analytics consumer, as the extract tests and the e2e stack run
 * it (`pkPrefixes`: the partitions it passes on; referrals and bed units unless told).
 */
import { handler as analyticsHandler } from '../../functions/stream/analytics.js';
import { createStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.js';

export const analyticsPoller = (
  endpoint: string,
  hubTable: string,
  pkPrefixes: string[] = ['REFERRAL#', 'BEDUNIT#'],
): StreamPoller =>
  createStreamPoller({
    endpoint,
    tableName: hubTable,
    parkTableName: hubTable,
    consumers: [
      {
        id: 'analytics',
        shape: 'kinesis',
        handler: analyticsHandler,
        pkPrefixes,
        batchSize: 100,
        maxAttempts: 3,
      },
    ],
    pollIntervalMs: 50,
  });
