/**
 * Section 3 of the referral bench: the bytes and RCU of one 100-row board page (the board GSI's
 * entries as projected, cross-checked from the stored items), and GET
 * /v1/referrals?view=board&limit=100 beside a bare Query of the board index.
 */
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { HUB_INDEXES, PK, SK } from '../../shared/data/tables.js';
import { indexEntry, indexEntrySize, itemSizeBytes } from './capacity.js';
import { fetchWithToken } from './harness.js';
import type { Counted, PhaseResult } from './phases.js';
import { transactionOf } from './recorder.js';
import type { Item, TransactItems } from './referral-capture.js';
import type { ReferralBench } from './referral-context.js';

const TABLE_KEYS = [PK, SK] as const;
export const BOARD_ROUTE = 'GET /v1/referrals?view=board&limit=100';

export interface BoardFigures {
  readonly route: PhaseResult;
  readonly bare: PhaseResult;
  readonly census: Counted;
  /** The access audit one board read writes (a side effect the page's RCU does not show). */
  readonly auditTx: TransactItems | undefined;
  /** Rows in the HTTP response. */
  readonly rows: number;
  /** DynamoDB Local's own RCU for the page, when it reported one. */
  readonly localRcu: number | undefined;
  readonly entryCount: number;
  readonly entryBytes: number;
  readonly projectedBytes: number;
  readonly storedStateBytes: number;
  readonly largestEntry: number;
  /** One entry's bytes by attribute, the largest first. */
  readonly entryParts: readonly (readonly [string, number])[];
}

export async function measureBoard(
  bench: ReferralBench,
  boardToken: string,
  serviceId: string,
  calls: number,
): Promise<BoardFigures> {
  const { url, ddb, tables, recorder, phase, progress } = bench;
  const boardQuery = () =>
    ddb().send(
      new QueryCommand({
        TableName: tables.hub,
        IndexName: HUB_INDEXES.board.indexName,
        KeyConditionExpression: '#k = :k',
        ExpressionAttributeNames: { '#k': HUB_INDEXES.board.partitionKey.name },
        ExpressionAttributeValues: { ':k': `SERVICE#${serviceId}#OPEN` },
        Limit: 100,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  const page = await boardQuery();
  const entries = (page.Items ?? []) as Item[];
  if (entries.length < 100) progress(`board index holds only ${entries.length} open referrals of ${serviceId}`);
  const entryBytes = entries.reduce((s, e) => s + itemSizeBytes(e), 0);
  // Cross-check: the same entries derived from the stored items by the index's projection.
  const keys = entries.map((e) => ({ [PK]: e[PK], [SK]: e[SK] }));
  const stored: Item[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    const out = await ddb().send(
      new BatchGetCommand({ RequestItems: { [tables.hub]: { Keys: keys.slice(i, i + 100) } } }),
    );
    stored.push(...((out.Responses?.[tables.hub] ?? []) as Item[]));
  }
  const projectedBytes = stored.reduce((s, item) => s + (indexEntrySize(item, HUB_INDEXES.board, TABLE_KEYS) ?? 0), 0);
  // What one board entry is made of, by attribute (the largest contributors first).
  const sample = stored[0] ? (indexEntry(stored[0], HUB_INDEXES.board, TABLE_KEYS) ?? {}) : {};
  const entryParts = Object.entries(sample)
    .map(([name, value]) => [name, itemSizeBytes({ [name]: value })] as const)
    .sort((a, b) => b[1] - a[1]);

  const getBoard = async () => {
    const res = await fetchWithToken(url, 'GET', '/v1/referrals?view=board&limit=100', boardToken);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET board answered ${res.status}: ${text.slice(0, 300)}`);
    return text;
  };
  // One board read with its side-effect transaction (the access audit) captured.
  const { value: boardText, calls: boardCalls } = await recorder.record(getBoard);
  const warmups = Math.min(10, calls);
  await phase('warm-up GET board', warmups, 1, () => getBoard().then(() => undefined));
  await phase('warm-up bare board Query', warmups, 1, () => boardQuery().then(() => undefined));
  const census = await recorder.census.during(() =>
    phase(BOARD_ROUTE, calls, 1, () => getBoard().then(() => undefined)),
  );
  const bare = await phase('bare Query board (Limit 100)', calls, 1, () => boardQuery().then(() => undefined));
  return {
    route: census.result,
    bare,
    census,
    auditTx: transactionOf(boardCalls)?.items,
    rows: (JSON.parse(boardText) as { items: unknown[] }).items.length,
    localRcu: page.ConsumedCapacity?.CapacityUnits,
    entryCount: entries.length,
    entryBytes,
    projectedBytes,
    storedStateBytes: stored.reduce((s, item) => s + itemSizeBytes(item), 0),
    largestEntry: entries.reduce((m, e) => Math.max(m, itemSizeBytes(e)), 0),
    entryParts,
  };
}
