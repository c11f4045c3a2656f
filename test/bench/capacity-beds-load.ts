/**
 * (a) of the capacity-and-analytics bench, the reads and the latencies: what GET
 * /v1/bed-availability reads (the capacity index, every unit, page by page: bytes and RCU), then
 * the GET and PUT /v1/bed-units/{id}/availability under load, each beside its bare DynamoDB
 * calls at the same concurrency.
 */
import { ulid } from 'ulid';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../../shared/data/pages.js';
import { HUB_INDEXES } from '../../shared/data/tables.js';
import { itemSizeBytes, queryRcu } from './capacity.js';
import { availabilityBody, type BedBench, type MeasuredUpdate } from './capacity-beds.js';
import { replaceStrings, routeBesideBare, sendCall, type BesideBare } from './phases.js';
import { auditIdsOf, type Item, type TransactItems } from './referral-capture.js';

export const READ_ROUTE = 'GET /v1/bed-availability';
export const UPDATE_ROUTE = 'PUT /v1/bed-units/{id}/availability';
const UPDATE_WARMUP = 20;

/** The read behind GET /v1/bed-availability: the capacity index, every unit, page by page. */
export async function capacityQuery(bench: BedBench) {
  let pages = 0;
  let rcu = 0;
  let localRcu = 0;
  const items = (await queryAll(
    bench.ddb(),
    {
      TableName: bench.tables.hub,
      IndexName: HUB_INDEXES.capacity.indexName,
      KeyConditionExpression: '#a = :a',
      ExpressionAttributeNames: { '#a': HUB_INDEXES.capacity.partitionKey.name },
      ExpressionAttributeValues: { ':a': 'BEDS#ALL' },
      ReturnConsumedCapacity: 'TOTAL',
    },
    (page) => {
      pages++;
      // RCU are charged per page: each page's bytes rounded up on their own.
      rcu += queryRcu(
        (page.Items ?? []).reduce((s, i) => s + itemSizeBytes(i), 0),
        true,
      );
      localRcu += page.ConsumedCapacity?.CapacityUnits ?? 0;
    },
  )) as Item[];
  return { items, pages, rcu, localRcu };
}

export interface ReadFigures extends BesideBare {
  readonly read: Awaited<ReturnType<typeof capacityQuery>>;
  readonly readBytes: number;
  readonly biggestUnit: number;
  /** Rows in the HTTP response (the route's limit applies after the read). */
  readonly rowsServed: number;
}

export async function measureRead(
  bench: BedBench,
  readerToken: string,
  calls: number,
  writeCost: { plain: number; keyed: number },
): Promise<ReadFigures> {
  const { send, phase, progress, recorder } = bench;
  const read = await capacityQuery(bench);
  const readBytes = read.items.reduce((s, i) => s + itemSizeBytes(i), 0);
  const biggestUnit = read.items.reduce((m, i) => Math.max(m, itemSizeBytes(i)), 0);
  const getAvailability = async () => {
    const res = await send('GET', '/v1/bed-availability', readerToken);
    if (res.status !== 200) throw new Error(`GET bed availability answered ${res.status}: ${res.text.slice(0, 200)}`);
    return res.text;
  };
  const rowsServed = (JSON.parse(await getAvailability()) as { items: unknown[] }).items.length;
  progress(
    `(a) update ${writeCost.plain} WCU (${writeCost.keyed} with a key); read ${read.items.length} ` +
      `units, ${readBytes} bytes`,
  );
  await phase(`warm-up ${READ_ROUTE}`, 10, 1, () => getAvailability().then(() => undefined));
  await phase('warm-up bare capacity Query', 10, 1, () => capacityQuery(bench).then(() => undefined));
  const measured = await routeBesideBare(
    recorder.census,
    (concurrency) => phase(READ_ROUTE, calls, concurrency, () => getAvailability().then(() => undefined)),
    (concurrency) =>
      phase('bare Query capacity index (all pages)', calls, concurrency, () =>
        capacityQuery(bench).then(() => undefined),
      ),
  );
  return { ...measured, read, readBytes, biggestUnit, rowsServed };
}

/**
 * The update under load. A unit is held by one request at a time (taken from the pool, put back
 * after), and every asOf is later than any sent before: no 409 (the route refuses an older or
 * equal asOf; it takes no If-Match). Bare: the measured update's own calls (its reads, then the
 * transaction) on another unit with a new asOf and audit id.
 */
export async function measureUpdates(
  bench: BedBench,
  unitIds: readonly string[],
  plain: MeasuredUpdate,
  updates: number,
): Promise<BesideBare> {
  const { ddb, send, bedsToken, phase, recorder } = bench;
  const pool = [...unitIds];
  let lastAsOf = Date.now();
  const nextAsOf = () => {
    lastAsOf = Math.max(lastAsOf + 1, Date.now() - 1000);
    return new Date(lastAsOf).toISOString();
  };
  const withUnit = async (fn: (unit: string) => Promise<void>) => {
    const unit = pool.shift();
    if (!unit) throw new Error('No free bed unit: concurrency above BENCH_UNITS');
    try {
      await fn(unit);
    } finally {
      pool.push(unit);
    }
  };
  const putAvailability = (i: number) =>
    withUnit(async (unit) => {
      const body = availabilityBody(i, nextAsOf());
      const res = await send('PUT', `/v1/bed-units/${unit}/availability`, bedsToken, body);
      if (res.status !== 200) throw new Error(`PUT availability answered ${res.status}: ${res.text.slice(0, 200)}`);
    });
  const items = plain.tx.input.TransactItems as TransactItems;
  const auditIds = auditIdsOf(items);
  const bareUpdate = () =>
    withUnit(async (unit) => {
      const map = new Map<string, string>([
        [plain.unit, unit],
        [plain.asOf, nextAsOf()],
        ...auditIds.map((a): [string, string] => [a, ulid()]),
      ]);
      for (const call of plain.reads) await sendCall(ddb(), replaceStrings(call, map));
      await ddb().send(new TransactWriteCommand({ TransactItems: replaceStrings(items, map) }));
    });
  await phase('warm-up PUT availability', UPDATE_WARMUP, 4, putAvailability);
  await phase('warm-up bare update', UPDATE_WARMUP, 4, bareUpdate);
  return routeBesideBare(
    recorder.census,
    (concurrency) => phase(UPDATE_ROUTE, updates, concurrency, putAvailability),
    (concurrency) => phase('bare update (reads + TransactWriteItems)', updates, concurrency, bareUpdate),
  );
}
