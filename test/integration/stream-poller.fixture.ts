/**
 * The local stream poller against DynamoDB Local's real stream: event shapes, filtering,
 * partial batch failure, parking, independent consumers, restart and drain. Every test makes
 * its own tables, so no test (or parallel test file) sees another's stream records.
 *
 * Split by concern into stream-poller-shapes.test.ts, stream-poller-routing.test.ts.
 * This module holds their shared setup and helpers; its hooks run in every file that imports it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, inject } from 'vitest';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { localDynamoClient } from '../../infra/local/dynamodb.js';
import {
  createStreamPoller,
  type PollerConsumer,
  type StreamPoller,
  type StreamPollerOptions,
} from '../../infra/local/stream-poller.js';
import { ensureTables, tableNames, type TableNames } from '../../infra/local/tables.js';

export const endpoint = inject('dynamoEndpoint');
export const client = localDynamoClient(endpoint);
export const doc = DynamoDBDocumentClient.from(client);
export const pollers: StreamPoller[] = [];
export const errors: { kind: string; name: string }[] = [];

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
});
afterAll(() => client.destroy());

export async function freshTables(): Promise<TableNames> {
  const names = tableNames(`poller-${randomUUID().slice(0, 8)}-`);
  await ensureTables(client, names);
  return names;
}

export function poller(
  names: TableNames,
  consumers: PollerConsumer[],
  extra: Partial<StreamPollerOptions> = {},
): StreamPoller {
  const p = createStreamPoller({
    endpoint,
    tableName: names.hub,
    parkTableName: names.hub,
    consumers,
    pollIntervalMs: 20,
    backoff: { baseMs: 2, maxMs: 10 },
    onError: (error, context) => errors.push({ kind: context.kind, name: (error as Error).name }),
    ...extra,
  });
  pollers.push(p);
  return p;
}

export const put = (table: string, item: Record<string, unknown>) =>
  doc.send(new PutCommand({ TableName: table, Item: item }));
export const pkOf = (r: DynamoDBRecord) => r.dynamodb!.Keys!.PK!.S!;
export const decode = (r: KinesisStreamRecord) => JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8'));

/** A DynamoDB-shaped consumer that records every batch it is given. */
export function recorder(id: string, extra: Partial<PollerConsumer> = {}) {
  const batches: DynamoDBRecord[][] = [];
  const consumer = {
    id,
    shape: 'dynamodb-stream' as const,
    handler: async (event: DynamoDBStreamEvent) => {
      batches.push(event.Records);
    },
    ...extra,
  } as PollerConsumer;
  return { consumer, batches, records: () => batches.flat() };
}
