/** One partition of a table, read consistently (test-only: checks of what a write left behind). */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PK } from '../../shared/data/tables.js';
import { readable } from './readable-item.js';

export const queryPartition = async (
  doc: DynamoDBDocumentClient,
  table: string,
  pk: string,
): Promise<Record<string, any>[]> =>
  (
    (
      await doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': PK },
          ExpressionAttributeValues: { ':p': pk },
          ConsistentRead: true,
        }),
      )
    ).Items ?? []
  ).map(readable);
