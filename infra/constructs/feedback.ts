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
 *   NAT gateway holds a fixed Elastic IP, for receivers that allow-list senders;
 * - the KMS permissions for webhook secrets: sealing at subscription, opening at delivery, each
 *   bound to the secrets' encryption context.
 */
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CONSUMERS } from '../../functions/consumers.js';
import { SCHEDULES, type ConsumerDef, type ScheduleDef } from '../../functions/schedules.js';
import type { Data } from './data.js';
import { HubFunction, type HubFunctionDefaults } from './hub-function.js';

export const FEEDBACK_CONSUMER_ID = 'operational';
export const FEEDBACK_DELIVERY_SCHEDULE_ID = 'feedbackDelivery';
/** The route that seals new secrets. */
export const FEEDBACK_SEALING_ROUTE_ID = 'createSubscription';
/** Read by shared/secrets/webhook-secrets.ts. */
export const FEEDBACK_KMS_KEY_ENV = 'FEEDBACK_KMS_KEY_ARN';
/** Every secret is sealed with this in its encryption context (see subscription-repository.ts). */
export const FEEDBACK_SECRET_PURPOSE = 'feedback-webhook-secret';

/** The schedule list without the ones this construct builds (give this to `Schedules`). */
export const schedulesBuiltElsewhere = (schedules: readonly ScheduleDef[] = SCHEDULES): readonly ScheduleDef[] =>
  schedules.filter((s) => s.id !== FEEDBACK_DELIVERY_SCHEDULE_ID);

export interface FeedbackProps {
  readonly data: Data;
  readonly functionDefaults: HubFunctionDefaults;
  /** The API's route functions by route id: the one that creates subscriptions gets the key to seal secrets. */
  readonly routeFunctions?: ReadonlyMap<string, HubFunction>;
  /** @default CONSUMERS */
  readonly consumers?: readonly ConsumerDef[];
  /** @default SCHEDULES */
  readonly schedules?: readonly ScheduleDef[];
  /**
   * Run the consumer and the delivery sweep in a VPC (one AZ, private subnet) whose NAT gateway
   * has a fixed Elastic IP, so every webhook comes from one published address. Costs a NAT
   * gateway (≈ $0.05 an hour in eu-west-2 plus data processed) and an Elastic IP.
   * @default false
   */
  readonly fixedEgressIp?: boolean;
  /** Lambda's retries of a failing batch (the consumer parks a record itself after its ConsumerDef `maxAttempts`). @default 10 */
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
  private readonly keyArn: string;

  constructor(scope: Construct, id: string, props: FeedbackProps) {
    super(scope, id);
    const { data } = props;
    this.keyArn = data.key.keyArn;
    const consumerDef = (props.consumers ?? CONSUMERS).find((c) => c.id === FEEDBACK_CONSUMER_ID);
    const scheduleDef = (props.schedules ?? SCHEDULES).find((s) => s.id === FEEDBACK_DELIVERY_SCHEDULE_ID);
    if (!consumerDef) throw new Error(`No stream consumer ${FEEDBACK_CONSUMER_ID} in functions/consumers.ts`);
    if (!scheduleDef) throw new Error(`No schedule ${FEEDBACK_DELIVERY_SCHEDULE_ID} in functions/schedules.ts`);
    if (consumerDef.source !== 'dynamodb-stream' || consumerDef.table !== 'hub') throw new Error(`${FEEDBACK_CONSUMER_ID} must read the hub table's DynamoDB stream`);
    const keyEnv = { [FEEDBACK_KMS_KEY_ENV]: data.key.keyArn };

    // --- the stream consumer
    this.consumer = new HubFunction(this, 'Consumer', {
      ...props.functionDefaults,
      environment: { ...props.functionDefaults.environment, ...keyEnv },
      entry: consumerDef.handler,
      description: 'The hub stream consumer: feedback deliveries to referrers and their first attempt',
      // First attempts stop after 20 s; the rest is writes.
      timeout: Duration.seconds(60),
    });
    this.consumer.bindTable(data, 'hub', 'readWrite');
    this.grantOpen(this.consumer);

    this.failures = new sqs.Queue(this, 'Failures', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: data.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.consumer.function.addEventSource(
      new DynamoEventSource(data.tables.hub, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: consumerDef.batchSize,
        bisectBatchOnError: true,
        retryAttempts: props.retryAttempts ?? 10,
        maxRecordAge: props.maxRecordAge ?? Duration.hours(6),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failures),
        // New referral events only: state items, index markers, deliveries and everything
        // else on the table never invoke (or bill) the consumer.
        filters: consumerDef.pkPrefixes.map((prefix) =>
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: { Keys: { PK: { S: lambda.FilterRule.beginsWith(prefix) }, SK: { S: lambda.FilterRule.beginsWith('EVENT#') } } },
          }),
        ),
      }),
    );

    // --- the delivery sweep
    this.delivery = new HubFunction(this, 'Delivery', {
      ...props.functionDefaults,
      environment: { ...props.functionDefaults.environment, ...keyEnv },
      entry: scheduleDef.handler,
      description: scheduleDef.description,
      // Attempts stop starting after 40 s; each lasts at most 5 s.
      timeout: Duration.seconds(60),
      // The next run comes within the minute and redoes whatever this one missed.
      retryAttempts: 0,
    });
    this.delivery.bindTable(data, 'hub', 'readWrite');
    this.grantOpen(this.delivery);
    this.rule = new events.Rule(this, 'Rule', {
      description: scheduleDef.description,
      schedule: events.Schedule.expression(scheduleDef.expression),
      targets: [new targets.LambdaFunction(this.delivery.function, { retryAttempts: 2, maxEventAge: Duration.minutes(1) })],
    });

    // --- sealing at subscription
    const sealer = props.routeFunctions?.get(FEEDBACK_SEALING_ROUTE_ID);
    if (sealer) {
      sealer.function.addEnvironment(FEEDBACK_KMS_KEY_ENV, data.key.keyArn);
      sealer.function.addToRolePolicy(this.secretStatement(['kms:Encrypt']));
    }

    // --- optional fixed egress address
    if (props.fixedEgressIp) {
      this.egressIp = new ec2.CfnEIP(this, 'EgressIp', { domain: 'vpc', tags: [{ key: 'Name', value: 'amhp-hub-webhook-egress' }] });
      this.vpc = new ec2.Vpc(this, 'Vpc', {
        maxAzs: 1,
        natGateways: 1,
        natGatewayProvider: ec2.NatProvider.gateway({ eipAllocationIds: [this.egressIp.attrAllocationId] }),
        subnetConfiguration: [
          { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 28 },
          { name: 'egress', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 28 },
        ],
        // Nothing uses the default security group; leaving it alone avoids a custom-resource Lambda.
        restrictDefaultSecurityGroup: false,
      });
      // DynamoDB without the NAT (no data-processing charge, traffic stays in AWS).
      this.vpc.addGatewayEndpoint('DynamoDb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
      const egressOnly = new ec2.SecurityGroup(this, 'EgressOnly', {
        vpc: this.vpc,
        description: 'Webhook senders: no inbound, outbound HTTPS (and HTTP for KMS/DynamoDB endpoints) only',
        allowAllOutbound: false,
      });
      egressOnly.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to receivers, KMS and DynamoDB');
      for (const fn of [this.consumer, this.delivery]) this.placeInVpc(fn, this.vpc, egressOnly);
    }
  }

  /** kms:Decrypt of webhook secrets only (the encryption context says what was sealed). */
  private grantOpen(fn: HubFunction): void {
    fn.function.addToRolePolicy(this.secretStatement(['kms:Decrypt']));
  }

  private secretStatement(actions: string[]): iam.PolicyStatement {
    return new iam.PolicyStatement({
      actions,
      resources: [this.keyArn],
      conditions: { StringEquals: { 'kms:EncryptionContext:purpose': FEEDBACK_SECRET_PURPOSE } },
    });
  }

  /**
   * HubFunction takes no VPC (it is every handler's construct): attach this one through its
   * CloudFormation resource, as lambda.Function does itself.
   */
  private placeInVpc(fn: HubFunction, vpc: ec2.Vpc, securityGroup: ec2.SecurityGroup): void {
    const subnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    const cfn = fn.function.node.defaultChild as lambda.CfnFunction;
    cfn.vpcConfig = { subnetIds: subnets.subnetIds, securityGroupIds: [securityGroup.securityGroupId] };
    fn.function.role?.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
    // No invocation before the NAT route exists (a function in a VPC without egress times out).
    cfn.node.addDependency(subnets.internetConnectivityEstablished);
  }
}
