/**
 * The write-once copy of the access audit: the `audit` table's stream feeds
 * `functions/audit/archive.ts`, which puts each new record into an S3 bucket under Object Lock
 * in COMPLIANCE mode, where nobody (root included) can change or delete it before its
 * retention ends.
 */
import { Duration, Stack, type CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { PRIVATE_BUCKET } from './buckets.js';
import { ARCHIVE_BUCKET_ENV, ARCHIVE_PREFIX } from '../../functions/audit/archive.js';
import { suppressOnPrincipal, type Data } from './data.js';
import { HubFunction, type HubFunctionDefaults } from './hub-function.js';
import { consumersBuiltBy, onlyOne } from '../../functions/functions.js';
import type { ConsumerDef } from '../../functions/schedules.js';

export interface AuditArchiveProps {
  readonly data: Data;
  readonly functionDefaults: HubFunctionDefaults;
  /**
   * Days each archived record stays locked. COMPLIANCE retention can be lengthened but never
   * shortened, and nobody can delete a record before it ends, so the information governance
   * lead should confirm the figure before the first deploy. The default is 8 years, the
   * minimum the NHS Records Management Code of Practice sets for adult health records.
   * @default 2922
   */
  readonly retentionDays?: number;
  /** The one whose `builtBy` is 'auditArchive' is built. @default CONSUMERS */
  readonly consumers?: readonly ConsumerDef[];
  /** @default the consumer's batchSize */
  readonly batchSize?: number;
  /** @default 10 */
  readonly retryAttempts?: number;
  /**
   * Older records go to the on-failure queue. Kept well inside the stream's 24 hours, so an
   * operator can still read the failed records from the shard the queue message points to.
   * @default Duration.hours(6)
   */
  readonly maxRecordAge?: Duration;
}

export class AuditArchive extends Construct {
  readonly bucket: s3.Bucket;
  readonly function: HubFunction;
  /** Receives only batch metadata (shard, sequence numbers) after retries run out: an alarm, not a store. */
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: AuditArchiveProps) {
    super(scope, id);
    const { data } = props;
    const def = onlyOne(consumersBuiltBy('auditArchive', props.consumers), 'audit archiver');
    if (def.source !== 'dynamodb-stream' || def.table !== 'audit')
      throw new Error(`${def.id} must read the audit table's DynamoDB stream`);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(props.retentionDays ?? 2922)),
      versioned: true,
      ...PRIVATE_BUCKET,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: data.key,
      // One data key per bucket instead of a KMS call per object.
      bucketKeyEnabled: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Who read or wrote which archived record, and when (the archive's own access trail).
      ...data.serverAccessLogs('audit-archive/'),
    });
    NagSuppressions.addResourceSuppressions(this.bucket, [
      {
        id: 'HIPAA.Security-S3BucketReplicationEnabled',
        reason:
          'The audit copy stays in eu-west-2 (London), where the Hub keeps its data: replication would ' +
          'move identifiable access records out of the region. Against loss it has S3 multi-AZ durability, ' +
          'versioning and COMPLIANCE Object Lock, and the audit table itself (PITR and AWS Backup).',
      },
    ]);

    this.failures = data.failureQueue(this, 'Failures');

    this.function = new HubFunction(this, 'Archiver', {
      ...props.functionDefaults,
      // Needs no table names: it only sees stream records.
      environment: { [ARCHIVE_BUCKET_ENV]: this.bucket.bucketName },
      entry: def.handler,
      description: 'Copies each new audit record to the Object Lock bucket',
      timeout: Duration.seconds(60),
    });
    // Put only, and only under the archive prefix: the archiver can neither read nor
    // overwrite (Object Lock keeps versions anyway) nor list the archive.
    this.function.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${ARCHIVE_PREFIX}*`)],
      }),
    );
    // The bucket's SSE-KMS data keys, through S3 only. No table access: it sees stream records only.
    data.grantKeyViaS3(this.function, 'kms:GenerateDataKey');
    const bucketRef = `<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>`;

    this.function.function.addEventSource(
      data.tableStreamSource('audit', {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize ?? def.batchSize,
        maxBatchingWindow: Duration.seconds(5),
        bisectBatchOnError: true,
        retryAttempts: props.retryAttempts ?? 10,
        maxRecordAge: props.maxRecordAge ?? Duration.hours(6),
        reportBatchItemFailures: true,
        onFailure: data.onFailure(this.failures),
      }),
    );
    NagSuppressions.addResourceSuppressions(this.function.function, [
      {
        id: 'HIPAA.Security-LambdaDLQ',
        reason:
          'Invoked only by the audit table stream event source mapping, synchronously: a function DLQ ' +
          'applies to asynchronous invocations and would never receive anything. Batches whose retries run ' +
          'out go to the mapping on-failure queue (Failures), which is alarmed.',
      },
    ]);
    suppressOnPrincipal(this.function, [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          `s3:PutObject on the archive prefix of the audit archive bucket (${ARCHIVE_PREFIX}*): object ARNs ` +
          `need a key pattern, and the archiver writes one object per audit record under that prefix; it ` +
          `cannot read, list or delete.`,
        appliesTo: [`Resource::${bucketRef}/${ARCHIVE_PREFIX}*`],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'dynamodb:ListStreams (added by the DynamoDB event source for the mapping) has no resource-level ' +
          'permissions, so its resource must be *; it lists stream ARNs, not data. Stream reads are granted ' +
          'on the audit table stream ARN only.',
        appliesTo: ['Resource::*'],
      },
    ]);
  }
}
