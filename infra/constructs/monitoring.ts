/**
 * Alarms of the Hub, all notifying one SNS topic (encrypted with the data key; optional e-mail
 * subscription from context `alarmEmail`). What each watches and why:
 *
 * - API 5XX rate: `5XXError / Count` of the REST API over 5 minutes above 1 %. Server errors
 *   are the Hub failing its callers; 4XX is callers' own mistakes (and throttling, below).
 * - Lambda throttles: the `Throttles` metric of every Hub function, summed (in groups of ten:
 *   an alarm's metric math takes at most ten metrics). A throttled function means a request
 *   answered 500 or a scheduled run or batch delayed; stage and WAF limits never throttle Lambda.
 * - Requests answered 429: a metric filter on the API access log (`status` 429), which is the
 *   only place API Gateway's own throttles (stage, method, usage plan) and the WAF per-IP rule
 *   are counted as such. `4XXError` mixes them with 401/404/422 and is not a throttle signal.
 * - Stream lag: the Lambda `IteratorAge` of each stream consumer (the operational consumer of
 *   the DynamoDB stream, the Kinesis analytics consumer, the audit archiver) above 5 minutes.
 * - Failed batches: `ApproximateNumberOfMessagesVisible` above 0 on each event source mapping's
 *   on-failure queue (batches whose retries ran out).
 * - Parked items: metric filters on the log lines the code writes when it parks something,
 *   namely the delivery sweep's summary (`webhook delivery sweep` with `parked` > 0) and the
 *   operational consumer's `stream record parked`. Log-based: they go silent if the log level is
 *   raised above INFO for the sweep or ERROR for the consumer.
 */
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Log line of `functions/feedback/deliver.ts` after each sweep; carries the `parked` count. */
export const DELIVERY_SWEEP_LOG_MESSAGE = 'webhook delivery sweep';
/** Log line of `functions/stream/operational.ts` when it parks a stream record in the table. */
export const STREAM_RECORD_PARKED_LOG_MESSAGE = 'stream record parked';
/** CloudWatch's limit on metrics in one alarm's math expression. */
export const MAX_METRICS_PER_ALARM = 10;

export interface MonitoringProps {
  /** Encrypts the alarm topic (CloudWatch is allowed to use it for notifications). */
  readonly key: kms.Key;
  readonly restApi: apigateway.RestApi;
  /** The stage's JSON access log (its `status` field counts 429s). */
  readonly accessLogs: logs.ILogGroup;
  /** Every function of the Hub: their throttles are summed. */
  readonly functions: readonly lambda.IFunction[];
  /** Stream consumers by name: each gets an IteratorAge alarm. */
  readonly streamConsumers: Readonly<Record<string, lambda.IFunction>>;
  /** On-failure queues of the event source mappings, by consumer name. */
  readonly failureQueues: Readonly<Record<string, sqs.IQueue>>;
  /** Log group of the webhook delivery sweep (parked deliveries). */
  readonly deliveryLogs: logs.ILogGroup;
  /** Log group of the operational stream consumer (parked stream records). */
  readonly operationalConsumerLogs?: logs.ILogGroup;
  /** Context `alarmEmail`: subscribed to the topic (the address confirms by e-mail). */
  readonly alarmEmail?: string;
  /** @default 1 (%) */
  readonly apiServerErrorPercent?: number;
  /** Requests answered 429 in 5 minutes above which to alarm. @default 20 */
  readonly throttledRequestsPer5Minutes?: number;
  /** @default Duration.minutes(5) */
  readonly maxIteratorAge?: Duration;
}

const PERIOD = Duration.minutes(5);

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  /** Every alarm, by construct id. */
  readonly alarms: ReadonlyMap<string, cloudwatch.Alarm>;
  /** Namespace of the metrics this construct derives from logs (one per stack). */
  readonly namespace: string;

  private readonly alarmMap = new Map<string, cloudwatch.Alarm>();
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.namespace = `AmhpReferralHub/${Stack.of(this).stackName}`;

    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'AMHP Referral Hub alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    // Only this account's alarms may publish (confused-deputy conditions on the topic).
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
        },
      }),
    );
    // CloudWatch makes the topic's data key when it publishes, so the key policy must let it.
    // Data keys for SNS messages only: it cannot read anything else the key protects without
    // that data's own ciphertext, which it is never given.
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.action = new actions.SnsAction(this.topic);

    // --- API 5XX rate
    this.alarm('ApiServerErrorRate', {
      metric: new cloudwatch.MathExpression({
        // No requests, no rate (rather than a division by zero).
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: props.restApi.metricServerError({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
          requests: props.restApi.metricCount({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        },
        period: PERIOD,
        label: 'API 5XX responses (% of requests)',
      }),
      threshold: props.apiServerErrorPercent ?? 1,
      description:
        `More than ${props.apiServerErrorPercent ?? 1}% of API requests answered 5XX in 5 minutes. Look up ` +
        `the correlation ids of 5XX lines in the access log, then the function logs.`,
    });

    // --- Lambda throttles, summed in groups of at most ten functions
    const functions = [...props.functions];
    const groups = Math.ceil(functions.length / MAX_METRICS_PER_ALARM);
    for (let g = 0; g < groups; g++) {
      const group = functions.slice(g * MAX_METRICS_PER_ALARM, (g + 1) * MAX_METRICS_PER_ALARM);
      const usingMetrics = Object.fromEntries(
        group.map((fn, i) => [`t${i}`, fn.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM })]),
      );
      this.alarm(`LambdaThrottles${g + 1}`, {
        metric: new cloudwatch.MathExpression({
          // A function that did not run has no data point: count it as 0, not as missing.
          expression: Object.keys(usingMetrics)
            .map((name) => `FILL(${name}, 0)`)
            .join(' + '),
          usingMetrics,
          period: PERIOD,
          label:
            `Throttled invocations ` +
            `(functions ${g * MAX_METRICS_PER_ALARM + 1}-${g * MAX_METRICS_PER_ALARM + group.length} ` +
            `of ${functions.length})`,
        }),
        threshold: 0,
        description:
          `Lambda throttled invocations of Hub functions (group ${g + 1} of ${groups}) in 5 minutes: ` +
          `requests answered 5XX or scheduled and stream work delayed. Check the account's concurrency and ` +
          `which function throttled.`,
      });
    }

    // --- requests answered 429 (API Gateway throttles, usage-plan quota, WAF per-IP rule)
    const throttled = new logs.MetricFilter(this, 'ThrottledRequestsFilter', {
      logGroup: props.accessLogs,
      filterPattern: logs.FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: this.namespace,
      metricName: 'ThrottledRequests',
      metricValue: '1',
    });
    this.alarm('ApiThrottledRequests', {
      metric: throttled.metric({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: props.throttledRequestsPer5Minutes ?? 20,
      description:
        `More than ${props.throttledRequestsPer5Minutes ?? 20} API requests answered 429 in 5 minutes (stage ` +
        `or method throttle, usage-plan limit, or the WAF per-IP rule). See apiKeyId, clientId, sourceIp and ` +
        `wafStatus in the access log.`,
    });

    // --- stream lag
    const maxAge = props.maxIteratorAge ?? Duration.minutes(5);
    for (const [name, fn] of Object.entries(props.streamConsumers)) {
      this.alarm(`IteratorAge-${name}`, {
        metric: fn.metric('IteratorAge', { period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: maxAge.toMilliseconds(),
        description:
          `Stream consumer ${name} is more than ${maxAge.toMinutes()} minutes behind its stream (Lambda ` +
          `IteratorAge). Records older than the mapping's maximum age go to its on-failure queue.`,
      });
    }

    // --- failed batches
    for (const [name, queue] of Object.entries(props.failureQueues)) {
      this.alarm(`FailedBatches-${name}`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 0,
        description:
          `Batches of stream consumer ${name} ran out of retries: their shard and sequence numbers are in ` +
          `its on-failure queue. Read the records from the stream before they expire (24 hours), fix, and ` +
          `replay or rebuild.`,
      });
    }

    // --- parked items
    const parkedDeliveries = new logs.MetricFilter(this, 'ParkedDeliveriesFilter', {
      logGroup: props.deliveryLogs,
      filterPattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue('$.message', '=', DELIVERY_SWEEP_LOG_MESSAGE),
        logs.FilterPattern.numberValue('$.parked', '>', 0),
      ),
      metricNamespace: this.namespace,
      metricName: 'ParkedWebhookDeliveries',
      metricValue: '$.parked',
    });
    this.alarm('ParkedWebhookDeliveries', {
      metric: parkedDeliveries.metric({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      description:
        'Webhook deliveries were parked: a receiver refused or was unreachable for the whole retry window. ' +
        'The subscriber or the AMHP service can replay them once the receiver is back (list-deliveries, ' +
        'replay-delivery).',
    });
    if (props.operationalConsumerLogs) {
      const parkedRecords = new logs.MetricFilter(this, 'ParkedStreamRecordsFilter', {
        logGroup: props.operationalConsumerLogs,
        filterPattern: logs.FilterPattern.stringValue('$.message', '=', STREAM_RECORD_PARKED_LOG_MESSAGE),
        metricNamespace: this.namespace,
        metricName: 'ParkedStreamRecords',
        metricValue: '1',
      });
      this.alarm('ParkedStreamRecords', {
        metric: parkedRecords.metric({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        description:
          'The operational stream consumer parked records that kept failing (PARKED#operational items in ' +
          'the hub table): feedback for those referral events was not produced. Fix the cause, then ' +
          'reprocess the parked records.',
      });
    }
    this.alarms = this.alarmMap;
  }

  private alarm(
    id: string,
    options: { metric: cloudwatch.IMetric; threshold: number; description: string },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // No data means nothing happened: no requests, no invocations, an empty queue.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarmMap.set(id, alarm);
    return alarm;
  }
}
