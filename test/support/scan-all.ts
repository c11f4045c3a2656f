/**
 * Every item of a table, all pages: the tests' and the soak's reconciliation reads. It lives here,
 * not in shared/data, because no request-path code may scan (ARCHITECTURE); it runs on the data
 * layer's one paging loop.
 */
import { ScanCommand, type DynamoDBDocumentClient, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { allItems, startingAt } from '../../shared/data/pages.js';
import { readable } from './readable-item.js';

export const scanAll = async (
  client: DynamoDBDocumentClient,
  input: Omit<ScanCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> =>
  (await allItems((startKey) => client.send(new ScanCommand({ ...input, ...startingAt(startKey) })))).map(readable);
