/**
 * "Read every page": the one loop over DynamoDB's paged reads (each page ends with a
 * LastEvaluatedKey until the last). Takes the client, so repositories (ddb()), scripts and tests
 * (their own clients, either the document or the low-level one) share it. Request-path code
 * never scans; the tests' whole-table reads are test/support/scan-all.ts, on this same loop.
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

// biome-ignore lint/suspicious/noExplicitAny: keys are whatever the client's items are (document or AttributeValue)
type Key = Record<string, any>;

export interface Page<I> {
  readonly Items?: I[];
  readonly LastEvaluatedKey?: Key;
  readonly ConsumedCapacity?: { CapacityUnits?: number };
}

/** `ExclusiveStartKey` for a page after the first, nothing for the first. */
export const startingAt = (startKey: Key | undefined) => (startKey ? { ExclusiveStartKey: startKey } : {});

/** Every page of a paged read, in order; `read` is given the key to start after (none first). */
export async function* pagesOf<P extends Page<unknown>>(
  read: (startKey: Key | undefined) => Promise<P>,
): AsyncGenerator<P> {
  let startKey: Key | undefined;
  do {
    const page = await read(startKey);
    yield page;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** Every item of every page; `onPage` sees each page (e.g. for consumed capacity). */
export async function allItems<I>(
  read: (startKey: Key | undefined) => Promise<Page<I>>,
  onPage?: (page: Page<I>) => void,
): Promise<I[]> {
  const items: I[] = [];
  for await (const page of pagesOf(read)) {
    items.push(...(page.Items ?? []));
    onPage?.(page);
  }
  return items;
}

/** Every item a Query matches, all pages. */
export const queryAll = (
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  onPage?: (page: Page<Record<string, unknown>>) => void,
): Promise<Record<string, unknown>[]> =>
  allItems((startKey) => client.send(new QueryCommand({ ...input, ...startingAt(startKey) })), onPage);
