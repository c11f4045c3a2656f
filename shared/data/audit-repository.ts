/**
 * The access audit (DOMAIN §8): append-only. Every key is written with attribute_not_exists and
 * there is deliberately no update or delete function in this module or anywhere else.
 */
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { AUDIT_INDEXES, PK, SK } from './tables.js';
import type { AuditRecord } from '../schemas/audit.js';
import { ddb, tableName } from './client.js';

export type AuditEntry = Omit<AuditRecord, 'auditId' | 'at'> & { at?: string };

const keysOf = (record: AuditRecord) => ({
  [PK]: `AUDIT#${record.auditId}`,
  [SK]: 'RECORD',
  [AUDIT_INDEXES.byResource.partitionKey.name]: `${record.resourceType}#${record.resourceId}`,
  [AUDIT_INDEXES.byOrganisation.partitionKey.name]: `ORG#${record.organisationId}`,
  [AUDIT_INDEXES.byDay.partitionKey.name]: `DAY#${record.at.slice(0, 10)}`,
  atKey: `${record.at}#${record.auditId}`,
});

export const newAuditRecord = (entry: AuditEntry, now: Date): AuditRecord => ({
  ...entry,
  auditId: ulid(now.getTime()),
  at: entry.at ?? now.toISOString(),
});

/** A Put for a transaction: the write and its audit commit together or not at all. */
export const auditPut = (record: AuditRecord) => ({
  Put: {
    TableName: tableName('audit'),
    Item: { ...record, ...keysOf(record) },
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

/** Appends audit records for a read; throws if they could not be written (the read fails closed). */
export async function appendAudit(records: readonly AuditRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 100) {
    await ddb().send(new TransactWriteCommand({ TransactItems: records.slice(i, i + 100).map(auditPut) }));
  }
}

const stripKeys = (item: Record<string, unknown>): AuditRecord => {
  const { [PK]: _p, [SK]: _s, resourceKey: _r, organisationKey: _o, dayKey: _d, atKey: _a, ...rest } = item;
  return rest as AuditRecord;
};

export interface AuditQueryInput {
  index: keyof typeof AUDIT_INDEXES;
  partition: string;
  from?: string;
  to?: string;
  limit: number;
  startKey?: Record<string, unknown>;
}

export async function queryAudit(
  q: AuditQueryInput,
): Promise<{ records: AuditRecord[]; lastKey?: Record<string, unknown> }> {
  const index = AUDIT_INDEXES[q.index];
  const range =
    q.from && q.to
      ? ' AND atKey BETWEEN :from AND :to'
      : q.from
        ? ' AND atKey >= :from'
        : q.to
          ? ' AND atKey <= :to'
          : '';
  const out = await ddb().send(
    new QueryCommand({
      TableName: tableName('audit'),
      IndexName: index.indexName,
      KeyConditionExpression: `#p = :p${range}`,
      ExpressionAttributeNames: { '#p': index.partitionKey.name },
      ExpressionAttributeValues: {
        ':p': q.partition,
        ...(q.from ? { ':from': q.from } : {}),
        // '~' sorts after every ULID character, so the whole last millisecond is included.
        ...(q.to ? { ':to': `${q.to}~` } : {}),
      },
      Limit: q.limit,
      ...(q.startKey ? { ExclusiveStartKey: q.startKey } : {}),
    }),
  );
  return {
    records: (out.Items ?? []).map(stripKeys),
    ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}),
  };
}
