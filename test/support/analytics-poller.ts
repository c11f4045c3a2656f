/** The stream poller feeding only the analytics consumer, as the extract tests and the e2e stack run it. */
import { handler as analyticsHandler } from '../../functions/stream/analytics.js';
import { createStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.js';

export const analyticsPoller = (endpoint: string, hubTable: string): StreamPoller =>
  createStreamPoller({
    endpoint,
    tableName: hubTable,
    parkTableName: hubTable,
    consumers: [
      {
        id: 'analytics',
        shape: 'kinesis',
        handler: analyticsHandler,
        pkPrefixes: ['REFERRAL#', 'BEDUNIT#'],
        batchSize: 100,
        maxAttempts: 3,
      },
    ],
    pollIntervalMs: 50,
  });
