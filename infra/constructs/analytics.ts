/**
 * The analytics feed in AWS (ARCHITECTURE.md, data flow): the `hub` table's Kinesis Data Streams
 * destination feeds each Kinesis consumer of `functions/consumers.ts`, which writes de-identified
 * facts and roll-ups to `analytics` and every fact version to the export bucket
 * (`facts/received_day=YYYY-MM-DD/<factKey>/<changeSeq>.json`, see shared/data/fact-export.ts).
 * Glue describes those records as the table `facts` (partition projection: no crawler, no
 * partition maintenance) and an Athena workgroup with a saved query makes the view of the latest
 * version of each fact. National, multi-year analysis runs there, not through the API.
 *
 * A consumer's role reaches `analytics`, the export prefix and the stream, never `hub` as a
 * table: analysts' data is built from the change feed only.
 */
import { Aws, Duration, Stack, type CfnElement } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { PRIVATE_BUCKET } from './buckets.js';
import { consumersBuiltBy } from '../../functions/functions.js';
import type { ConsumerDef } from '../../functions/schedules.js';
import { DIMENSIONS, INTERVALS } from '../../shared/deidentify/facts.js';
import { PK, TABLES } from '../../shared/data/tables.js';
import { suppressOnPrincipal, type Data } from './data.js';
import { consumerAccess } from './schedule.js';
import { HubFunction, type HubFunctionDefaults } from './hub-function.js';
import { ENV } from '../../shared/env.js';

/** Environment variable of the export bucket (read by shared/data/fact-export.ts). */
export const EXPORT_BUCKET_ENV = ENV.exportBucket;
/** Where fact versions go in the bucket; the Glue table's location. */
export const FACTS_PREFIX = 'facts/';
/** Where the Athena workgroup writes query results (kept apart from the facts). */
export const ATHENA_RESULTS_PREFIX = 'athena-results/';
/** The Glue table over the fact records and the view of each fact's latest version. */
export const FACTS_TABLE = 'facts';
export const FACTS_LATEST_VIEW = 'facts_latest';

export interface AnalyticsProps {
  readonly data: Data;
  readonly functionDefaults: HubFunctionDefaults;
  /** @default the consumers whose `builtBy` is 'analytics' */
  readonly consumers?: readonly ConsumerDef[];
  /**
   * Records older than this go to the on-failure queue. Well inside the stream's 24 hours, so
   * an operator can still read the failed records from the shard the queue message points to;
   * anything lost after that is recovered by `npm run rebuild-analytics` from the table.
   * @default Duration.hours(6)
   */
  readonly maxRecordAge?: Duration;
  /**
   * Glue database of the export. One per account and region: give each stack its own.
   * @default 'amhp_hub_analytics'
   */
  readonly databaseName?: string;
  /**
   * First received day Athena projects (yyyy-MM-dd). Days outside the range are invisible to
   * queries; a day without data costs one empty S3 listing when a query does not filter by day.
   * @default '2020-01-01'
   */
  readonly factsFrom?: string;
  /**
   * Noncurrent versions of export objects expire after this many days (see the lifecycle rule).
   * @default 400
   */
  readonly noncurrentVersionDays?: number;
}

export class Analytics extends Construct {
  /** The export: every fact version, KMS-encrypted with the data key, versioned, retained. */
  readonly bucket: s3.Bucket;
  /** Consumer functions by consumer id. */
  readonly functions: ReadonlyMap<string, HubFunction>;
  /** On-failure queues by consumer id: batch metadata only after retries run out (an alarm, not a store). */
  readonly failures: ReadonlyMap<string, sqs.Queue>;
  readonly database: glue.CfnDatabase;
  readonly factsTable: glue.CfnTable;
  readonly workGroup: athena.CfnWorkGroup;
  /** Creates `facts_latest`; run once in the workgroup after the first deploy (and after a column change). */
  readonly latestView: athena.CfnNamedQuery;

  private readonly data: Data;

  constructor(scope: Construct, id: string, props: AnalyticsProps) {
    super(scope, id);
    const { data } = props;
    this.data = data;
    const consumers = props.consumers ?? consumersBuiltBy('analytics');
    const databaseName = props.databaseName ?? 'amhp_hub_analytics';

    this.bucket = new s3.Bucket(this, 'ExportBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: data.key,
      // One data key per bucket instead of a KMS call per object.
      bucketKeyEnabled: true,
      ...PRIVATE_BUCKET,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        {
          id: 'NoncurrentFactVersions',
          prefix: FACTS_PREFIX,
          // Each fact version has its own key (changeSeq is in it), so a noncurrent version only
          // comes from a repeated write of the same version (identical bytes: stream repeats, a
          // rebuild) or from a deletion. Keeping them 400 days lets an accidental or malicious
          // deletion be undone across a whole annual reporting cycle plus a month's margin;
          // after that they are only cost. Current versions never expire: they are the record.
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays ?? 400),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        {
          id: 'AthenaResults',
          prefix: ATHENA_RESULTS_PREFIX,
          // Query results are copies of what the facts already hold: a month to download them.
          expiration: Duration.days(30),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      ...data.serverAccessLogs('analytics-export/'),
    });
    NagSuppressions.addResourceSuppressions(this.bucket, [
      {
        id: 'HIPAA.Security-S3BucketReplicationEnabled',
        reason:
          'De-identified facts that can be rebuilt from the hub table at any time (npm run ' +
          'rebuild-analytics); kept in eu-west-2 with the rest of the Hub data. Versioning and S3 multi-AZ ' +
          'durability cover deletion and loss; a cross-region copy would add cost and a second place to ' +
          'secure for no recovery need.',
      },
    ]);

    const functions = new Map<string, HubFunction>();
    const failures = new Map<string, sqs.Queue>();
    for (const def of consumers) {
      if (def.source !== 'kinesis')
        throw new Error(`Consumer ${def.id}: the Analytics construct wires Kinesis consumers only`);
      const table = TABLES[def.table];
      if (!('kinesisDestination' in table) || !table.kinesisDestination) {
        throw new Error(`Consumer ${def.id}: table ${def.table} has no Kinesis streaming destination`);
      }
      const { fn, queue } = this.consumer(def, props);
      functions.set(def.id, fn);
      failures.set(def.id, queue);
    }
    this.functions = functions;
    this.failures = failures;

    // Glue: the fact records as a table. Column names are lower case because Athena's are; the
    // OpenX SerDe matches JSON keys case-insensitively, struct fields included.
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: databaseName,
        description: 'AMHP Referral Hub: de-identified demand facts (export of the analytics feed)',
      },
    });
    const struct = (fields: readonly string[], type: string) =>
      `struct<${fields.map((f) => `${f.toLowerCase()}:${type}`).join(',')}>`;
    const columns: glue.CfnTable.ColumnProperty[] = [
      { name: 'factkey', type: 'string', comment: 'Keyed hash of the referral id' },
      { name: 'personkey', type: 'string', comment: 'Keyed hash of the person; null for an unidentified person' },
      { name: 'receivedday', type: 'string', comment: 'London date of receipt (yyyy-MM-dd), as in the partition' },
      { name: 'dims', type: struct(DIMENSIONS, 'string') },
      { name: 'urgency', type: 'string' },
      { name: 'status', type: 'string' },
      { name: 'intervals', type: struct(INTERVALS, 'int'), comment: 'Whole minutes' },
      { name: 'escalations', type: 'array<string>' },
      { name: 'breaches', type: 'array<string>' },
      { name: 'changeseq', type: 'int', comment: 'Version of the fact: the latest per factkey is current' },
    ];
    const location = `s3://${this.bucket.bucketName}/${FACTS_PREFIX}`;
    this.factsTable = new glue.CfnTable(this, 'FactsTable', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName,
      tableInput: {
        name: FACTS_TABLE,
        description: 'Every version of every demand fact; query facts_latest for the current one',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [{ name: 'received_day', type: 'string' }],
        parameters: {
          classification: 'json',
          // Partition projection: Athena computes the day partitions, so no crawler runs and
          // no partition is ever added. London dates can be a day ahead of UTC's NOW.
          'projection.enabled': 'true',
          'projection.received_day.type': 'date',
          'projection.received_day.format': 'yyyy-MM-dd',
          'projection.received_day.range': `${props.factsFrom ?? '2020-01-01'},NOW+1DAYS`,
          'projection.received_day.interval': '1',
          'projection.received_day.interval.unit': 'DAYS',
          'storage.location.template': `${location}received_day=\${received_day}/`,
        },
        storageDescriptor: {
          location,
          columns,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            // A record that does not parse is an error to see, not a row to skip silently.
            parameters: { 'case.insensitive': 'TRUE', 'ignore.malformed.json': 'FALSE' },
          },
        },
      },
    });
    this.factsTable.addDependency(this.database);

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: `${Stack.of(this).stackName}-analytics`,
      description: 'De-identified demand facts of the AMHP Referral Hub',
      state: 'ENABLED',
      workGroupConfiguration: {
        // Analysts cannot point results elsewhere or turn encryption off.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${this.bucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: data.key.keyArn },
          expectedBucketOwner: Aws.ACCOUNT_ID,
        },
      },
    });

    const viewColumns = [...columns.map((c) => c.name), 'received_day'].join(', ');
    this.latestView = new athena.CfnNamedQuery(this, 'FactsLatestView', {
      name: `${FACTS_LATEST_VIEW} (create the view)`,
      description:
        'The latest version (highest changeseq) of each fact. Run once after deploy and after a column change.',
      database: databaseName,
      workGroup: this.workGroup.name,
      queryString:
        `CREATE OR REPLACE VIEW ${FACTS_LATEST_VIEW} AS SELECT ${viewColumns} FROM ` +
        (`(SELECT f.*, row_number() OVER (PARTITION BY f.factkey ORDER BY f.changeseq DESC) AS rn ` +
          `FROM ${FACTS_TABLE} f) `) +
        'WHERE rn = 1',
    });
    this.latestView.addDependency(this.workGroup);
    this.latestView.addDependency(this.factsTable);
  }

  /**
   * Lets a function read the fact records (extract routes): objects under the facts prefix and
   * listing of that prefix only, with the key use it implies. Sets EXPORT_BUCKET on a HubFunction.
   */
  grantExportRead(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject'],
      resourceArns: [this.bucket.arnForObjects(`${FACTS_PREFIX}*`)],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${FACTS_PREFIX}*`] } },
    });
    this.data.grantKeyViaS3(grantee, 'kms:Decrypt');
    suppressOnPrincipal(grantee, [this.factsObjectsSuppression('s3:GetObject of fact records for extracts: reads')]);
    if (grantee instanceof HubFunction) grantee.function.addEnvironment(EXPORT_BUCKET_ENV, this.bucket.bucketName);
    return grant;
  }

  private consumer(def: ConsumerDef, props: AnalyticsProps): { fn: HubFunction; queue: sqs.Queue } {
    const { data } = props;
    const queue = data.failureQueue(this, `Failures-${def.id}`);

    const fn = new HubFunction(this, `Consumer-${def.id}`, {
      ...props.functionDefaults,
      // Every table name (config refuses to start without them; a name grants nothing) and the bucket.
      environment: { ...props.functionDefaults.environment, [EXPORT_BUCKET_ENV]: this.bucket.bucketName },
      entry: def.handler,
      description: `Stream consumer ${def.id}: hub changes (Kinesis) to de-identified facts, roll-ups and the export`,
      // A batch of 100 changes is a few hundred small writes; a timeout retries the batch anyway.
      timeout: Duration.seconds(60),
    });
    fn.grantData(data, consumerAccess(def.id));
    for (const secret of def.secrets ?? []) data.grantSecretRead(fn.function, secret);
    // Put only, and only under the facts prefix: the consumer can neither read, list nor delete
    // the export (versioning keeps what a repeat overwrites).
    fn.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${FACTS_PREFIX}*`)],
      }),
    );
    data.grantKeyViaS3(fn, 'kms:GenerateDataKey');

    fn.function.addEventSource(
      data.changeStreamSource({
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: def.batchSize,
        maxBatchingWindow: Duration.seconds(5),
        bisectBatchOnError: true,
        // The consumer is changeSeq-guarded, so retried records are harmless; it does not park
        // records itself, so Lambda's retries are its attempts before the on-failure queue.
        retryAttempts: def.maxAttempts,
        maxRecordAge: props.maxRecordAge ?? Duration.hours(6),
        reportBatchItemFailures: true,
        onFailure: data.onFailure(queue),
        // Kinesis Data Streams for DynamoDB writes each change as JSON, so Lambda can filter on
        // the decoded `data`: only the partitions the consumer reads are delivered (and billed).
        filters: [
          lambda.FilterCriteria.filter({
            data: {
              dynamodb: {
                Keys: { [PK]: { S: def.pkPrefixes.flatMap((prefix) => lambda.FilterRule.beginsWith(prefix)) } },
              },
            },
          }),
        ],
      }),
    );
    NagSuppressions.addResourceSuppressions(fn.function, [
      {
        id: 'HIPAA.Security-LambdaDLQ',
        reason:
          'Invoked only by its Kinesis event source mapping, synchronously: a function DLQ applies to ' +
          'asynchronous invocations and would never receive anything. Batches whose retries run out go to ' +
          'the mapping on-failure queue, which is alarmed, and the facts can be rebuilt from the table.',
      },
    ]);
    suppressOnPrincipal(fn, [this.factsObjectsSuppression('s3:PutObject of fact versions by the consumer: writes')]);
    return { fn, queue };
  }

  /** IAM5 on `<export bucket>/facts/*`: object ARNs need a key pattern; this one is the facts prefix only. */
  private factsObjectsSuppression(what: string) {
    const bucketRef = `<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>`;
    return {
      id: 'AwsSolutions-IAM5',
      reason:
        `${what} objects under the ${FACTS_PREFIX} prefix of the analytics export bucket only (object ARNs ` +
        `need a key pattern; one object per fact version). Nothing else in the bucket, no delete.`,
      appliesTo: [`Resource::${bucketRef}/${FACTS_PREFIX}*`],
    };
  }
}
