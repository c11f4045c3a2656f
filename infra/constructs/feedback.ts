/**
 * Feedback to referrers (DOMAIN §6) in AWS:
 * - the operational consumer (`functions/stream/operational.ts`), the ONE reader of the `hub`
 *   table's DynamoDB stream, with filter criteria (only new referral events reach it), partial
 *   batch responses, bisection, explicit retry and age limits and an encrypted SQS on-failure
 *   destination (batch metadata only: an alarm; the consumer itself parks records that keep
 *   failing in the table);
 * - the webhook delivery sweep (`functions/feedback/deliver.ts`) on the minute schedule, with a
 *   timeout that outlasts its 5-second attempts;
 * - optionally (`fixedEgressIp`, context `feedbackFixedEgressIp=true`) both in a VPC whose one
 *   NAT gateway holds a fixed Elastic IP, for receivers that allow-list senders (HubFunction's
 *   `vpc` props; flow logs to the access-logs bucket);
 * - their data access and the KMS permissions for webhook secrets (opening at delivery, bound to
 *   the secrets' encryption context) from their declarations in functions/access.ts; the route
 *   that seals new secrets gets its permission the same way, from its own declaration.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { consumersBuiltBy, onlyOne, schedulesBuiltBy } from '../../functions/functions.js';
import type { ConsumerDef, ScheduleDef } from '../../functions/schedules.js';
import { WEBHOOK_SECRET_PURPOSE } from '../../shared/data/subscription-repository.js';
import { consumerAccess, scheduleAccess } from './schedule.js';
import { suppressOnPrincipal, type Data } from './data.js';
import { HubFunction, type HubFunctionDefaults, type HubFunctionProps } from './hub-function.js';
import { ENV } from '../../shared/env.js';

/** The consumer and the schedule the function list says this construct builds (`builtBy: 'feedback'`). */
export const FEEDBACK_CONSUMER_ID = onlyOne(consumersBuiltBy('feedback'), 'feedback consumer').id;
export const FEEDBACK_DELIVERY_SCHEDULE_ID = onlyOne(schedulesBuiltBy('feedback'), 'feedback schedule').id;
/** The route that seals new secrets (its declaration in functions/access.ts says `seal`). */
export const FEEDBACK_SEALING_ROUTE_ID = 'createSubscription';
/** Read by shared/secrets/webhook-secrets.ts; set by HubFunction.grantData where secrets are sealed or opened. */
export const FEEDBACK_KMS_KEY_ENV = ENV.feedbackKmsKeyArn;
/** Every secret is sealed with this in its encryption context (see subscription-repository.ts). */
export const FEEDBACK_SECRET_PURPOSE = WEBHOOK_SECRET_PURPOSE;

export interface FeedbackProps {
  readonly data: Data;
  readonly functionDefaults: HubFunctionDefaults;
  /** The one whose `builtBy` is 'feedback' is built. @default CONSUMERS */
  readonly consumers?: readonly ConsumerDef[];
  /** The one whose `builtBy` is 'feedback' is built. @default SCHEDULES */
  readonly schedules?: readonly ScheduleDef[];
  /**
   * Run the consumer and the delivery sweep in a VPC (one AZ, private subnet) whose NAT gateway
   * has a fixed Elastic IP, so every webhook comes from one published address. Costs a NAT
   * gateway (≈ $0.05 an hour in eu-west-2 plus data processed) and an Elastic IP.
   * @default false
   */
  readonly fixedEgressIp?: boolean;
  /**
   * Lambda's retries of a failing batch (the consumer parks a record itself after its ConsumerDef `maxAttempts`).
   * @default 10
   */
  readonly retryAttempts?: number;
  /** Older records go to the on-failure queue; well inside the stream's 24 hours. @default Duration.hours(6) */
  readonly maxRecordAge?: Duration;
}

export class Feedback extends Construct {
  readonly consumer: HubFunction;
  readonly delivery: HubFunction;
  readonly rule: events.Rule;
  /** Receives only batch metadata after Lambda's retries run out: an alarm, not a store. */
  readonly failures: sqs.Queue;
  readonly vpc?: ec2.Vpc;
  /** The fixed source address of webhooks, when `fixedEgressIp`. */
  readonly egressIp?: ec2.CfnEIP;

  constructor(scope: Construct, id: string, props: FeedbackProps) {
    super(scope, id);
    const { data } = props;
    const consumerDef = onlyOne(consumersBuiltBy('feedback', props.consumers), 'feedback consumer');
    const scheduleDef = onlyOne(schedulesBuiltBy('feedback', props.schedules), 'feedback schedule');
    if (consumerDef.source !== 'dynamodb-stream' || consumerDef.table !== 'hub')
      throw new Error(`${consumerDef.id} must read the hub table's DynamoDB stream`);

    // --- optional fixed egress address (first: both functions are placed in it)
    let network: Pick<HubFunctionProps, 'vpc' | 'securityGroups' | 'vpcSubnets'> = {};
    if (props.fixedEgressIp) {
      this.egressIp = new ec2.CfnEIP(this, 'EgressIp', {
        domain: 'vpc',
        tags: [{ key: 'Name', value: 'amhp-hub-webhook-egress' }],
      });
      this.vpc = new ec2.Vpc(this, 'Vpc', {
        maxAzs: 1,
        natGateways: 1,
        natGatewayProvider: ec2.NatProvider.gateway({ eipAllocationIds: [this.egressIp.attrAllocationId] }),
        subnetConfiguration: [
          // Holds the NAT gateway only, whose address is the Elastic IP: nothing gets a public IP by default.
          { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 28, mapPublicIpOnLaunch: false },
          { name: 'egress', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 28 },
        ],
        // Nothing uses the default security group; leaving it alone avoids a custom-resource Lambda.
        restrictDefaultSecurityGroup: false,
      });
      // DynamoDB without the NAT (no data-processing charge, traffic stays in AWS).
      this.vpc.addGatewayEndpoint('DynamoDb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
      // Which receivers the senders reached, and any traffic refused: next to the S3 access logs.
      const flowLogPrefix = 'vpc-flow-logs/';
      this.vpc.addFlowLog('FlowLog', {
        destination: ec2.FlowLogDestination.toS3(data.accessLogsBucket, flowLogPrefix),
        trafficType: ec2.FlowLogTrafficType.ALL,
      });
      // The log delivery service's access, in the template: EC2 would otherwise add it to the
      // bucket policy itself, and the next stack update of that policy would remove it again.
      const fromThisAccount = {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
      };
      const delivery = new iam.ServicePrincipal('delivery.logs.amazonaws.com');
      data.accessLogsBucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'FlowLogDeliveryWrite',
          principals: [delivery],
          actions: ['s3:PutObject'],
          resources: [data.accessLogsBucket.arnForObjects(`${flowLogPrefix}AWSLogs/${Aws.ACCOUNT_ID}/*`)],
          conditions: {
            ...fromThisAccount,
            StringEquals: { ...fromThisAccount.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' },
          },
        }),
      );
      data.accessLogsBucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'FlowLogDeliveryAclCheck',
          principals: [delivery],
          actions: ['s3:GetBucketAcl'],
          resources: [data.accessLogsBucket.bucketArn],
          conditions: fromThisAccount,
        }),
      );
      NagSuppressions.addResourceSuppressions(this.vpc, [
        {
          id: 'HIPAA.Security-VPCDefaultSecurityGroupClosed',
          reason:
            'Nothing in this VPC uses its default security group: both functions carry EgressOnly and the ' +
            'DynamoDB endpoint is a gateway endpoint (no network interface). Closing the default group ' +
            "would take CDK's custom-resource Lambda, one more function with its own role, for no traffic " +
            'it could stop.',
        },
      ]);
      for (const subnet of this.vpc.publicSubnets) {
        NagSuppressions.addResourceSuppressions(
          subnet,
          [
            {
              id: 'HIPAA.Security-VPCNoUnrestrictedRouteToIGW',
              reason:
                'The public subnet holds only the NAT gateway, whose whole purpose is to send the webhooks ' +
                'to receivers anywhere on the internet from one Elastic IP; its 0.0.0.0/0 route to the ' +
                'internet gateway is that path. The functions sit in the private subnet behind it, with an ' +
                'HTTPS-only egress group and no inbound rule.',
            },
          ],
          true,
        );
      }
      const egressOnly = new ec2.SecurityGroup(this, 'EgressOnly', {
        vpc: this.vpc,
        description: 'Webhook senders: no inbound, outbound HTTPS (and HTTP for KMS/DynamoDB endpoints) only',
        allowAllOutbound: false,
      });
      egressOnly.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to receivers, KMS and DynamoDB');
      network = {
        vpc: this.vpc,
        securityGroups: [egressOnly],
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      };
    }

    // --- the stream consumer
    this.consumer = new HubFunction(this, 'Consumer', {
      ...props.functionDefaults,
      ...network,
      entry: consumerDef.handler,
      description: 'The hub stream consumer: feedback deliveries to referrers and their first attempt',
      // First attempts stop after 20 s; the rest is writes.
      timeout: Duration.seconds(60),
    });
    this.consumer.grantData(data, consumerAccess(consumerDef.id));

    this.failures = data.failureQueue(this, 'Failures');
    this.consumer.function.addEventSource(
      data.tableStreamSource('hub', {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: consumerDef.batchSize,
        bisectBatchOnError: true,
        retryAttempts: props.retryAttempts ?? 10,
        maxRecordAge: props.maxRecordAge ?? Duration.hours(6),
        reportBatchItemFailures: true,
        onFailure: data.onFailure(this.failures),
        // New referral events only: state items, index markers, deliveries and everything
        // else on the table never invoke (or bill) the consumer.
        filters: consumerDef.pkPrefixes.map((prefix) =>
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: {
              Keys: {
                PK: { S: lambda.FilterRule.beginsWith(prefix) },
                SK: { S: lambda.FilterRule.beginsWith('EVENT#') },
              },
            },
          }),
        ),
      }),
    );
    NagSuppressions.addResourceSuppressions(this.consumer.function, [
      {
        id: 'HIPAA.Security-LambdaDLQ',
        reason:
          'Invoked only by its DynamoDB stream event source mapping, synchronously: a function DLQ applies ' +
          'to asynchronous invocations and would never receive anything. Failed batches go to the mapping ' +
          'on-failure queue (Failures, alarmed) and records that keep failing are parked in the table by ' +
          'the consumer.',
      },
    ]);
    suppressOnPrincipal(this.consumer, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'dynamodb:ListStreams (added by the DynamoDB event source for the mapping) has no resource-level ' +
          'permissions, so its resource must be *; it lists stream ARNs, not data. Stream reads themselves ' +
          'are granted on the hub table stream ARN only.',
        appliesTo: ['Resource::*'],
      },
    ]);

    // --- the delivery sweep
    this.delivery = new HubFunction(this, 'Delivery', {
      ...props.functionDefaults,
      ...network,
      entry: scheduleDef.handler,
      description: scheduleDef.description,
      // Attempts stop starting after 40 s; each lasts at most 5 s.
      timeout: Duration.seconds(60),
      // The next run comes within the minute and redoes whatever this one missed.
      retryAttempts: 0,
    });
    this.delivery.grantData(data, scheduleAccess(scheduleDef.id));
    this.rule = new events.Rule(this, 'Rule', {
      description: scheduleDef.description,
      schedule: events.Schedule.expression(scheduleDef.expression),
      targets: [
        new targets.LambdaFunction(this.delivery.function, { retryAttempts: 2, maxEventAge: Duration.minutes(1) }),
      ],
    });
    NagSuppressions.addResourceSuppressions(this.delivery.function, [
      {
        id: 'HIPAA.Security-LambdaDLQ',
        reason:
          'Invoked every minute by EventBridge with an empty scheduled event and retryAttempts 0: a DLQ ' +
          'would hold copies of that empty event. The work lives in the table (due deliveries), the next ' +
          'run within the minute picks up whatever this one missed, and parked deliveries raise their own ' +
          'alarm (Monitoring).',
      },
    ]);
  }
}
