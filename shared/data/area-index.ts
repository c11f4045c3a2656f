/**
 * The sparse `capacity` index of `hub`, used as a small "area" index: every item that belongs to
 * a short list read in one go (bed units, places of safety, open bed requests, a service's AMHP
 * register) carries `areaPk` = the list and `areaSk` = its order within it.
 */
import { queryAll } from './pages.js';
import { HUB_INDEXES, PK, SK } from './tables.js';
import { ddb, tableName } from './client.js';

export const areaKeys = (partition: string, sort: string) => ({
  [HUB_INDEXES.capacity.partitionKey.name]: partition,
  [HUB_INDEXES.capacity.sortKey.name]: sort,
});

/** An item without its table and index keys: what a view is built from. */
export const withoutKeys = <T>(item: Record<string, unknown>): T => {
  const {
    [PK]: _p,
    [SK]: _s,
    [HUB_INDEXES.capacity.partitionKey.name]: _a,
    [HUB_INDEXES.capacity.sortKey.name]: _b,
    ...rest
  } = item;
  return rest as T;
};

export interface AreaFilter {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/** Every item of one list, all pages; `bytes` is what the reads cost (from consumed capacity). */
export async function queryArea<T>(partition: string, filter?: AreaFilter): Promise<{ items: T[]; bytes: number }> {
  let bytes = 0;
  const items = await queryAll(
    ddb(),
    {
      TableName: tableName('hub'),
      IndexName: HUB_INDEXES.capacity.indexName,
      KeyConditionExpression: '#a = :a',
      ExpressionAttributeNames: { '#a': HUB_INDEXES.capacity.partitionKey.name, ...(filter?.names ?? {}) },
      ExpressionAttributeValues: { ':a': partition, ...(filter?.values ?? {}) },
      ...(filter ? { FilterExpression: filter.expression } : {}),
      ReturnConsumedCapacity: 'TOTAL',
    },
    (page) => {
      bytes += (page.ConsumedCapacity?.CapacityUnits ?? 0) * 8192;
    },
  );
  return { items: items.map((i) => withoutKeys<T>(i)), bytes };
}
