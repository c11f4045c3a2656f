import type { ConsumerDef } from './schedules.js';

/** Stream consumers of the Hub; each arrives with its first real use (feedback, analytics). */
export const CONSUMERS = [
  {
    // The ONE reader of the hub table's DynamoDB stream: feedback to referrers (functions/feedback/).
    id: 'operational',
    handler: 'functions/stream/operational.ts',
    source: 'dynamodb-stream',
    table: 'hub',
    pkPrefixes: ['REFERRAL#'],
    batchSize: 100,
    maxAttempts: 5,
  },
  {
    // The analytics feed: the table's Kinesis Data Streams destination in AWS (records may repeat
    // or arrive out of order; the consumer is changeSeq-guarded).
    id: 'analytics',
    handler: 'functions/stream/analytics.ts',
    source: 'kinesis',
    table: 'hub',
    pkPrefixes: ['REFERRAL#', 'BEDUNIT#'],
    batchSize: 100,
    maxAttempts: 5,
    secrets: ['pseudonymisationKey'],
  },
] as const satisfies readonly ConsumerDef[];

/** Literal ids, so functions/access.ts must declare the data access of every consumer. */
export type ConsumerId = (typeof CONSUMERS)[number]['id'];
