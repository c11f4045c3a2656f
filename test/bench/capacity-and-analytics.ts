/**
 * `npm run bench` (after the referral bench): the capacity and analytics figures of ARCHITECTURE.md
 * "Cost and performance targets". It PRINTS figures; never a pass/fail test (exit 0 whatever the
 * figures; non-zero only when the bench itself breaks).
 *
 * One run, one DynamoDB Local in memory, the local HTTP stack in this process (per-client
 * throttling off: the handlers are measured, not the limiter; stream poller and timer idle):
 * (a) bed availability: 200 units created through PUT /v1/bed-units/{id} as provider-p-beds,
 *     each given a snapshot. The write capacity of one PUT /v1/bed-units/{id}/availability by
 *     AWS's rules (test/bench/capacity.ts): its transaction items captured from the handlers'
 *     document client, an update priced at the larger of the item before and after, each GSI
 *     write by what happens to the entry (capacity.ts indexWritesOf) at 1 WCU per KB; beside
 *     DynamoDB Local's own (under-reported) figure. The bytes and RCU that GET
 *     /v1/bed-availability reads (the capacity index Query over every unit, as the handler pages
 *     it). Latency through the local HTTP stack, p50/p99 and req/s at concurrency 1 and 16,
 *     each beside its bare DynamoDB calls at the same concurrency (ratio of the p50s):
 *     - GET /v1/bed-availability as amhp-case-system, CALLS requests per concurrency; bare: the
 *       handler's Query of the capacity index partition, every page.
 *     - PUT /v1/bed-units/{id}/availability as provider-p-beds (no Idempotency-Key), UPDATES
 *       requests per concurrency, each on a unit no other request in flight holds (a pool of
 *       the BENCH_UNITS units) with an asOf later than any sent before (the route refuses an older or
 *       equal asOf with 409; it takes no If-Match); bare: the calls one update makes, captured
 *       from the handlers' document client (GetItem of the unit, then TransactWriteItems: the
 *       unit's state updated on its asOf condition, the snapshot kept, the audit) and replayed
 *       on the same pool with the unit id, asOf and audit id swapped.
 * (b) records/s through de-identification on one core: demandFactOf + rollupDelta over 50,000
 *     synthetic referral records (pure), and the same behind the Kinesis decoding the consumer
 *     does (base64 → JSON → unmarshall). Goal ≥ 5,000/s.
 * (c) a one-year demand extract of a 5,000-referral service: 5,000 referrals' facts and roll-ups
 *     written through the analytics consumer's handleChange (spread over 365 days and 2 LSSAs),
 *     then GET /v1/extracts/demand?period=month&from=<Jan 1>&to=<Dec 31>&by=agencyType,outcome
 *     as the analytics-dashboard client: the first call and p50/p99. Goal ≤ 2 s.
 *
 * Bounded and loopback only; the measured phases are capped in time. Tunables: BENCH_UNITS (200),
 * BENCH_CALLS (100), BENCH_UPDATES (400), BENCH_DEID (50000), BENCH_REFERRALS (5000),
 * BENCH_PHASE_CAP_S (45).
 */
import { httpSender, progressTo, runBench, withBenchStack } from './harness.js';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ulid } from 'ulid';
import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { IndexDef } from '../../shared/data/tables.js';
import { AUDIT_INDEXES, HUB_INDEXES, PK, SK } from '../../shared/data/tables.js';
import { KB, indexWritesOf, itemSizeBytes, queryRcu, transactionalWcu } from './capacity.js';
import { demandYear } from './capacity-demand.js';
import { measureDeidentification, timed } from './capacity-synthetic.js';
import {
  envInt,
  met,
  ms,
  percentile,
  perfRow,
  perfTable,
  phaseNotes,
  replaceStrings,
  runPhase,
  sendCall,
  table,
  Census,
  censusText,
  type CapturedCall,
  type Counted,
  type PhaseResult,
} from './phases.js';

const UNITS = envInt('BENCH_UNITS', 200);
const CALLS = envInt('BENCH_CALLS', 100);
const UPDATES = envInt('BENCH_UPDATES', 400);
const UPDATE_WARMUP = 20;
const PHASE_CAP_MS = envInt('BENCH_PHASE_CAP_S', 45) * 1000;
const HIGH_CONCURRENCY = 16;
const DEID = envInt('BENCH_DEID', 50_000);
const REFERRALS = envInt('BENCH_REFERRALS', 5_000);
const GOALS = { deidPerSecond: 5_000, extractMs: 2_000 } as const;
const TABLE_KEYS = [PK, SK] as const;
const LSSAS = ['E06000055', 'E06000056'] as const;

const progress = progressTo('bench:capacity+analytics');
const phase = (label: string, count: number, concurrency: number, op: (i: number) => Promise<void>) =>
  runPhase(label, count, concurrency, op, { capMs: PHASE_CAP_MS, progress });

type Item = Record<string, unknown>;
type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

async function main(): Promise<void> {
  const runStarted = performance.now();
  const yearStart = Date.UTC(new Date().getUTCFullYear() - 1, 0, 1);
  // (b) first: pure code on one core, before anything else warms or loads the process.
  const { pureSeconds, changeSeconds, decodedSeconds } = measureDeidentification(DEID, yearStart, LSSAS, progress);

  await withBenchStack(progress, async ({ stack, url, data: { ddb, tableName } }) => {
    const { handleChange } = await import('../../functions/stream/analytics.js');
    const tables = { hub: tableName('hub'), audit: tableName('audit'), analytics: tableName('analytics') };
    const bedsToken = await stack.identity.issueClientToken('provider-p-beds');
    const readerToken = await stack.identity.issueClientToken('amhp-case-system');
    const analystToken = await stack.identity.issueClientToken('analytics-dashboard');

    // On the handlers' document client: while armed, records every call (name and input, for the
    // bare replay) and the input of TransactWriteItems, asking DynamoDB Local for its capacity
    // figure too; while a census runs, counts and times every call.
    let armed = false;
    const captured: {
      items: TransactItems;
      consumed: {
        TableName?: string;
        CapacityUnits?: number;
        GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
      }[];
    }[] = [];
    const calls: CapturedCall[] = [];
    const census = new Census();
    ddb().middlewareStack.add(
      (next, context) => async (args) => {
        const name = (context.commandName ?? 'call').replace(/Command$/, '');
        const counting = census.running;
        const t0 = performance.now();
        try {
          if (!armed) return await next(args);
          calls.push({ name, input: structuredClone(args.input as Record<string, unknown>) });
          const input = args.input as { TransactItems?: TransactItems; ReturnConsumedCapacity?: string };
          if (!input.TransactItems) return await next(args);
          const items = structuredClone(input.TransactItems);
          input.ReturnConsumedCapacity = 'INDEXES';
          const result = await next(args);
          captured.push({
            items,
            consumed: ((result.output as { ConsumedCapacity?: never[] }).ConsumedCapacity ?? []) as never[],
          });
          return result;
        } finally {
          if (counting) Census.add(counting, name, performance.now() - t0);
        }
      },
      { step: 'initialize', name: 'benchCaptureCapacityTransactions' },
    );
    const withCensus = (fn: () => Promise<PhaseResult>) => census.during(fn);

    const send = httpSender(url);

    // ------------------------------------------------------------------------------------------
    // (a) Bed availability.
    progress(`(a) ${UNITS} bed units and a snapshot each`);
    const runId = randomUUID().slice(0, 6);
    const unitIds = Array.from({ length: UNITS }, (_, i) => `bench-${runId}-${String(i).padStart(3, '0')}`);
    const unitBody = (i: number) => ({
      name: `Bench Ward ${i} (adult acute)`,
      site: 'Northshire Mental Health Centre',
      icb: 'QHG',
      lssas: [LSSAS[i % 2]!],
      s140Designated: i % 3 !== 0,
      acceptsUnder18: i % 10 === 0,
      contactRoute: 'Bed management 24h: +44 1234 500100',
    });
    const figures = (i: number, asOf: string) => ({
      asOf,
      beds: [
        { bedType: 'adult-acute', sex: 'male', available: i % 4, total: 18, expectedDischargesToday: i % 2 },
        { bedType: 'adult-acute', sex: 'female', available: (i + 1) % 3, total: 16 },
      ],
    });
    const made = await timed(UNITS, 8, async (i) => {
      const res = await send('PUT', `/v1/bed-units/${unitIds[i]}`, bedsToken, unitBody(i));
      if (res.status !== 201) throw new Error(`PUT bed unit answered ${res.status}: ${res.text.slice(0, 200)}`);
    });
    const firstAsOf = new Date(Date.now() - 10 * 60_000).toISOString();
    const snapped = await timed(UNITS, 8, async (i) => {
      const res = await send('PUT', `/v1/bed-units/${unitIds[i]}/availability`, bedsToken, figures(i, firstAsOf));
      if (res.status !== 200) throw new Error(`PUT availability answered ${res.status}: ${res.text.slice(0, 200)}`);
    });
    if (made.errors || snapped.errors)
      progress(`(a) setup errors: ${made.firstError ?? ''} ${snapped.firstError ?? ''}`);

    // One update measured, without and with an Idempotency-Key (the key adds its record to the transaction).
    const stateKey = (id: string) => ({ [PK]: `BEDUNIT#${id}`, [SK]: 'STATE' });
    const getState = async (id: string) =>
      ((await ddb().send(new GetCommand({ TableName: tables.hub, Key: stateKey(id), ConsistentRead: true }))).Item ??
        {}) as Item;
    const measureUpdate = async (unit: string, withKey: boolean) => {
      const before = await getState(unit);
      const asOf = new Date(Date.now() - 1000).toISOString();
      calls.length = 0;
      armed = true;
      const res = await send(
        'PUT',
        `/v1/bed-units/${unit}/availability`,
        bedsToken,
        figures(7, asOf),
        withKey ? { 'Idempotency-Key': randomUUID() } : {},
      );
      armed = false;
      if (res.status !== 200)
        throw new Error(`measured PUT availability answered ${res.status}: ${res.text.slice(0, 200)}`);
      const after = await getState(unit);
      const tx = captured.pop();
      if (!tx) throw new Error('No transaction was captured: the handlers do not share this document client');
      return { unit, asOf, tx, before, after, calls: calls.splice(0) };
    };
    const lines = (m: Awaited<ReturnType<typeof measureUpdate>>) =>
      m.tx.items.map((t) => {
        const table = (t.Put ?? t.Update ?? t.Delete ?? t.ConditionCheck)?.TableName;
        const logical = table === tables.hub ? 'hub' : table === tables.audit ? 'audit' : String(table);
        const defs: readonly IndexDef[] =
          logical === 'hub' ? Object.values(HUB_INDEXES) : logical === 'audit' ? Object.values(AUDIT_INDEXES) : [];
        if (t.Update) {
          // An update is priced at the larger of the item before and after; an index entry it
          // changes in place (keys unchanged) is one write of the entry at the larger size.
          const size = Math.max(itemSizeBytes(m.before), itemSizeBytes(m.after));
          const indexes = defs
            .flatMap((def) => indexWritesOf(m.before, m.after, def, TABLE_KEYS))
            .map((w) => ({ name: `${w.index}${w.kind === 'update' ? '' : ` ${w.kind}`}`, size: w.size, wcu: w.wcu }));
          return { label: 'unit state (update)', table: logical, size, txn: transactionalWcu(size), indexes };
        }
        const item = (t.Put?.Item ?? {}) as Item;
        const size = itemSizeBytes(item);
        const pk = String(item[PK] ?? '');
        const label = pk.startsWith('IDEMPOTENCY#')
          ? 'idempotency record'
          : pk.startsWith('AUDIT#')
            ? 'audit record'
            : String(item[SK] ?? '').startsWith('SNAPSHOT#')
              ? 'snapshot (kept)'
              : pk.split('#')[0] || 'item';
        const indexes = defs
          .flatMap((def) => indexWritesOf(undefined, item, def, TABLE_KEYS))
          .map((w) => ({ name: w.index, size: w.size, wcu: w.wcu }));
        return { label, table: logical, size, txn: transactionalWcu(size), indexes };
      });
    const plain = await measureUpdate(unitIds[1]!, false);
    const keyed = await measureUpdate(unitIds[2]!, true);
    const plainLines = lines(plain);
    const keyedLines = lines(keyed);
    const total = (ls: ReturnType<typeof lines>) =>
      ls.reduce((s, l) => s + l.txn + l.indexes.reduce((a, x) => a + x.wcu, 0), 0);
    const reported = (c: (typeof captured)[number]) => c.consumed.reduce((s, x) => s + (x.CapacityUnits ?? 0), 0);

    // The read behind GET /v1/bed-availability: the capacity index, every unit, page by page.
    const query = async () => {
      const items: Item[] = [];
      let pages = 0;
      let rcu = 0;
      let localRcu = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await ddb().send(
          new QueryCommand({
            TableName: tables.hub,
            IndexName: HUB_INDEXES.capacity.indexName,
            KeyConditionExpression: '#a = :a',
            ExpressionAttributeNames: { '#a': HUB_INDEXES.capacity.partitionKey.name },
            ExpressionAttributeValues: { ':a': 'BEDS#ALL' },
            ReturnConsumedCapacity: 'TOTAL',
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        const page = (out.Items ?? []) as Item[];
        items.push(...page);
        pages++;
        rcu += queryRcu(
          page.reduce((s, i) => s + itemSizeBytes(i), 0),
          true,
        );
        localRcu += out.ConsumedCapacity?.CapacityUnits ?? 0;
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return { items, pages, rcu, localRcu };
    };
    const read = await query();
    const readBytes = read.items.reduce((s, i) => s + itemSizeBytes(i), 0);
    const biggestUnit = read.items.reduce((m, i) => Math.max(m, itemSizeBytes(i)), 0);
    const getAvailability = async () => {
      const res = await send('GET', '/v1/bed-availability', readerToken);
      if (res.status !== 200) throw new Error(`GET bed availability answered ${res.status}: ${res.text.slice(0, 200)}`);
      return res.text;
    };
    const rowsServed = (JSON.parse(await getAvailability()) as { items: unknown[] }).items.length;
    progress(
      `(a) update ${total(plainLines)} WCU (${total(keyedLines)} with a key); read ${read.items.length} ` +
        `units, ${readBytes} bytes`,
    );
    await phase('warm-up GET /v1/bed-availability', 10, 1, () => getAvailability().then(() => undefined));
    await phase('warm-up bare capacity Query', 10, 1, () => query().then(() => undefined));
    const readRows: [PhaseResult, PhaseResult][] = [];
    let readCensus: Counted | undefined;
    for (const concurrency of [1, HIGH_CONCURRENCY]) {
      const counted = await withCensus(() =>
        phase('GET /v1/bed-availability', CALLS, concurrency, () => getAvailability().then(() => undefined)),
      );
      if (concurrency === 1) readCensus = counted;
      readRows.push([
        counted.result,
        await phase('bare Query capacity index (all pages)', CALLS, concurrency, () => query().then(() => undefined)),
      ]);
    }

    // The update under load. A unit is held by one request at a time (taken from the pool, put
    // back after), and every asOf is later than any sent before: no 409 (older or equal asOf).
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
        const res = await send('PUT', `/v1/bed-units/${unit}/availability`, bedsToken, figures(i, nextAsOf()));
        if (res.status !== 200) throw new Error(`PUT availability answered ${res.status}: ${res.text.slice(0, 200)}`);
      });
    // Bare: the update's own calls (its reads, then the transaction), on another unit with a new asOf and audit id.
    const updateReads = plain.calls.filter((c) => c.name !== 'TransactWriteItems');
    const updateAuditIds = plain.tx.items
      .map((t) => t.Put?.Item?.auditId)
      .filter((v): v is string => typeof v === 'string');
    const bareUpdate = () =>
      withUnit(async (unit) => {
        const map = new Map<string, string>([
          [plain.unit, unit],
          [plain.asOf, nextAsOf()],
          ...updateAuditIds.map((a): [string, string] => [a, ulid()]),
        ]);
        for (const call of updateReads) await sendCall(ddb(), replaceStrings(call, map));
        await ddb().send(new TransactWriteCommand({ TransactItems: replaceStrings(plain.tx.items, map) }));
      });
    const describeCall = (c: CapturedCall) => {
      const key = c.input.Key as Item | undefined;
      return key ? `${c.name} ${String(key[PK]).split('#')[0]}#…/${String(key[SK]).split('#')[0]}` : c.name;
    };
    await phase('warm-up PUT availability', UPDATE_WARMUP, 4, putAvailability);
    await phase('warm-up bare update', UPDATE_WARMUP, 4, bareUpdate);
    const updateRows: [PhaseResult, PhaseResult][] = [];
    let updateCensus: Counted | undefined;
    for (const concurrency of [1, HIGH_CONCURRENCY]) {
      const counted = await withCensus(() =>
        phase('PUT /v1/bed-units/{id}/availability', UPDATES, concurrency, putAvailability),
      );
      if (concurrency === 1) updateCensus = counted;
      updateRows.push([
        counted.result,
        await phase('bare update (reads + TransactWriteItems)', UPDATES, concurrency, bareUpdate),
      ]);
    }

    // ------------------------------------------------------------------------------------------
    // (c) A service-year of demand facts through the consumer, then the extract.
    const { year, written, rollupItems, extractPath, coldMs, extractTimes, counted, suppressed, extractRows } =
      await demandYear({
        REFERRALS,
        CALLS,
        LSSAS,
        yearStart,
        tables,
        ddb,
        handleChange: handleChange as (change: never) => Promise<unknown>,
        send,
        analystToken,
        progress,
      });

    // ------------------------------------------------------------------------------------------
    // Report.
    const out: string[] = [];
    out.push(
      '',
      `AMHP Referral Hub bench, capacity and analytics: ${new Date().toISOString()}, DynamoDB Local in ` +
        `memory, local HTTP stack in-process (loopback)`,
      '',
    );
    out.push(
      '(a) Write capacity of one PUT /v1/bed-units/{id}/availability by AWS rules (transactional item: 2 ' +
        'WCU per KB; an update at the larger of before/after; each GSI entry written: 1 WCU per KB)',
      '',
    );
    const wcuRows = (ls: ReturnType<typeof lines>, prefix: string) =>
      ls.map((l) => [
        prefix,
        l.label,
        l.table,
        String(l.size),
        String(l.txn),
        l.indexes.map((x) => `${x.name} ${x.size}->${x.wcu}`).join(', ') || '-',
        String(l.txn + l.indexes.reduce((a, x) => a + x.wcu, 0)),
      ]);
    out.push(
      table(
        ['request', 'item', 'table', 'bytes', 'txn WCU', 'GSI entries (bytes -> WCU)', 'WCU'],
        [
          ...wcuRows(plainLines, 'no key'),
          ['no key', 'total', '', '', '', '', String(total(plainLines))],
          ...wcuRows(
            keyedLines.filter((l) => l.label === 'idempotency record'),
            'with key',
          ),
          ['with key', 'total', '', '', '', '', String(total(keyedLines))],
        ],
        (c) => c === 3 || c === 4 || c === 6,
      ),
    );
    const detail = (c: (typeof captured)[number]) =>
      c.consumed
        .map(
          (x) =>
            `${x.TableName === tables.hub ? 'hub' : x.TableName === tables.audit ? 'audit' : x.TableName} ` +
            `${x.CapacityUnits ?? 0}${
              x.GlobalSecondaryIndexes
                ? ` (indexes ${Object.entries(x.GlobalSecondaryIndexes)
                    .map(([n, v]) => `${n} ${v.CapacityUnits ?? 0}`)
                    .join(', ')})`
                : ''
            }`,
        )
        .join('; ');
    out.push(
      `  as reported by DynamoDB Local (its own transactional accounting, not AWS's; printed, not ` +
        `used): ${reported(plain.tx)} WCU without a key [${detail(plain.tx)}], ${reported(keyed.tx)} with one`,
    );
    out.push(
      `  the unit state item is the capacity index entry (projection ALL): every snapshot rewrites the ` +
        `whole entry (${itemSizeBytes(plain.after)} bytes).`,
    );
    out.push(
      '',
      `(a) GET /v1/bed-availability: one Query of the capacity index partition BEDS#ALL, every unit (the ` +
        `handler pages through all of them; limit applies after the read)`,
      '',
    );
    out.push(
      table(
        ['figure', 'value'],
        [
          ['units in the partition (bench + seed)', String(read.items.length)],
          ['bytes read (index entries as returned)', String(readBytes)],
          ['KB read', (readBytes / KB).toFixed(1)],
          ['mean / largest entry, bytes', `${Math.round(readBytes / Math.max(1, read.items.length))} / ${biggestUnit}`],
          ['pages (1 MB each at most)', String(read.pages)],
          ['RCU (eventually consistent, 0.5 per 4 KB per page)', String(read.rcu)],
          ['as reported by DynamoDB Local', String(read.localRcu)],
          ['rows in the HTTP response (limit 100)', String(rowsServed)],
        ],
        (c) => c === 1,
      ),
    );
    out.push(
      `  setup: ${UNITS} units created in ${made.seconds.toFixed(1)} s, ${UNITS} snapshots ` +
        `in ${snapped.seconds.toFixed(1)} s ` +
        `(c=8)${made.errors + snapped.errors ? `, ${made.errors + snapped.errors} errors` : ''}`,
    );

    out.push(
      '',
      '(a) Latency in ms per request (nearest-rank percentiles) through the local HTTP stack, beside the ' +
        "bare DynamoDB call(s) sent directly on the handlers' document client",
      '',
    );
    out.push(
      perfTable([
        ...updateRows.map(([r, b]) => perfRow('PUT /v1/bed-units/{id}/availability', r, b)),
        ...readRows.map(([r, b]) => perfRow('GET /v1/bed-availability', r, b)),
      ]),
    );
    out.push(
      `  bare for the PUT = the update's own calls, captured and replayed in ` +
        `order: ${[...updateReads.map(describeCall), 'TransactWriteItems'].join(', ')} ` +
        `(${plainLines.map((l) => l.label).join(' + ')}), ` +
        'with another unit, a later asOf and a fresh audit id swapped in.',
    );
    out.push(
      `  each PUT (route or bare) holds its unit alone (a pool of ${UNITS}) with an asOf later than any ` +
        `before; no Idempotency-Key. bare for the GET = the Query of the capacity index partition, every page ` +
        `(${read.pages}).`,
    );
    if (updateCensus) out.push(`  DynamoDB calls per PUT at c=1: ${censusText(updateCensus)}`);
    if (readCensus) out.push(`  DynamoDB calls per GET at c=1: ${censusText(readCensus)}`);
    out.push(...phaseNotes([...updateRows.flat(), ...readRows.flat()], PHASE_CAP_MS));

    out.push('', '(b) De-identification on one core (pure: demandFactOf + rollupDelta; no I/O)', '');
    out.push(
      table(
        ['path', 'records', 'seconds', 'records/s'],
        [
          [
            'new facts (demandFactOf + rollupDelta)',
            String(DEID),
            pureSeconds.toFixed(2),
            (DEID / pureSeconds).toFixed(0),
          ],
          [
            'changes (previous fact given, netted delta)',
            String(DEID),
            changeSeconds.toFixed(2),
            (DEID / changeSeconds).toFixed(0),
          ],
          [
            'with Kinesis decoding (base64, JSON, unmarshall)',
            String(DEID),
            decodedSeconds.toFixed(2),
            (DEID / decodedSeconds).toFixed(0),
          ],
        ],
        (c) => c > 0,
      ),
    );

    out.push(
      '',
      `(c) One-year demand extract of a ${REFERRALS}-referral service (${year}, 2 LSSAs), from roll-ups`,
      '',
    );
    out.push(
      table(
        ['figure', 'value'],
        [
          [
            'facts written through handleChange',
            `${REFERRALS - written.errors} in ${written.seconds.toFixed(1)} s ` +
              `(${((REFERRALS - written.errors) / written.seconds).toFixed(0)}/s, ` +
              `c=8)${written.errors ? `, ${written.errors} errors: ${written.firstError}` : ''}`,
          ],
          ['roll-up day items the extract reads', String(rollupItems)],
          ['request', `GET ${extractPath}`],
          ['first call ms (handler loaded, nothing cached)', ms(coldMs)],
          [
            `p50 / p99 ms (${extractTimes.sorted.length} calls, c=1)`,
            `${ms(percentile(extractTimes.sorted, 50))} / ${ms(percentile(extractTimes.sorted, 99))}`,
          ],
          ['rows (month x agencyType x outcome)', String(extractRows)],
          [
            'referrals counted after disclosure control',
            `${counted} of ${REFERRALS - written.errors} (${suppressed} cells suppressed '*', others rounded)`,
          ],
        ],
        (c) => c === 1,
      ),
    );

    const extractWorst = Math.max(coldMs, percentile(extractTimes.sorted, 99));
    out.push('', 'Figures and goals (ARCHITECTURE.md; informational)', '');
    out.push(
      table(
        ['figure', 'value', 'goal', ''],
        [
          [
            'WCU per availability update (computed; no key / with key)',
            `${total(plainLines)} / ${total(keyedLines)}`,
            'none stated',
            '',
          ],
          [
            'GET /v1/bed-availability over the units: KB read, RCU',
            `${(readBytes / KB).toFixed(1)} KB, ${read.rcu} RCU (${read.items.length} units)`,
            'none stated',
            '',
          ],
          ...[
            ...updateRows.map(([r]) => ['PUT /v1/bed-units/{id}/availability', r] as const),
            ...readRows.map(([r]) => ['GET /v1/bed-availability', r] as const),
          ].map(([route, r]) => [
            `${route} p50 / p99, c=${r.concurrency}`,
            `${ms(r.p50)} / ${ms(r.p99)} ms`,
            'none stated',
            '',
          ]),
          [
            'de-identification, records/s on one core',
            (DEID / pureSeconds).toFixed(0),
            `>= ${GOALS.deidPerSecond}`,
            met(DEID / pureSeconds >= GOALS.deidPerSecond),
          ],
          [
            'one-year demand extract, first call / p50 / p99',
            `${ms(coldMs)} / ${ms(percentile(extractTimes.sorted, 50))} ` +
              `/ ${ms(percentile(extractTimes.sorted, 99))} ms`,
            `<= ${GOALS.extractMs} ms`,
            met(extractWorst <= GOALS.extractMs),
          ],
        ],
        (c) => c === 1,
      ),
    );
    out.push(
      `Run time ${((performance.now() - runStarted) / 1000).toFixed(0)} s. Figures from a shared machine ` +
        `are noisy; compare within one run only.`,
      '',
    );
    process.stdout.write(`${out.join('\n')}\n`);
  });
}

runBench('bench:capacity+analytics', main);
