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

/** The partition of one resource's trail: the table's own key (shared/data/tables.ts). */
export const auditResourcePartition = (resourceType: string, resourceId: string) => `${resourceType}#${resourceId}`;

const keysOf = (record: AuditRecord) => {
  // Time first, then the record's own ULID: unique, and every partition reads in time order.
  const atKey = `${record.at}#${record.auditId}`;
  return {
    [PK]: auditResourcePartition(record.resourceType, record.resourceId),
    [SK]: atKey,
    [AUDIT_INDEXES.byOrganisation.partitionKey.name]: `ORG#${record.organisationId}`,
    [AUDIT_INDEXES.byDay.partitionKey.name]: `DAY#${record.at.slice(0, 10)}`,
    [AUDIT_INDEXES.byDay.sortKey.name]: atKey,
  };
};

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
  const { [PK]: _p, [SK]: _s, organisationKey: _o, dayKey: _d, atKey: _a, ...rest } = item;
  return rest as AuditRecord;
};

/** The three ways an auditor asks: by resource (the table's own key), by organisation, by day (the GSIs). */
export type AuditQueryBy = 'resource' | keyof typeof AUDIT_INDEXES;

/** The partition and sort attributes a query by that way reads (and a cursor must carry). */
export const auditKeysOf = (by: AuditQueryBy): { partition: string; sort: string; indexName?: string } =>
  by === 'resource'
    ? { partition: PK, sort: SK }
    : {
        partition: AUDIT_INDEXES[by].partitionKey.name,
        sort: AUDIT_INDEXES[by].sortKey.name,
        indexName: AUDIT_INDEXES[by].indexName,
      };

export interface AuditQueryInput {
  index: AuditQueryBy;
  partition: string;
  from?: string;
  to?: string;
  limit: number;
  startKey?: Record<string, unknown>;
}

export async function queryAudit(
  q: AuditQueryInput,
): Promise<{ records: AuditRecord[]; lastKey?: Record<string, unknown> }> {
  const keys = auditKeysOf(q.index);
  const range =
    q.from && q.to ? ' AND #s BETWEEN :from AND :to' : q.from ? ' AND #s >= :from' : q.to ? ' AND #s <= :to' : '';
  const out = await ddb().send(
    new QueryCommand({
      TableName: tableName('audit'),
      ...(keys.indexName ? { IndexName: keys.indexName } : {}),
      KeyConditionExpression: `#p = :p${range}`,
      ExpressionAttributeNames: { '#p': keys.partition, ...(range ? { '#s': keys.sort } : {}) },
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
