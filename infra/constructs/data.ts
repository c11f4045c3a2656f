/**
 * The Hub's data: one customer-managed KMS key, the three tables built from the ONE table
 * definition (`infra/tables.ts`), and the `hub` table's Kinesis streaming destination.
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { SecretId } from '../../functions/routes.js';
import { REGISTRY_PARTITION_PATTERNS } from '../../shared/data/registry-repository.js';
import { Construct } from 'constructs';
import { TABLE_ENV, TABLE_IDS, TABLES, type IndexDef, type KeyDef, type TableDef, type TableId } from '../tables.js';

/**
 * `append` is for the audit table: put only, so no function can rewrite or delete an audit
 * record even by mistake (the repository uses `attribute_not_exists` as well).
 */
export type TableAccess = 'read' | 'readWrite' | 'append' | 'registry';

// Scan is deliberately absent: no request path may Scan (ARCHITECTURE "Data model notes"),
// and leaving it out of IAM turns an accidental Scan into an AccessDenied in the first test
// deploy rather than a cost surprise later.
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const ACTIONS: Record<TableAccess, readonly string[]> = {
  read: READ_ACTIONS,
  readWrite: [...READ_ACTIONS, ...WRITE_ACTIONS],
  append: ['dynamodb:PutItem'],
  // Caller resolution only: item reads limited to the registry's partitions (see grant()).
  registry: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
};

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
      personMatchKey: secret('PersonMatchKey', 'HMAC key for matching referrals of the same person (duplicate detection)'),
      pseudonymisationKey: secret('PseudonymisationKey', 'HMAC key of the pseudonymous person and fact keys in the analytics data'),
    };
    // CloudWatch Logs encrypts with the key itself, so it needs the key policy's permission
    // (an IAM grant cannot reach a service principal). Scoped to this account's log groups.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogs',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` },
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

    const tables = {} as Record<TableId, dynamodb.Table>;
    for (const tableId of TABLE_IDS) {
      tables[tableId] = this.buildTable(tableId, TABLES[tableId], removalPolicy);
    }
    this.tables = tables;
  }

  /** Every table's environment variable and physical name (see `shared/config.ts`). */
  get environment(): Record<string, string> {
    return {
      ...Object.fromEntries(TABLE_IDS.map((tableId) => [TABLE_ENV[tableId], this.tables[tableId].tableName])),
      // An ARN grants nothing; only functions that name the secret may read it.
      PERSON_MATCH_KEY_SECRET_ARN: this.secrets.personMatchKey.secretArn,
      PSEUDONYMISATION_KEY_SECRET_ARN: this.secrets.pseudonymisationKey.secretArn,
    };
  }

  /** Grants data-plane access to one table and its indexes, with the key use it implies. */
  grant(grantee: iam.IGrantable, tableId: TableId, access: TableAccess): iam.Grant {
    const table = this.tables[tableId];
    if (access === 'registry') {
      // Analysts' functions resolve their caller from the registry but must never read a
      // referral: item reads on the table only, and only in registry partitions.
      const grant = iam.Grant.addToPrincipal({ grantee, actions: [...ACTIONS.registry], resourceArns: [table.tableArn] });
      grant.principalStatement?.addCondition('ForAllValues:StringLike', { 'dynamodb:LeadingKeys': [...REGISTRY_PARTITION_PATTERNS] });
      this.key.grantDecrypt(grantee);
      return grant;
    }
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: [...ACTIONS[access]],
      resourceArns: [table.tableArn, `${table.tableArn}/index/*`],
    });
    if (access === 'read') this.key.grantDecrypt(grantee);
    else this.key.grantEncryptDecrypt(grantee);
    return grant;
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

const attribute = (key: KeyDef): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

const indexProps = (index: IndexDef): dynamodb.GlobalSecondaryIndexProps => {
  const keys = {
    indexName: index.indexName,
    partitionKey: attribute(index.partitionKey),
    ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
  };
  switch (index.projection.type) {
    case 'ALL':
      return { ...keys, projectionType: dynamodb.ProjectionType.ALL };
    case 'KEYS_ONLY':
      return { ...keys, projectionType: dynamodb.ProjectionType.KEYS_ONLY };
    case 'INCLUDE':
      return { ...keys, projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection.attributes] };
  }
};

const pascal = (value: string): string => value.charAt(0).toUpperCase() + value.slice(1);
