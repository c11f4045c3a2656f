/**
 * The optimistic-concurrency Put of a register entry: a create (`previousVersion` null) fails if
 * the entry exists meanwhile, a replace fails unless the stored version is the one the caller read.
 */
import { PK } from './tables.js';
import { tableName } from './client.js';
import type { WriteItem } from './transact.js';

export const versionedPut = (
  item: Record<string, unknown>,
  previousVersion: number | null,
  errors: { created: () => Error; stale: () => Error },
): WriteItem => ({
  item: {
    Put: {
      TableName: tableName('hub'),
      Item: item,
      ...(previousVersion === null
        ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }
        : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previousVersion } }),
    },
  },
  onConditionFailed: previousVersion === null ? errors.created : errors.stale,
});
