/** Creates (or completes) the local tables from the one definition in `shared/data/tables.ts`. */
import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type Projection as SdkProjection,
} from '@aws-sdk/client-dynamodb';
import { TABLES, TABLE_IDS, type IndexDef, type TableDef, type TableId } from '../../shared/data/tables.js';

export type TableNames = Record<TableId, string>;

/** Physical names: the logical id, prefixed so that test suites can keep their own tables. */
export const tableNames = (prefix = ''): TableNames =>
  Object.fromEntries(TABLE_IDS.map((id) => [id, `${prefix}${id}`])) as TableNames;

const projection = (index: IndexDef): SdkProjection =>
  index.projection.type === 'INCLUDE'
    ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] }
    : { ProjectionType: index.projection.type };

const gsi = (index: IndexDef): GlobalSecondaryIndex => ({
  IndexName: index.indexName,
  KeySchema: [
    { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
    ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' as const }] : []),
  ],
  Projection: projection(index),
});

const attributeDefinitions = (def: TableDef): AttributeDefinition[] => {
  const keys = [
    def.partitionKey,
    def.sortKey,
    ...def.indexes.flatMap((i) => [i.partitionKey, ...(i.sortKey ? [i.sortKey] : [])]),
  ];
  const seen = new Map<string, AttributeDefinition>();
  for (const key of keys) seen.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  return [...seen.values()];
};

async function describe(client: DynamoDBClient, name: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** Creates missing tables and adds missing indexes; existing data is kept. */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  for (const id of TABLE_IDS) {
    const def: TableDef = TABLES[id];
    const name = names[id];
    const existing = await describe(client, name);
    if (!existing) {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions(def),
          KeySchema: [
            { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: def.sortKey.name, KeyType: 'RANGE' },
          ],
          ...(def.indexes.length ? { GlobalSecondaryIndexes: def.indexes.map(gsi) } : {}),
          ...(def.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream } } : {}),
        }),
      );
      if (def.ttlAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { Enabled: true, AttributeName: def.ttlAttribute },
          }),
        );
      }
      continue;
    }
    const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    for (const index of def.indexes.filter((i) => !present.has(i.indexName))) {
      await client.send(
        new UpdateTableCommand({
          TableName: name,
          AttributeDefinitions: attributeDefinitions(def),
          GlobalSecondaryIndexUpdates: [{ Create: gsi(index) }],
        }),
      );
    }
  }
}
