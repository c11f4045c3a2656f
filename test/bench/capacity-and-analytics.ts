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
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ulid } from 'ulid';
import { marshall } from '@aws-sdk/util-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { IndexDef } from '../../shared/data/tables.js';
import { AUDIT_INDEXES, HUB_INDEXES, PK, SK } from '../../shared/data/tables.js';
import type { LocalDynamo } from '../../infra/local/dynamodb.js';
import type { LocalStack } from '../../infra/local/stack.js';
import type { ReferralLike } from '../../shared/deidentify/facts.js';
import { KB, indexWritesOf, itemSizeBytes, queryRcu, transactionalWcu } from './capacity.js';
import { envInt, met, ms, percentile, perfRow, perfTable, phaseNotes, replaceStrings, runPhase, sendCall, table, Census, censusText, type CapturedCall, type Counted, type PhaseResult } from './phases.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

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

const progress = (line: string) => process.stderr.write(`[bench:capacity+analytics] ${line}\n`);
const phase = (label: string, count: number, concurrency: number, op: (i: number) => Promise<void>) => runPhase(label, count, concurrency, op, { capMs: PHASE_CAP_MS, progress });

type Item = Record<string, unknown>;
type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** Set-up and the extract's calls: a fixed number of operations, no time cap. */
async function timed(count: number, concurrency: number, op: (i: number) => Promise<void>): Promise<{ sorted: number[]; errors: number; firstError?: string; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const s = performance.now();
        try {
          await op(i);
          latencies.push(performance.now() - s);
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  return { sorted: latencies.sort((a, b) => a - b), errors, ...(firstError ? { firstError } : {}), seconds: (performance.now() - t0) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Synthetic referral records (the fields a fact is built from, shaped as the stored state is).

const OUTCOMES = ['detained-s2', 'detained-s3', 'informal-admission', 'home-treatment-crisis-team', 'community-support', 'no-further-action'];
const AGENCIES = ['police', 'ambulance', 'emergency-department', 'cmht'];
const ETHNICITIES = ['A', 'B', 'C', 'D', 'H', 'J', 'M', 'N', 'R', 'S', 'Z', '99'];
const SEXES = ['male', 'female', 'male', 'female', 'not-known'];
const LEGAL = ['s136', 's136', 's135-1', 'informal', 's2', 'none-known'];
const GIVEN = ['Daniel', 'Aisha', 'Tomasz', 'Grace', 'Kwame', 'Siobhan', 'Ravi', 'Megan'];
const FAMILY = ['Marsh', 'Okafor', 'Nowak', 'Bennett', 'Mensah', 'Doyle', 'Sharma', 'Hughes'];

function syntheticReferral(i: number, receivedMs: number, lssa: string): ReferralLike & Record<string, unknown> {
  const at = (minutes: number) => new Date(receivedMs + minutes * 60_000).toISOString();
  const stage = i % 5; // 0 received … 4 closed with an outcome
  const milestones: Record<string, string> = {};
  if (stage >= 1) milestones.accepted = at(20 + (i % 40));
  if (stage >= 2) milestones.allocated = at(60 + (i % 90));
  if (stage >= 3) milestones.assessmentStarted = at(150 + (i % 200));
  if (stage >= 3) milestones.outcomeRecorded = at(300 + (i % 400));
  if (stage >= 4 && i % 3 === 0) {
    milestones.bedRequested = at(320 + (i % 60));
    milestones.bedIdentified = at(500 + (i % 900));
  }
  const outcome = stage >= 3 ? { outcome: OUTCOMES[i % OUTCOMES.length]! } : undefined;
  const identityUnknown = i % 50 === 0;
  const record = {
    id: ulid(receivedMs),
    reference: `R-${String(i).padStart(4, '0')}-BNCH`,
    receivedAt: new Date(receivedMs).toISOString(),
    status: stage === 0 ? 'received' : stage === 1 ? 'accepted' : stage === 2 ? 'allocated' : stage === 3 ? 'outcome-recorded' : 'closed',
    urgency: ['immediate', 'today', 'planned'][i % 3]!,
    changeSeq: 1 + stage * 2,
    version: 1 + stage * 2,
    responsibleLssa: lssa,
    serviceId: 'amhp-service',
    person: identityUnknown
      ? { identityUnknown: true, estimatedAgeBand: '25-34', sex: SEXES[i % SEXES.length]!, ethnicity: 'Z' }
      : {
          givenName: GIVEN[i % GIVEN.length]!,
          familyName: `${FAMILY[(i * 7) % FAMILY.length]!}${i}`,
          dateOfBirth: new Date(Date.UTC(1950, 0, 1) + ((i * 7919) % 20_000) * 86_400_000).toISOString().slice(0, 10),
          nhsNumber: String(4_000_000_000 + i * 13),
          sex: SEXES[i % SEXES.length]!,
          ethnicity: ETHNICITIES[i % ETHNICITIES.length]!,
        },
    referrer: { agencyType: AGENCIES[i % AGENCIES.length]!, organisationId: 'bench-org', referrerReference: `BENCH-${i}` },
    legalStatus: { status: LEGAL[i % LEGAL.length]! },
    ...(outcome ? { outcome } : {}),
    milestones,
    escalations: i % 17 === 0 ? ['no-bed'] : [],
    breaches: i % 41 === 0 ? ['s136'] : [],
    narrative: 'Free text a fact must never carry.',
  };
  return record;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const runStarted = performance.now();
  const { startDynamoDbLocal } = await import('../../infra/local/dynamodb.js');
  const { startLocalStack } = await import('../../infra/local/stack.js');
  const { demandFactOf, rollupDelta } = await import('../../shared/deidentify/facts.js');
  const { unmarshall } = await import('@aws-sdk/util-dynamodb');

  // ---------------------------------------------------------------------------------------------
  // (b) first: pure code on one core, before anything else warms or loads the process.
  progress(`(b) de-identification over ${DEID} synthetic records`);
  const key = Buffer.alloc(32, 9);
  const yearStart = Date.UTC(new Date().getUTCFullYear() - 1, 0, 1);
  const records = Array.from({ length: DEID }, (_, i) => syntheticReferral(i, yearStart + ((i * 86_400_000 * 365) / DEID) + (i % 1440) * 60_000, LSSAS[i % 2]!));
  const kinesisData = records.map((r) =>
    Buffer.from(JSON.stringify({ eventName: 'MODIFY', dynamodb: { Keys: marshall({ [PK]: `REFERRAL#${r.id}`, [SK]: 'STATE' }), NewImage: marshall(r, { removeUndefinedValues: true }) } })).toString('base64'),
  );
  const deid = (r: ReferralLike) => {
    const fact = demandFactOf(r, { pseudonymisation: key });
    return rollupDelta(undefined, fact);
  };
  let sink = 0;
  for (let i = 0; i < Math.min(5_000, DEID); i++) sink += Object.keys(deid(records[i]!)).length; // warm-up
  let t = performance.now();
  for (const r of records) sink += Object.keys(deid(r)).length;
  const pureSeconds = (performance.now() - t) / 1000;
  // A change of an existing fact (the common case on the stream): previous → next.
  const previous = records.slice(0, DEID).map((r) => demandFactOf({ ...r, changeSeq: Number(r.changeSeq) - 1 } as ReferralLike, { pseudonymisation: key }));
  t = performance.now();
  for (let i = 0; i < records.length; i++) {
    const fact = demandFactOf(records[i]!, { pseudonymisation: key }, undefined, previous[i]);
    sink += Object.keys(rollupDelta(previous[i], fact)).length;
  }
  const changeSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  for (const data of kinesisData) {
    const change = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { dynamodb: { NewImage: Parameters<typeof unmarshall>[0] } };
    sink += Object.keys(deid(unmarshall(change.dynamodb.NewImage) as ReferralLike)).length;
  }
  const decodedSeconds = (performance.now() - t) / 1000;
  if (sink < 0) progress('unreachable');
  const deidRate = DEID / pureSeconds;
  progress(`(b) ${deidRate.toFixed(0)} records/s pure, ${(DEID / changeSeconds).toFixed(0)}/s as changes, ${(DEID / decodedSeconds).toFixed(0)}/s with Kinesis decoding`);

  let dynamo: LocalDynamo | undefined;
  let stack: LocalStack | undefined;
  const cleanup = async () => {
    await stack?.stop().catch((e) => progress(`stack stop: ${(e as Error).name}`));
    stack = undefined;
    await dynamo?.stop().catch((e) => progress(`DynamoDB Local stop: ${(e as Error).name}`));
    dynamo = undefined;
  };
  const onSignal = () => {
    progress('interrupted; stopping');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    progress('starting DynamoDB Local (in memory) and the local stack');
    dynamo = await startDynamoDbLocal();
    stack = await startLocalStack({
      port: 0,
      dataDir: null,
      dynamoEndpoint: dynamo.endpoint,
      throttle: false,
      pollIntervalMs: 600_000,
      scheduleIntervalMs: 3_600_000,
      log: (line) => progress(`stack: ${line}`),
    });
    const { ddb, tableName } = await import('../../shared/data/client.js');
    const { handleChange } = await import('../../functions/stream/analytics.js');
    const tables = { hub: tableName('hub'), audit: tableName('audit'), analytics: tableName('analytics') };
    const url = stack.url;
    const bedsToken = await stack.identity.issueClientToken('provider-p-beds');
    const readerToken = await stack.identity.issueClientToken('amhp-case-system');
    const analystToken = await stack.identity.issueClientToken('analytics-dashboard');

    // On the handlers' document client: while armed, records every call (name and input, for the
    // bare replay) and the input of TransactWriteItems, asking DynamoDB Local for its capacity
    // figure too; while a census runs, counts and times every call.
    let armed = false;
    const captured: { items: TransactItems; consumed: { TableName?: string; CapacityUnits?: number; GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }> }[] }[] = [];
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
          captured.push({ items, consumed: ((result.output as { ConsumedCapacity?: never[] }).ConsumedCapacity ?? []) as never[] });
          return result;
        } finally {
          if (counting) Census.add(counting, name, performance.now() - t0);
        }
      },
      { step: 'initialize', name: 'benchCaptureCapacityTransactions' },
    );
    const withCensus = (fn: () => Promise<PhaseResult>) => census.during(fn);

    const send = async (method: string, path: string, token: string, json?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
      const text = await res.text();
      return { status: res.status, text };
    };

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
    if (made.errors || snapped.errors) progress(`(a) setup errors: ${made.firstError ?? ''} ${snapped.firstError ?? ''}`);

    // One update measured, without and with an Idempotency-Key (the key adds its record to the transaction).
    const stateKey = (id: string) => ({ [PK]: `BEDUNIT#${id}`, [SK]: 'STATE' });
    const getState = async (id: string) => ((await ddb().send(new GetCommand({ TableName: tables.hub, Key: stateKey(id), ConsistentRead: true }))).Item ?? {}) as Item;
    const measureUpdate = async (unit: string, withKey: boolean) => {
      const before = await getState(unit);
      const asOf = new Date(Date.now() - 1000).toISOString();
      calls.length = 0;
      armed = true;
      const res = await send('PUT', `/v1/bed-units/${unit}/availability`, bedsToken, figures(7, asOf), withKey ? { 'Idempotency-Key': randomUUID() } : {});
      armed = false;
      if (res.status !== 200) throw new Error(`measured PUT availability answered ${res.status}: ${res.text.slice(0, 200)}`);
      const after = await getState(unit);
      const tx = captured.pop();
      if (!tx) throw new Error('No transaction was captured: the handlers do not share this document client');
      return { unit, asOf, tx, before, after, calls: calls.splice(0) };
    };
    const lines = (m: Awaited<ReturnType<typeof measureUpdate>>) =>
      m.tx.items.map((t) => {
        const table = (t.Put ?? t.Update ?? t.Delete ?? t.ConditionCheck)?.TableName;
        const logical = table === tables.hub ? 'hub' : table === tables.audit ? 'audit' : String(table);
        const defs: readonly IndexDef[] = logical === 'hub' ? Object.values(HUB_INDEXES) : logical === 'audit' ? Object.values(AUDIT_INDEXES) : [];
        if (t.Update) {
          // An update is priced at the larger of the item before and after; an index entry it
          // changes in place (keys unchanged) is one write of the entry at the larger size.
          const size = Math.max(itemSizeBytes(m.before), itemSizeBytes(m.after));
          const indexes = defs.flatMap((def) => indexWritesOf(m.before, m.after, def, TABLE_KEYS)).map((w) => ({ name: `${w.index}${w.kind === 'update' ? '' : ` ${w.kind}`}`, size: w.size, wcu: w.wcu }));
          return { label: 'unit state (update)', table: logical, size, txn: transactionalWcu(size), indexes };
        }
        const item = (t.Put?.Item ?? {}) as Item;
        const size = itemSizeBytes(item);
        const pk = String(item[PK] ?? '');
        const label = pk.startsWith('IDEMPOTENCY#') ? 'idempotency record' : pk.startsWith('AUDIT#') ? 'audit record' : String(item[SK] ?? '').startsWith('SNAPSHOT#') ? 'snapshot (kept)' : pk.split('#')[0] || 'item';
        const indexes = defs.flatMap((def) => indexWritesOf(undefined, item, def, TABLE_KEYS)).map((w) => ({ name: w.index, size: w.size, wcu: w.wcu }));
        return { label, table: logical, size, txn: transactionalWcu(size), indexes };
      });
    const plain = await measureUpdate(unitIds[1]!, false);
    const keyed = await measureUpdate(unitIds[2]!, true);
    const plainLines = lines(plain);
    const keyedLines = lines(keyed);
    const total = (ls: ReturnType<typeof lines>) => ls.reduce((s, l) => s + l.txn + l.indexes.reduce((a, x) => a + x.wcu, 0), 0);
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
        rcu += queryRcu(page.reduce((s, i) => s + itemSizeBytes(i), 0), true);
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
    progress(`(a) update ${total(plainLines)} WCU (${total(keyedLines)} with a key); read ${read.items.length} units, ${readBytes} bytes`);
    await phase('warm-up GET /v1/bed-availability', 10, 1, () => getAvailability().then(() => undefined));
    await phase('warm-up bare capacity Query', 10, 1, () => query().then(() => undefined));
    const readRows: [PhaseResult, PhaseResult][] = [];
    let readCensus: Counted | undefined;
    for (const concurrency of [1, HIGH_CONCURRENCY]) {
      const counted = await withCensus(() => phase('GET /v1/bed-availability', CALLS, concurrency, () => getAvailability().then(() => undefined)));
      if (concurrency === 1) readCensus = counted;
      readRows.push([counted.result, await phase('bare Query capacity index (all pages)', CALLS, concurrency, () => query().then(() => undefined))]);
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
    const updateAuditIds = plain.tx.items.map((t) => t.Put?.Item?.auditId).filter((v): v is string => typeof v === 'string');
    const bareUpdate = () =>
      withUnit(async (unit) => {
        const map = new Map<string, string>([[plain.unit, unit], [plain.asOf, nextAsOf()], ...updateAuditIds.map((a): [string, string] => [a, ulid()])]);
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
      const counted = await withCensus(() => phase('PUT /v1/bed-units/{id}/availability', UPDATES, concurrency, putAvailability));
      if (concurrency === 1) updateCensus = counted;
      updateRows.push([counted.result, await phase('bare update (reads + TransactWriteItems)', UPDATES, concurrency, bareUpdate)]);
    }

    // ------------------------------------------------------------------------------------------
    // (c) A service-year of demand facts through the consumer, then the extract.
    const year = new Date(yearStart).getUTCFullYear();
    progress(`(c) writing ${REFERRALS} referrals' facts and roll-ups for ${year} through handleChange`);
    const serviceYear = Array.from({ length: REFERRALS }, (_, i) => {
      const day = Math.floor((i * 365) / REFERRALS);
      return syntheticReferral(i, yearStart + day * 86_400_000 + ((i * 7919) % 1440) * 60_000, LSSAS[i % 2]!);
    });
    const written = await timed(REFERRALS, 8, async (i) => {
      const r = serviceYear[i]!;
      const change = { eventName: 'INSERT' as const, dynamodb: { Keys: marshall({ [PK]: `REFERRAL#${r.id}`, [SK]: 'STATE' }), NewImage: marshall(r, { removeUndefinedValues: true }) } };
      // As the stream would: a failed record is handed over again.
      for (let attempt = 0; ; attempt++) {
        try {
          await handleChange(change as never);
          return;
        } catch (error) {
          if (attempt >= 4) throw error;
        }
      }
    });
    const rollupItems = (
      await Promise.all(
        LSSAS.map(async (l) => {
          let n = 0;
          let startKey: Record<string, unknown> | undefined;
          do {
            const out = await ddb().send(
              new QueryCommand({
                TableName: tables.analytics,
                KeyConditionExpression: '#p = :p AND begins_with(#s, :s)',
                ExpressionAttributeNames: { '#p': PK, '#s': SK },
                ExpressionAttributeValues: { ':p': `ROLLUP#${l}`, ':s': `DAY#${year}-` },
                ...(startKey ? { ExclusiveStartKey: startKey } : {}),
              }),
            );
            n += out.Count ?? 0;
            startKey = out.LastEvaluatedKey;
          } while (startKey);
          return n;
        }),
      )
    ).reduce((a, b) => a + b, 0);
    const extractPath = `/v1/extracts/demand?period=month&from=${year}-01-01&to=${year}-12-31&by=agencyType,outcome`;
    const extract = async () => {
      const res = await send('GET', extractPath, analystToken);
      if (res.status !== 200) throw new Error(`GET demand extract answered ${res.status}: ${res.text.slice(0, 300)}`);
      return res.text;
    };
    // Loads the handler module (locally imported on first use; in AWS that is the cold start, not the extract).
    const warm = await send('GET', `/v1/extracts/demand?period=month&from=${year + 1}-01-01&to=${year + 1}-01-31`, analystToken);
    if (warm.status !== 200) throw new Error(`warm-up extract answered ${warm.status}: ${warm.text.slice(0, 300)}`);
    const coldStart = performance.now();
    const firstExtract = JSON.parse(await extract()) as { rows: Record<string, unknown>[] };
    const coldMs = performance.now() - coldStart;
    const extractTimes = await timed(Math.min(CALLS, 20), 1, () => extract().then(() => undefined));
    const counted = firstExtract.rows.reduce((s, r) => s + (typeof r.count === 'number' ? r.count : 0), 0);
    const suppressed = firstExtract.rows.filter((r) => r.countSuppressed === true).length;
    progress(`(c) ${written.errors} write errors; extract first ${ms(coldMs)} ms, p50 ${ms(percentile(extractTimes.sorted, 50))} ms`);

    // ------------------------------------------------------------------------------------------
    // Report.
    const out: string[] = [];
    out.push('', `AMHP Referral Hub bench, capacity and analytics: ${new Date().toISOString()}, DynamoDB Local in memory, local HTTP stack in-process (loopback)`, '');
    out.push('(a) Write capacity of one PUT /v1/bed-units/{id}/availability by AWS rules (transactional item: 2 WCU per KB; an update at the larger of before/after; each GSI entry written: 1 WCU per KB)', '');
    const wcuRows = (ls: ReturnType<typeof lines>, prefix: string) =>
      ls.map((l) => [prefix, l.label, l.table, String(l.size), String(l.txn), l.indexes.map((x) => `${x.name} ${x.size}->${x.wcu}`).join(', ') || '-', String(l.txn + l.indexes.reduce((a, x) => a + x.wcu, 0))]);
    out.push(
      table(
        ['request', 'item', 'table', 'bytes', 'txn WCU', 'GSI entries (bytes -> WCU)', 'WCU'],
        [
          ...wcuRows(plainLines, 'no key'),
          ['no key', 'total', '', '', '', '', String(total(plainLines))],
          ...wcuRows(keyedLines.filter((l) => l.label === 'idempotency record'), 'with key'),
          ['with key', 'total', '', '', '', '', String(total(keyedLines))],
        ],
        (c) => c === 3 || c === 4 || c === 6,
      ),
    );
    const detail = (c: (typeof captured)[number]) =>
      c.consumed
        .map((x) => `${x.TableName === tables.hub ? 'hub' : x.TableName === tables.audit ? 'audit' : x.TableName} ${x.CapacityUnits ?? 0}${x.GlobalSecondaryIndexes ? ` (indexes ${Object.entries(x.GlobalSecondaryIndexes).map(([n, v]) => `${n} ${v.CapacityUnits ?? 0}`).join(', ')})` : ''}`)
        .join('; ');
    out.push(`  as reported by DynamoDB Local (its own transactional accounting, not AWS's; printed, not used): ${reported(plain.tx)} WCU without a key [${detail(plain.tx)}], ${reported(keyed.tx)} with one`);
    out.push(`  the unit state item is the capacity index entry (projection ALL): every snapshot rewrites the whole entry (${itemSizeBytes(plain.after)} bytes).`);
    out.push('', `(a) GET /v1/bed-availability: one Query of the capacity index partition BEDS#ALL, every unit (the handler pages through all of them; limit applies after the read)`, '');
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
    out.push(`  setup: ${UNITS} units created in ${made.seconds.toFixed(1)} s, ${UNITS} snapshots in ${snapped.seconds.toFixed(1)} s (c=8)${made.errors + snapped.errors ? `, ${made.errors + snapped.errors} errors` : ''}`);

    out.push('', '(a) Latency in ms per request (nearest-rank percentiles) through the local HTTP stack, beside the bare DynamoDB call(s) sent directly on the handlers\' document client', '');
    out.push(perfTable([...updateRows.map(([r, b]) => perfRow('PUT /v1/bed-units/{id}/availability', r, b)), ...readRows.map(([r, b]) => perfRow('GET /v1/bed-availability', r, b))]));
    out.push(
      `  bare for the PUT = the update's own calls, captured and replayed in order: ${[...updateReads.map(describeCall), 'TransactWriteItems'].join(', ')} (${plainLines.map((l) => l.label).join(' + ')}), ` +
        'with another unit, a later asOf and a fresh audit id swapped in.',
    );
    out.push(`  each PUT (route or bare) holds its unit alone (a pool of ${UNITS}) with an asOf later than any before; no Idempotency-Key. bare for the GET = the Query of the capacity index partition, every page (${read.pages}).`);
    if (updateCensus) out.push(`  DynamoDB calls per PUT at c=1: ${censusText(updateCensus)}`);
    if (readCensus) out.push(`  DynamoDB calls per GET at c=1: ${censusText(readCensus)}`);
    out.push(...phaseNotes([...updateRows.flat(), ...readRows.flat()], PHASE_CAP_MS));

    out.push('', '(b) De-identification on one core (pure: demandFactOf + rollupDelta; no I/O)', '');
    out.push(
      table(
        ['path', 'records', 'seconds', 'records/s'],
        [
          ['new facts (demandFactOf + rollupDelta)', String(DEID), pureSeconds.toFixed(2), (DEID / pureSeconds).toFixed(0)],
          ['changes (previous fact given, netted delta)', String(DEID), changeSeconds.toFixed(2), (DEID / changeSeconds).toFixed(0)],
          ['with Kinesis decoding (base64, JSON, unmarshall)', String(DEID), decodedSeconds.toFixed(2), (DEID / decodedSeconds).toFixed(0)],
        ],
        (c) => c > 0,
      ),
    );

    out.push('', `(c) One-year demand extract of a ${REFERRALS}-referral service (${year}, 2 LSSAs), from roll-ups`, '');
    out.push(
      table(
        ['figure', 'value'],
        [
          ['facts written through handleChange', `${REFERRALS - written.errors} in ${written.seconds.toFixed(1)} s (${((REFERRALS - written.errors) / written.seconds).toFixed(0)}/s, c=8)${written.errors ? `, ${written.errors} errors: ${written.firstError}` : ''}`],
          ['roll-up day items the extract reads', String(rollupItems)],
          ['request', `GET ${extractPath}`],
          ['first call ms (handler loaded, nothing cached)', ms(coldMs)],
          [`p50 / p99 ms (${extractTimes.sorted.length} calls, c=1)`, `${ms(percentile(extractTimes.sorted, 50))} / ${ms(percentile(extractTimes.sorted, 99))}`],
          ['rows (month x agencyType x outcome)', String(firstExtract.rows.length)],
          ['referrals counted after disclosure control', `${counted} of ${REFERRALS - written.errors} (${suppressed} cells suppressed '*', others rounded)`],
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
          ['WCU per availability update (computed; no key / with key)', `${total(plainLines)} / ${total(keyedLines)}`, 'none stated', ''],
          ['GET /v1/bed-availability over the units: KB read, RCU', `${(readBytes / KB).toFixed(1)} KB, ${read.rcu} RCU (${read.items.length} units)`, 'none stated', ''],
          ...[...updateRows.map(([r]) => ['PUT /v1/bed-units/{id}/availability', r] as const), ...readRows.map(([r]) => ['GET /v1/bed-availability', r] as const)].map(([route, r]) => [
            `${route} p50 / p99, c=${r.concurrency}`,
            `${ms(r.p50)} / ${ms(r.p99)} ms`,
            'none stated',
            '',
          ]),
          ['de-identification, records/s on one core', (DEID / pureSeconds).toFixed(0), `>= ${GOALS.deidPerSecond}`, met(DEID / pureSeconds >= GOALS.deidPerSecond)],
          ['one-year demand extract, first call / p50 / p99', `${ms(coldMs)} / ${ms(percentile(extractTimes.sorted, 50))} / ${ms(percentile(extractTimes.sorted, 99))} ms`, `<= ${GOALS.extractMs} ms`, met(extractWorst <= GOALS.extractMs)],
        ],
        (c) => c === 1,
      ),
    );
    out.push(`Run time ${((performance.now() - runStarted) / 1000).toFixed(0)} s. Figures from a shared machine are noisy; compare within one run only.`, '');
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`[bench:capacity+analytics] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
