/**
 * The ONE list of scheduled handlers. CDK wires each to the minute EventBridge schedule; the
 * local stack's timer invokes each every minute with the same ScheduledEvent shape.
 */
export interface ScheduleDef {
  readonly id: string;
  /** Module path from the project root; it exports `handler(event: ScheduledEvent)`. */
  readonly handler: string;
  /** EventBridge schedule expression; locally every schedule runs once a minute. */
  readonly expression: 'rate(1 minute)';
  readonly description: string;
  /**
   * The CDK construct that builds it: `schedules` (infra/constructs/schedule.ts, the default
   * rule and function) or `feedback` (infra/constructs/feedback.ts: longer timeout, optional
   * fixed egress IP). The local stack runs every schedule alike.
   */
  readonly builtBy: 'schedules' | 'feedback';
}

export const SCHEDULES = [
  {
    id: 'heartbeat',
    handler: 'functions/health/heartbeat.ts',
    expression: 'rate(1 minute)',
    description: 'Records that the schedule ran, for GET /health',
    builtBy: 'schedules',
  },
  {
    id: 'clockSweep',
    handler: 'functions/clocks/sweep.ts',
    expression: 'rate(1 minute)',
    description: 'Appends clock-warning and clock-breached events, each exactly once',
    builtBy: 'schedules',
  },
  {
    id: 'bedLadderSweep',
    handler: 'functions/beds/ladder-sweep.ts',
    expression: 'rate(1 minute)',
    description: 'Escalates each bed-finding ladder step whose target passed (escalated: no-bed), exactly once',
    builtBy: 'schedules',
  },
  {
    id: 'feedbackDelivery',
    handler: 'functions/feedback/deliver.ts',
    expression: 'rate(1 minute)',
    description: 'Retries due feedback webhooks with backoff for 24 h, then parks them',
    builtBy: 'feedback',
  },
  {
    id: 'safetySweep',
    handler: 'functions/safety/sweep.ts',
    expression: 'rate(1 minute)',
    description:
      'Raises safety-check-overdue and over-hours alerts once, repeats unacknowledged ones, sends alert webhooks',
    builtBy: 'schedules',
  },
] as const satisfies readonly ScheduleDef[];

/** Literal ids, so functions/access.ts must declare the data access of every schedule. */
export type ScheduleId = (typeof SCHEDULES)[number]['id'];

/**
 * The ONE list of stream consumers (later issues add the operational and analytics readers).
 * `source` says which shape the consumer receives: a DynamoDBStreamEvent from the table's
 * stream, or a KinesisStreamEvent from its Kinesis Data Streams destination.
 */
export interface ConsumerDef {
  readonly id: string;
  readonly handler: string;
  readonly source: 'dynamodb-stream' | 'kinesis';
  readonly table: 'hub' | 'audit';
  /** Only records whose partition key starts with one of these reach the consumer (AWS filter criteria). */
  readonly pkPrefixes: readonly string[];
  readonly batchSize: number;
  /** Attempts before a record is parked in the table. */
  readonly maxAttempts: number;
  /** Secrets the handler reads at start-up (CDK grants exactly these). */
  readonly secrets?: readonly ('personMatchKey' | 'pseudonymisationKey')[];
  /**
   * The CDK construct that builds it: `feedback` (infra/constructs/feedback.ts), `analytics`
   * (infra/constructs/analytics.ts) or `auditArchive` (infra/constructs/audit.ts).
   */
  readonly builtBy: 'feedback' | 'analytics' | 'auditArchive';
  /**
   * False for a consumer the local stack cannot run (its stand-in poller reads the hub table's
   * stream only, and it has no S3). @default true
   */
  readonly runsLocally?: boolean;
}
