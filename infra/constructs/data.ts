/**
 * The Hub's data: one customer-managed KMS key, the three tables built from the ONE table
 * definition (`shared/data/tables.ts`), the `hub` table's Kinesis streaming destination, the AWS
 * Backup plan of the tables, the bucket that receives the S3 server access logs of the Hub's
 * buckets, and the encrypted on-failure queues of the stream consumers.
 */
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  DynamoEventSource,
  KinesisEventSource,
  type DynamoEventSourceProps,
  type KinesisEventSourceProps,
} from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions, type NagPackSuppression } from 'cdk-nag';
import { CALLER_REGISTRY, type DataAccess } from '../../functions/access.js';
import type { SecretId } from '../../functions/routes.js';
import { accessStatements, TABLE_KEY_READ_ACTIONS, viaService } from '../access-policy.js';
import { Construct } from 'constructs';
import { AccessLogsBucket } from './access-logs-bucket.js';
import { attribute, indexProps, pascal } from './table-props.js';
import { TABLE_ENV, TABLE_IDS, TABLES, type TableDef, type TableId } from '../../shared/data/tables.js';
import { SECRET_READ_ACTIONS, KINESIS_READ_ACTIONS, QUEUE_SEND_KEY_ACTIONS, LOGS_KEY_ACTIONS } from './data-actions.js';

export interface DataProps {
  /**
   * What happens to the key, tables and stream when they leave the stack.
   * @default RemovalPolicy.RETAIN - identifiable clinical data is never deleted by a deploy
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Shards of the `hub` table's Kinesis destination. Provisioned, not on-demand: the Hub's
   * write rate is a few per minute, and one provisioned shard costs about a third of an
   * on-demand stream at rest.
   * @default 1
   */
  readonly changeStreamShards?: number;
  /**
   * How long the Kinesis destination keeps records. The analytics consumer can be rebuilt
   * from the table, so the cheapest retention is enough.
   * @default 24 hours
   */
  readonly changeStreamRetention?: Duration;
}

export class Data extends Construct {
  /** Encrypts the tables, the Kinesis stream, queues, the audit archive and log groups. */
  readonly key: kms.Key;
  /** Keys held outside the data, by the id routes name them with (`RouteDef.secrets`). */
  readonly secrets: Record<SecretId, secretsmanager.Secret>;
  readonly tables: Record<TableId, dynamodb.Table>;
  /** The `hub` table's Kinesis streaming destination (the analytics feed). */
  readonly changeStream: kinesis.Stream;
  /** Daily and monthly backups of every table, beyond point-in-time recovery's 35 days. */
  readonly backupPlan: backup.BackupPlan;
  readonly backupVault: backup.BackupVault;
  /** Receives the S3 server access logs of the Hub's buckets (`serverAccessLogs(prefix)`). */
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.key = new kms.Key(this, 'Key', {
      description: 'AMHP Referral Hub data: tables, streams, queues, audit archive, logs',
      enableKeyRotation: true,
      removalPolicy,
    });
    // Keys held outside the data (duplicate matching, pseudonymisation): random, never in the
    // template, encrypted with the data key; a function reads one at start-up only if granted.
    const secret = (id: string, description: string) =>
      new secretsmanager.Secret(this, id, {
        description,
        encryptionKey: this.key,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.secrets = {
      personMatchKey: secret(
        'PersonMatchKey',
        'HMAC key for matching referrals of the same person (duplicate detection)',
      ),
      pseudonymisationKey: secret(
        'PseudonymisationKey',
        'HMAC key of the pseudonymous person and fact keys in the analytics data',
      ),
      cursorKey: secret('CursorKey', 'HMAC key that makes list cursors tamper-evident'),
    };
    const rotationReason =
      'An HMAC key, not a credential: rotating it changes every keyed hash derived from it (duplicate ' +
      'matching of people, pseudonymous person and fact keys across the analytics history), so it cannot ' +
      'rotate on a timer. Re-keying is a planned operation (new key, then npm run rebuild-analytics); the ' +
      'key is random, never in the template, encrypted with the data key and readable only by the functions ' +
      'that name it.';
    NagSuppressions.addResourceSuppressions(Object.values(this.secrets), [
      { id: 'AwsSolutions-SMG4', reason: rotationReason },
      { id: 'HIPAA.Security-SecretsManagerRotationEnabled', reason: rotationReason },
    ]);
    // CloudWatch Logs encrypts with the key itself, so it needs the key policy's permission
    // (an IAM grant cannot reach a service principal). Scoped to this account's log groups.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogs',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: LOGS_KEY_ACTIONS,
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn':
              `arn:${Aws.PARTITION}:logs:${Aws.REGION}:` + `${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );

    this.changeStream = new kinesis.Stream(this, 'ChangeStream', {
      streamMode: kinesis.StreamMode.PROVISIONED,
      shardCount: props.changeStreamShards ?? 1,
      retentionPeriod: props.changeStreamRetention ?? Duration.hours(24),
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: this.key,
      removalPolicy,
    });
    NagSuppressions.addResourceSuppressions(this.changeStream, [
      {
        id: 'AwsSolutions-KDS3',
        reason:
          'The change stream carries identifiable referral changes, so it is encrypted with the Hub data ' +
          'key (customer managed, rotated, one key policy for all Hub data) rather than aws/kinesis; the ' +
          'extra KMS cost of one low-volume shard is accepted.',
      },
    ]);

    const tables = {} as Record<TableId, dynamodb.Table>;
    for (const tableId of TABLE_IDS) {
      tables[tableId] = this.buildTable(tableId, TABLES[tableId], removalPolicy);
    }
    this.tables = tables;

    // AWS Backup: point-in-time recovery reaches back 35 days; these copies reach back a year,
    // in a vault whose recovery points nobody can delete before their lifecycle ends.
    this.backupVault = new backup.BackupVault(this, 'BackupVault', {
      encryptionKey: this.key,
      blockRecoveryPointDeletion: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.backupPlan = new backup.BackupPlan(this, 'BackupPlan', {
      backupPlanName: `${Stack.of(this).stackName}-tables`,
      backupVault: this.backupVault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: events.Schedule.cron({ hour: '2', minute: '0' }),
          deleteAfter: Duration.days(35),
        }),
        new backup.BackupPlanRule({
          ruleName: 'Monthly',
          scheduleExpression: events.Schedule.cron({ day: '1', hour: '3', minute: '0' }),
          deleteAfter: Duration.days(366),
        }),
      ],
    });
    const selection = this.backupPlan.addSelection('Tables', {
      resources: TABLE_IDS.map((tableId) => backup.BackupResource.fromDynamoDbTable(tables[tableId])),
      // Restores are an operator's decision, made with the operator's own role.
      allowRestores: false,
    });
    NagSuppressions.addResourceSuppressions(
      selection,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            "AWSBackupServiceRolePolicyForBackup is AWS Backup's own service-role policy for taking " +
            'backups of the selected tables; AWS maintains it as the service adds resource types, and the ' +
            'role can be assumed by backup.amazonaws.com only.',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup'],
        },
      ],
      true,
    );

    this.accessLogsBucket = new AccessLogsBucket(this, 'AccessLogs').bucket;
  }

  /** Server access logging of a Hub bucket into the access-logs bucket, under `prefix`. */
  serverAccessLogs(prefix: string): Pick<s3.BucketProps, 'serverAccessLogsBucket' | 'serverAccessLogsPrefix'> {
    return { serverAccessLogsBucket: this.accessLogsBucket, serverAccessLogsPrefix: prefix };
  }

  /**
   * An on-failure queue of a stream consumer's event source mapping: KMS-encrypted with the data
   * key, TLS only, 14 days. It receives batch metadata (shard, sequence numbers) after Lambda's
   * retries run out: an alarm (see Monitoring), not a store. Pass `onFailure(queue)` to the mapping.
   */
  failureQueue(scope: Construct, id: string): sqs.Queue {
    const queue = new sqs.Queue(scope, id, {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    NagSuppressions.addResourceSuppressions(queue, [
      {
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue IS a dead-letter destination: the on-failure destination of a Lambda event source ' +
          'mapping, holding the metadata of batches whose retries ran out. Nothing consumes it (an operator ' +
          'reads it after the alarm on its depth), so there is no receive to fail and no redrive to ' +
          'configure.',
      },
    ]);
    return queue;
  }

  /**
   * The mapping's on-failure destination for `queue`: like SqsDlq, but the function's role gets
   * only what sending to an encrypted queue takes (SqsDlq grants `kms:ReEncrypt*` and
   * `kms:GenerateDataKey*` through `grantSendMessages`).
   */
  onFailure(queue: sqs.Queue): lambda.IEventSourceDlq {
    const key = this.key;
    return {
      bind(_target: lambda.IEventSourceMapping, targetHandler: lambda.IFunction): lambda.DlqDestinationConfig {
        queue.grant(targetHandler, 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
        // Through SQS only: the role cannot use the key directly.
        targetHandler.addToRolePolicy(
          new iam.PolicyStatement({
            actions: [...QUEUE_SEND_KEY_ACTIONS],
            resources: [key.keyArn],
            conditions: viaService('sqs', Aws.REGION),
          }),
        );
        return { destination: queue.queueArn };
      },
    };
  }

  /** Every table's environment variable and physical name (see `shared/config.ts`). */
  get environment(): Record<string, string> {
    return {
      ...Object.fromEntries(TABLE_IDS.map((tableId) => [TABLE_ENV[tableId], this.tables[tableId].tableName])),
      // An ARN grants nothing; only functions that name the secret may read it.
      PERSON_MATCH_KEY_SECRET_ARN: this.secrets.personMatchKey.secretArn,
      PSEUDONYMISATION_KEY_SECRET_ARN: this.secrets.pseudonymisationKey.secretArn,
      CURSOR_KEY_SECRET_ARN: this.secrets.cursorKey.secretArn,
    };
  }

  /**
   * Grants what a handler's declaration in functions/access.ts says (see infra/access-policy.ts),
   * plus the registry reads of caller resolution for authenticated routes: nothing else reaches
   * a table or the data key from a handler.
   */
  grantAccess(grantee: iam.IGrantable, access: DataAccess, options: { resolvesCaller?: boolean } = {}): void {
    const refs = {
      tableArns: Object.fromEntries(TABLE_IDS.map((id) => [id, this.tables[id].tableArn])) as Record<TableId, string>,
      keyArn: this.key.keyArn,
      region: Aws.REGION,
    };
    const extra = options.resolvesCaller ? [{ table: 'hub' as const, use: CALLER_REGISTRY }] : [];
    for (const statement of accessStatements(access, refs, extra))
      grantee.grantPrincipal.addToPrincipalPolicy(statement);
  }

  /**
   * A table's DynamoDB stream as an event source. Like `new DynamoEventSource(table, props)`,
   * but the stream reads it grants use the data key through DynamoDB only: CDK's own grant adds
   * an unconditioned kms:Decrypt, which would let the consumer use the key directly.
   */
  tableStreamSource(tableId: TableId, props: DynamoEventSourceProps): DynamoEventSource {
    const table = this.tables[tableId];
    const streamArn = table.tableStreamArn;
    if (!streamArn) throw new Error(`Table ${tableId} has no stream`);
    const keyArn = this.key.keyArn;
    const keyScoped = {
      node: table.node,
      tableStreamArn: streamArn,
      grantStreamRead: (grantee: iam.IGrantable): iam.Grant => {
        // ListStreams takes no resource-level permission; it lists stream ARNs, not data.
        iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:ListStreams'], resourceArns: ['*'] });
        grantee.grantPrincipal.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: [...TABLE_KEY_READ_ACTIONS],
            resources: [keyArn],
            conditions: viaService('dynamodb', Aws.REGION),
          }),
        );
        return iam.Grant.addToPrincipal({
          grantee,
          actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          resourceArns: [streamArn],
        });
      },
    };
    return new DynamoEventSource(keyScoped as unknown as dynamodb.ITable, props);
  }

  /**
   * The change stream (Kinesis) as an event source, its reads using the data key through Kinesis only (as
   * tableStreamSource).
   */
  changeStreamSource(props: KinesisEventSourceProps): KinesisEventSource {
    const stream = this.changeStream;
    const keyArn = this.key.keyArn;
    const keyScoped = {
      node: stream.node,
      streamArn: stream.streamArn,
      grantRead: (grantee: iam.IGrantable): iam.Grant => {
        grantee.grantPrincipal.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['kms:Decrypt'],
            resources: [keyArn],
            conditions: viaService('kinesis', Aws.REGION),
          }),
        );
        return stream.grant(grantee, ...KINESIS_READ_ACTIONS);
      },
    };
    return new KinesisEventSource(keyScoped as unknown as kinesis.IStream, props);
  }

  /**
   * Secrets Manager decrypts a secret with the data key on the reader's behalf: kms:Decrypt
   * through Secrets Manager only, with the read of the one secret. Both in the reader's own
   * policy: `secret.grantRead` would also name the reader's role in the key policy, redundant
   * beside the key policy's account statement, and a dependency cycle once the role's policy is
   * inline (the role names the key, the key would name the role).
   */
  grantSecretRead(grantee: iam.IGrantable, secretId: SecretId): void {
    const resourceArns = [this.secrets[secretId].secretArn];
    iam.Grant.addToPrincipal({ grantee, actions: [...SECRET_READ_ACTIONS], resourceArns });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: viaService('secretsmanager', Aws.REGION),
      }),
    );
  }

  /** Key use of a function that reads or writes one of the Hub's KMS-encrypted buckets (S3 calls KMS for it). */
  grantKeyViaS3(grantee: iam.IGrantable, ...actions: string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions, resources: [this.key.keyArn], conditions: viaService('s3', Aws.REGION) }),
    );
  }

  private buildTable(tableId: TableId, def: TableDef, removalPolicy: RemovalPolicy): dynamodb.Table {
    // Table, not TableV2: TableV2 renders AWS::DynamoDB::GlobalTable, whose stream settings and
    // Kinesis destination are per replica; the Hub is single-region and `audit` wants NEW_IMAGE.
    const table = new dynamodb.Table(this, `${pascal(tableId)}Table`, {
      partitionKey: attribute(def.partitionKey),
      sortKey: attribute(def.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy,
      ...(def.ttlAttribute ? { timeToLiveAttribute: def.ttlAttribute } : {}),
      ...(def.stream ? { stream: dynamodb.StreamViewType[def.stream] } : {}),
      ...(def.kinesisDestination ? { kinesisStream: this.changeStream } : {}),
    });
    // CloudFormation adds at most one GSI per table update; creating them with the table (as
    // the definition intends) is the one moment they can all arrive together.
    for (const index of def.indexes) table.addGlobalSecondaryIndex(indexProps(index));
    return table;
  }
}

/**
 * Suppressions on the policy of a grantee's role: cdk-nag reports policy findings on the role's
 * DefaultPolicy, which exists once something has been granted (only there, not on the role, so
 * the template carries each reason once).
 */
export const suppressOnPrincipal = (grantee: iam.IGrantable, suppressions: NagPackSuppression[]): void => {
  const principal = grantee.grantPrincipal;
  if (!(principal instanceof iam.Role)) return;
  NagSuppressions.addResourceSuppressions(
    principal.node.tryFindChild('DefaultPolicy') ?? principal,
    suppressions,
    true,
  );
};
