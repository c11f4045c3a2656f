/**
 * Builds a function's data permissions from its declaration in `functions/access.ts`: the only
 * way the stack grants table or data-key access to a handler. Pure (ARNs in, statements out),
 * so a test can feed it a fabricated declaration and see exactly what it would grant.
 *
 * - Table actions go on the table ARN; index queries on the named index ARNs only (never
 *   `index/*`); `partitions` become a `dynamodb:LeadingKeys` condition.
 * - The data key is usable by a table handler only through DynamoDB (`kms:ViaService`): the
 *   role cannot call KMS directly with it, so it cannot open anything the key seals elsewhere.
 *   Reading needs kms:Decrypt (and DescribeKey); writing also the encrypt-side actions.
 * - Webhook secrets: kms:Encrypt (seal) or kms:Decrypt (open) on direct KMS calls, only with the
 *   encryption context `purpose` the secrets are sealed with (shared/secrets/webhook-secrets.ts).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type { DataAccess, TableUse } from '../functions/access.js';
import { WEBHOOK_SECRET_PURPOSE } from '../shared/data/subscription-repository.js';
import { TABLE_IDS, type TableId } from '../shared/data/tables.js';

/** What DynamoDB asks of the caller's key permissions to read items of a table under a customer managed key. */
export const TABLE_KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'] as const;
/**
 * And to write them: what `grantEncryptDecrypt` grants, spelled out instead of
 * `kms:ReEncrypt*` / `kms:GenerateDataKey*`, so a future KMS action never arrives with a prefix.
 */
export const TABLE_KEY_WRITE_ACTIONS = [
  ...TABLE_KEY_READ_ACTIONS,
  'kms:Encrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
] as const;

export interface AccessRefs {
  readonly tableArns: Record<TableId, string>;
  readonly keyArn: string;
  /** For `kms:ViaService`: `dynamodb.<region>.amazonaws.com`. */
  readonly region: string;
}

/** `dynamodb.<region>.amazonaws.com`: the only way a table handler may use the data key. */
export const viaService = (service: string, region: string): { StringEquals: { 'kms:ViaService': string } } => ({
  StringEquals: { 'kms:ViaService': `${service}.${region}.amazonaws.com` },
});

const tableStatements = (tableArn: string, use: TableUse<string>): iam.PolicyStatement[] => {
  const statements: iam.PolicyStatement[] = [];
  const actions = [...(use.read ?? []), ...(use.write ?? [])].map((a) => `dynamodb:${a}`);
  const conditions = use.partitions?.length
    ? { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...use.partitions] } }
    : undefined;
  if (actions.length)
    statements.push(new iam.PolicyStatement({ actions, resources: [tableArn], ...(conditions ? { conditions } : {}) }));
  if (use.indexes?.length) {
    statements.push(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: use.indexes.map((index) => `${tableArn}/index/${index}`),
        ...(conditions ? { conditions } : {}),
      }),
    );
  }
  return statements;
};

/** Every table use of a declaration, plus any added by the caller (e.g. the caller registry). */
export const tableUses = (
  access: DataAccess,
  extra: readonly { table: TableId; use: TableUse }[] = [],
): { table: TableId; use: TableUse<string> }[] => [
  ...TABLE_IDS.flatMap((table) => (access[table] ? [{ table, use: access[table] as TableUse<string> }] : [])),
  ...extra,
];

/** The statements a declaration grants. */
export function accessStatements(
  access: DataAccess,
  refs: AccessRefs,
  extra: readonly { table: TableId; use: TableUse }[] = [],
): iam.PolicyStatement[] {
  const uses = tableUses(access, extra);
  for (const { table, use } of uses) {
    // Append-only by construction, whatever a declaration says.
    if (table === 'audit' && (use.write ?? []).some((a) => a !== 'PutItem'))
      throw new Error('The audit table is append-only: PutItem is the only write');
  }
  const statements = uses.flatMap(({ table, use }) => tableStatements(refs.tableArns[table], use));
  if (uses.length) {
    const writes = uses.some(({ use }) => (use.write ?? []).length > 0);
    statements.push(
      new iam.PolicyStatement({
        actions: [...(writes ? TABLE_KEY_WRITE_ACTIONS : TABLE_KEY_READ_ACTIONS)],
        resources: [refs.keyArn],
        conditions: viaService('dynamodb', refs.region),
      }),
    );
  }
  if (access.webhookSecrets) {
    statements.push(
      new iam.PolicyStatement({
        actions: [access.webhookSecrets === 'seal' ? 'kms:Encrypt' : 'kms:Decrypt'],
        resources: [refs.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': WEBHOOK_SECRET_PURPOSE } },
      }),
    );
  }
  return statements;
}
