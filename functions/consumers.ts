import type { ConsumerDef } from './schedules.js';

/** Stream consumers of the Hub, each with the construct that builds it. */
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
    builtBy: 'feedback',
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
    builtBy: 'analytics',
  },
  {
    // The write-once copy of the access audit: the audit table's stream into an S3 bucket under
    // Object Lock. Locally there is no S3 and the poller reads the hub table only.
    id: 'auditArchive',
    handler: 'functions/audit/archive.ts',
    source: 'dynamodb-stream',
    table: 'audit',
    pkPrefixes: [],
    batchSize: 100,
    // Lambda's retries (AuditArchive `retryAttempts`) then the on-failure queue; it parks nothing.
    maxAttempts: 10,
    builtBy: 'auditArchive',
    runsLocally: false,
  },
] as const satisfies readonly ConsumerDef[];

/** Literal ids, so functions/access.ts must declare the data access of every consumer. */
export type ConsumerId = (typeof CONSUMERS)[number]['id'];
