/**
 * The alarms of infra/constructs/monitoring.ts, in the synthesised HubStack (with context
 * `alarmEmail`) and, for the edges, on a bare stack.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMERS } from '../../functions/consumers.js';
import { SCHEDULES } from '../../functions/schedules.js';
import { FEEDBACK_DELIVERY_SCHEDULE_ID } from '../../infra/constructs/feedback.js';
import {
  DELIVERY_SWEEP_LOG_MESSAGE,
  MAX_METRICS_PER_ALARM,
  Monitoring,
  STREAM_RECORD_PARKED_LOG_MESSAGE,
} from '../../infra/constructs/monitoring.js';
import { PROJECT_ROOT } from '../../infra/hub-stack.js';
import { createStubRoot, synthHubStack, type StubRoot } from './synth.js';

type Resource = { Type: string; Properties: Record<string, any> };
type MetricQuery = {
  Id: string;
  Expression?: string;
  ReturnData?: boolean;
  MetricStat?: {
    Metric: { MetricName: string; Namespace: string; Dimensions?: { Name: string; Value: unknown }[] };
    Period: number;
    Stat: string;
  };
};

const ALARM_EMAIL = 'amhp-hub-oncall@example.nhs.uk';
const FIVE_MINUTES = 300;

let root: StubRoot;
let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  root = createStubRoot('hub-monitoring-test-');
  const { stack } = synthHubStack(root, 'HubMonitoring', { context: { alarmEmail: ALARM_EMAIL } });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Record<string, Resource>;
});
afterAll(() => root?.dispose());

const ofType = (type: string): [string, Resource][] => Object.entries(resources).filter(([, r]) => r.Type === type);
const alarms = () => ofType('AWS::CloudWatch::Alarm');
const only = <T>(items: T[], what: string): T => {
  expect(items, what).toHaveLength(1);
  return items[0]!;
};
const topicId = () => only(ofType('AWS::SNS::Topic'), 'alarm topic')[0];
const keyId = () => only(ofType('AWS::KMS::Key'), 'data key')[0];
const dimension = (props: Record<string, any>, name: string) =>
  (props.Dimensions as { Name: string; Value: unknown }[] | undefined)?.find((d) => d.Name === name)?.Value;
const alarmsOn = (metricName: string) => alarms().filter(([, a]) => a.Properties.MetricName === metricName);

describe('alarm topic', () => {
  it('is encrypted with the data key, TLS only, and publishable by this account’s CloudWatch alarms', () => {
    const [, topic] = only(ofType('AWS::SNS::Topic'), 'alarm topic');
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId(), 'Arn'] });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
    // CloudWatch makes the data key of each notification.
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
  });

  it('subscribes the context alarmEmail address', () => {
    const [, subscription] = only(ofType('AWS::SNS::Subscription'), 'subscription');
    expect(subscription.Properties).toMatchObject({
      Protocol: 'email',
      Endpoint: ALARM_EMAIL,
      TopicArn: { Ref: topicId() },
    });
  });

  it('receives every alarm, in ALARM and back to OK; missing data (nothing happened) is not a breach', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const [id, alarm] of alarms()) {
      expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: topicId() }]);
      expect(alarm.Properties.OKActions, id).toEqual([{ Ref: topicId() }]);
      expect(alarm.Properties).toMatchObject({
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        EvaluationPeriods: 1,
      });
      expect(alarm.Properties.AlarmDescription, id).toEqual(expect.any(String));
    }
  });
});

describe('API', () => {
  it('alarms when more than 1% of requests in 5 minutes answer 5XX (5XXError / Count)', () => {
    const [restApiId, restApi] = only(ofType('AWS::ApiGateway::RestApi'), 'REST API');
    const rate = alarms().filter(([, a]) =>
      (a.Properties.Metrics as MetricQuery[] | undefined)?.some((m) => m.MetricStat?.Metric.MetricName === '5XXError'),
    );
    const [, alarm] = only(rate, '5XX rate alarm');
    expect(alarm.Properties.Threshold).toBe(1);
    const queries = alarm.Properties.Metrics as MetricQuery[];
    const byName = Object.fromEntries(
      queries.filter((q) => q.MetricStat).map((q) => [q.MetricStat!.Metric.MetricName, q]),
    );
    for (const name of ['5XXError', 'Count']) {
      expect(byName[name]!.MetricStat).toMatchObject({
        Period: FIVE_MINUTES,
        Stat: 'Sum',
        Metric: { Namespace: 'AWS/ApiGateway' },
      });
      expect(byName[name]!.MetricStat!.Metric.Dimensions).toEqual([
        { Name: 'ApiName', Value: restApi.Properties.Name },
      ]);
    }
    const expression = only(
      queries.filter((q) => q.ReturnData !== false && q.Expression),
      'returned expression',
    ).Expression!;
    expect(expression).toBe(`IF(${byName.Count!.Id} > 0, 100 * ${byName['5XXError']!.Id} / ${byName.Count!.Id}, 0)`);
    expect(restApiId).toBeDefined();
  });

  it(
    'counts requests answered 429 from the access log (gateway throttles, usage plans, WAF per-IP rule) and ' +
      'alarms on them',
    () => {
      const accessLogsId = only(
        ofType('AWS::ApiGateway::Stage').map(
          ([, s]) => s.Properties.AccessLogSetting.DestinationArn['Fn::GetAtt'][0] as string,
        ),
        'stage access log',
      );
      const [, filter] = only(
        ofType('AWS::Logs::MetricFilter').filter(([, f]) => f.Properties.LogGroupName?.Ref === accessLogsId),
        '429 metric filter',
      );
      expect(filter.Properties.FilterPattern).toBe('{ $.status = "429" }');
      const { MetricName, MetricNamespace, MetricValue } = filter.Properties.MetricTransformations[0];
      expect(MetricValue).toBe('1');
      const [, alarm] = only(alarmsOn(MetricName), '429 alarm');
      expect(alarm.Properties).toMatchObject({
        Namespace: MetricNamespace,
        Statistic: 'Sum',
        Period: FIVE_MINUTES,
        Threshold: expect.any(Number),
      });
      // The access log's status is a string field ("429"): the pattern must quote it.
      const format = JSON.parse(
        ofType('AWS::ApiGateway::Stage')[0]![1].Properties.AccessLogSetting.Format as string,
      ) as Record<string, string>;
      expect(format.status).toBe('$context.status');
    },
  );
});

describe('Lambda throttles', () => {
  it(
    'sums the Throttles metric of every function exactly ' + 'once, at most ten metrics per alarm, alarming above 0',
    () => {
      const functionIds = ofType('AWS::Lambda::Function')
        .map(([id]) => id)
        .sort();
      const throttleAlarms = alarms().filter(([, a]) =>
        (a.Properties.Metrics as MetricQuery[] | undefined)?.some(
          (m) => m.MetricStat?.Metric.MetricName === 'Throttles',
        ),
      );
      expect(throttleAlarms).toHaveLength(Math.ceil(functionIds.length / MAX_METRICS_PER_ALARM));
      const covered: string[] = [];
      for (const [id, alarm] of throttleAlarms) {
        const queries = alarm.Properties.Metrics as MetricQuery[];
        const metrics = queries.filter((q) => q.MetricStat);
        expect(metrics.length, id).toBeLessThanOrEqual(MAX_METRICS_PER_ALARM);
        for (const q of metrics) {
          expect(q.MetricStat).toMatchObject({
            Period: FIVE_MINUTES,
            Stat: 'Sum',
            Metric: { Namespace: 'AWS/Lambda', MetricName: 'Throttles' },
          });
          covered.push(
            (q.MetricStat!.Metric.Dimensions!.find((d) => d.Name === 'FunctionName')!.Value as { Ref: string }).Ref,
          );
        }
        const expression = only(
          queries.filter((q) => q.Expression),
          'sum',
        ).Expression!;
        expect(expression.split(' + ').sort()).toEqual(metrics.map((q) => `FILL(${q.Id}, 0)`).sort());
        expect(alarm.Properties.Threshold).toBe(0);
      }
      expect(covered.sort()).toEqual(functionIds);
    },
  );
});

describe('streams', () => {
  const mappings = () => ofType('AWS::Lambda::EventSourceMapping');

  it('alarms on IteratorAge (maximum over 5 minutes) above 5 minutes for every stream consumer', () => {
    expect(mappings()).toHaveLength(CONSUMERS.length); // the audit archiver among them
    for (const [mappingId, mapping] of mappings()) {
      const fnId = mapping.Properties.FunctionName.Ref as string;
      const [, alarm] = only(
        alarmsOn('IteratorAge').filter(
          ([, a]) => JSON.stringify(dimension(a.Properties, 'FunctionName')) === JSON.stringify({ Ref: fnId }),
        ),
        `IteratorAge alarm of ${mappingId}`,
      );
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Maximum',
        Period: FIVE_MINUTES,
        Threshold: Duration.minutes(5).toMilliseconds(),
      });
    }
    expect(alarmsOn('IteratorAge')).toHaveLength(mappings().length);
  });

  it('alarms as soon as any on-failure queue of an event source mapping holds a message', () => {
    for (const [mappingId, mapping] of mappings()) {
      const queueId = mapping.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
      const [, alarm] = only(
        alarmsOn('ApproximateNumberOfMessagesVisible').filter(
          ([, a]) =>
            JSON.stringify(dimension(a.Properties, 'QueueName')) ===
            JSON.stringify({ 'Fn::GetAtt': [queueId, 'QueueName'] }),
        ),
        `failure-queue alarm of ${mappingId}`,
      );
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        Statistic: 'Maximum',
        Period: FIVE_MINUTES,
        Threshold: 0,
      });
    }
    expect(alarmsOn('ApproximateNumberOfMessagesVisible')).toHaveLength(ofType('AWS::SQS::Queue').length);
  });
});

describe('parked items', () => {
  const functionByHandlerDescription = (description: string) =>
    only(
      ofType('AWS::Lambda::Function').filter(([, f]) => f.Properties.Description === description),
      description,
    )[1];
  const filterOn = (logGroupId: string) =>
    only(
      ofType('AWS::Logs::MetricFilter').filter(([, f]) => f.Properties.LogGroupName?.Ref === logGroupId),
      `metric filter on ${logGroupId}`,
    )[1];

  it('the log lines the filters match are the ones the code writes (functions/ is read, not changed)', () => {
    const deliver = readFileSync(path.join(PROJECT_ROOT, 'functions/feedback/deliver.ts'), 'utf8');
    expect(deliver).toContain(`logger.info('${DELIVERY_SWEEP_LOG_MESSAGE}', { ...summary })`);
    // The sweep's summary (its shape, with the parked count the filter reads) lives with the shared sweep.
    const sweep = readFileSync(path.join(PROJECT_ROOT, 'shared/feedback/deliver-due.ts'), 'utf8');
    expect(sweep).toMatch(/\bparked: number;/);
    const operational = readFileSync(path.join(PROJECT_ROOT, 'functions/stream/operational.ts'), 'utf8');
    expect(operational).toContain(`logger.error('${STREAM_RECORD_PARKED_LOG_MESSAGE}'`);
  });

  it('counts parked webhook deliveries from the delivery sweep’s summary and alarms above 0', () => {
    const delivery = functionByHandlerDescription(
      SCHEDULES.find((s) => s.id === FEEDBACK_DELIVERY_SCHEDULE_ID)!.description,
    );
    const filter = filterOn(delivery.Properties.LoggingConfig.LogGroup.Ref as string);
    expect(filter.Properties.FilterPattern).toBe(`{ ($.message = "${DELIVERY_SWEEP_LOG_MESSAGE}") && ($.parked > 0) }`);
    const { MetricName, MetricNamespace, MetricValue } = filter.Properties.MetricTransformations[0];
    expect(MetricValue).toBe('$.parked');
    const [, alarm] = only(alarmsOn(MetricName), 'parked deliveries alarm');
    expect(alarm.Properties).toMatchObject({
      Namespace: MetricNamespace,
      Statistic: 'Sum',
      Period: FIVE_MINUTES,
      Threshold: 0,
    });
  });

  it('counts stream records the operational consumer parks and alarms above 0', () => {
    const consumer = functionByHandlerDescription(
      'The hub stream consumer: feedback deliveries to referrers and their first attempt',
    );
    const filter = filterOn(consumer.Properties.LoggingConfig.LogGroup.Ref as string);
    expect(filter.Properties.FilterPattern).toBe(`{ $.message = "${STREAM_RECORD_PARKED_LOG_MESSAGE}" }`);
    const { MetricName, MetricNamespace } = filter.Properties.MetricTransformations[0];
    const [, alarm] = only(alarmsOn(MetricName), 'parked stream records alarm');
    expect(alarm.Properties).toMatchObject({ Namespace: MetricNamespace, Statistic: 'Sum', Threshold: 0 });
  });
});

describe('Monitoring on its own', () => {
  const bare = (functionCount: number, alarmEmail?: string) => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Bare');
    const key = new kms.Key(stack, 'Key');
    const restApi = new apigateway.RestApi(stack, 'Api', { deploy: true });
    restApi.root.addMethod('GET', new apigateway.MockIntegration());
    const logGroup = new logs.LogGroup(stack, 'Logs');
    const functions = Array.from(
      { length: functionCount },
      (_, i) =>
        new lambda.Function(stack, `Fn${i}`, {
          runtime: lambda.Runtime.NODEJS_22_X,
          handler: 'index.handler',
          code: lambda.Code.fromInline('exports.handler = async () => {}'),
        }),
    );
    new Monitoring(stack, 'Monitoring', {
      key,
      restApi,
      accessLogs: logGroup,
      functions,
      streamConsumers: { one: functions[0]! },
      failureQueues: { one: new sqs.Queue(stack, 'Queue') },
      deliveryLogs: logGroup,
      ...(alarmEmail ? { alarmEmail } : {}),
    });
    return Template.fromStack(stack);
  };

  it('subscribes nobody without alarmEmail, and builds no parked-records alarm without the consumer log', () => {
    const t = bare(3);
    t.resourceCountIs('AWS::SNS::Subscription', 0);
    t.resourceCountIs('AWS::Logs::MetricFilter', 2); // 429s and parked deliveries
  });

  it('splits throttles into alarms of at most ten metrics', () => {
    for (const [count, alarmsExpected] of [
      [10, 1],
      [11, 2],
      [21, 3],
    ] as const) {
      const t = bare(count);
      const throttle = Object.values(t.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>).filter(
        (a) =>
          (a.Properties.Metrics as MetricQuery[] | undefined)?.some(
            (m) => m.MetricStat?.Metric.MetricName === 'Throttles',
          ),
      );
      expect(throttle, `${count} functions`).toHaveLength(alarmsExpected);
      const metrics = throttle.flatMap((a) => (a.Properties.Metrics as MetricQuery[]).filter((m) => m.MetricStat));
      expect(metrics).toHaveLength(count);
    }
  });
});
