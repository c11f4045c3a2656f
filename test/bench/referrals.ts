/**
 * `npm run bench`: prints the cost and performance figures of ARCHITECTURE.md "Cost and
 * performance targets" for referral creation and the board. It PRINTS figures; it is never a
 * pass/fail test (exit code 0 whatever the figures; non-zero only when the bench itself breaks).
 *
 * One run, one DynamoDB Local (in memory), the local HTTP stack in this process:
 * 1. POST /v1/referrals: warm-up, then N requests at concurrency 1 and N at concurrency 16
 *    (unique Idempotency-Key, fresh times, varied people), beside bare TransactWriteItems of the
 *    very items one create sends (captured from the handler's document client, replayed with
 *    fresh keys) at the same concurrency: p50/p99, req/s, ratio of the p50s.
 * 2. WCU of one create by AWS's rules (item sizes, 2 WCU/KB per transactional item, 1 WCU/KB
 *    per GSI entry), beside DynamoDB Local's own (under-reported) figure.
 * 3. Bytes and RCU of one 100-row board page (board GSI entries as projected), and GET
 *    /v1/referrals?view=board&limit=100 beside a bare Query of the board index.
 *
 * Bounded: fixed request counts, each phase also capped in time; loopback only. Tunables:
 * BENCH_N (default 500), BENCH_WARMUP (50), BENCH_BOARD_CALLS (50), BENCH_PHASE_CAP_S (45).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ulid } from 'ulid';
import { BatchGetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { IndexDef } from '../../infra/tables.js';
import { AUDIT_INDEXES, HUB_INDEXES, PK, SK } from '../../infra/tables.js';
import type { LocalDynamo } from '../../infra/local/dynamodb.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { REFERRAL_CREATE_EXAMPLE } from '../../shared/schemas/referral.js';
import { nhsCheckDigit } from '../../shared/domain/nhs-number.js';
import { KB, indexEntry, indexEntrySize, itemSizeBytes, queryRcu, standardWcu, transactionalWcu } from './capacity.js';

// Before anything that builds a logger or an SDK client is loaded (those imports are dynamic below).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const N = envInt('BENCH_N', 500);
const WARMUP = envInt('BENCH_WARMUP', 50);
const BOARD_CALLS = envInt('BENCH_BOARD_CALLS', 50);
const PHASE_CAP_MS = envInt('BENCH_PHASE_CAP_S', 45) * 1000;
const HIGH_CONCURRENCY = 16;

const GOALS = { createRatio: 1.5, createWcu: 16, boardKb: 32, boardRcu: 4 } as const;
const TABLE_KEYS = [PK, SK] as const;
const REFERRER_CLIENT = 'police-a-triage';
const BOARD_PERSON = 'dana.lead';
const SERVICE_ID = 'amhp-service';
const LSSAS = ['E06000055', 'E06000056'] as const; // both served by 'amhp-service'

const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// Load generation: a fixed number of operations, a fixed number of workers, a time cap.

interface PhaseResult {
  readonly label: string;
  readonly concurrency: number;
  readonly attempted: number;
  readonly ok: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly perSecond: number;
  readonly capped: boolean;
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : Number.NaN;

async function runPhase(label: string, count: number, concurrency: number, op: (i: number) => Promise<void>): Promise<PhaseResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  let capped = false;
  const deadline = Date.now() + PHASE_CAP_MS;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      if (next >= count) return;
      if (Date.now() > deadline) {
        capped = true;
        return;
      }
      const i = next++;
      const t0 = performance.now();
      try {
        await op(i);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const result: PhaseResult = {
    label,
    concurrency,
    attempted: next,
    ok: latencies.length,
    errors,
    ...(firstError ? { firstError } : {}),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    perSecond: latencies.length / elapsedS,
    capped,
  };
  progress(`${label} c=${concurrency}: ${result.ok}/${count} ok in ${elapsedS.toFixed(1)} s, p50 ${result.p50.toFixed(1)} ms${errors ? `, ${errors} errors (${firstError})` : ''}${capped ? ' [time cap reached]' : ''}`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Request bodies: the J1 example with times just past and a different person each time.

const GIVEN = ['Daniel', 'Aisha', 'Tomasz', 'Grace', 'Kwame', 'Siobhan', 'Ravi', 'Megan', 'Oluwaseun', 'Hannah', 'Yusuf', 'Chloe'];
const FAMILY = ['Marsh', 'Okafor', 'Nowak', 'Bennett', 'Mensah', 'Doyle', 'Sharma', 'Hughes', 'Adeyemi', 'Clarke', 'Rahman', 'Walsh'];
/** Letters only (the name+date-of-birth match key ignores anything else), unique per n. */
const letterTag = (n: number): string => {
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
};

let nhsCursor = 400_000_000 + Math.floor(Math.random() * 100_000_000);
function nextNhsNumber(): string {
  for (;;) {
    const nine = String(nhsCursor++ % 1_000_000_000).padStart(9, '0');
    const check = nhsCheckDigit(nine);
    if (check !== undefined && !/^(\d)\1{8}$/.test(nine)) return `${nine}${check}`;
  }
}

interface PersonSeed {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  nhsNumber: string;
}

const people: PersonSeed[] = [];
let personCounter = Math.floor(Math.random() * 10_000);

/** Mostly a new person; about one in twenty a person referred earlier in the run (a possible duplicate). */
function nextPerson(allowRepeat: boolean): PersonSeed {
  if (allowRepeat && people.length > 20 && Math.random() < 0.05) return people[Math.floor(Math.random() * people.length)]!;
  const n = personCounter++;
  const dob = new Date(Date.UTC(1950, 0, 1) + ((n * 7919) % 18_000) * 86_400_000).toISOString().slice(0, 10);
  const person = { givenName: GIVEN[n % GIVEN.length]!, familyName: `${FAMILY[(n * 5) % FAMILY.length]!}${letterTag(n)}`, dateOfBirth: dob, nhsNumber: nextNhsNumber() };
  people.push(person);
  return person;
}

function createBody(i: number, allowRepeat = true): string {
  const now = Date.now();
  const body = structuredClone(REFERRAL_CREATE_EXAMPLE) as Record<string, any>;
  body.person = { ...body.person, ...nextPerson(allowRepeat) };
  body.responsibleLssa = LSSAS[i % LSSAS.length];
  body.legalStatus = {
    ...body.legalStatus,
    detainedAt: new Date(now - 50 * 60_000).toISOString(),
    arrivedAtPlaceOfSafetyAt: new Date(now - 15 * 60_000).toISOString(),
  };
  body.referrer = { ...body.referrer, referrerReference: `INC-${i}-${randomUUID().slice(0, 8)}` };
  return JSON.stringify(body);
}

// ---------------------------------------------------------------------------------------------
// Capturing the create's transaction and replaying it with fresh keys.

type Item = Record<string, unknown>;
type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** Deep copy, replacing every occurrence of each `from` string inside string values. */
function replaceStrings<T>(value: T, replacements: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') {
    let s: string = value;
    for (const [from, to] of replacements) if (s.includes(from)) s = s.split(from).join(to);
    return s as T;
  }
  if (Array.isArray(value)) return value.map((v) => replaceStrings(v, replacements)) as T;
  if (value instanceof Set) return new Set([...value].map((v) => replaceStrings(v, replacements))) as T;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array) && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceStrings(v, replacements)])) as T;
  }
  return value;
}

/** The unique parts of a captured create (referral id, idempotency key, audit ids), each replaced by a fresh value of the same length. */
function freshKeysFor(items: TransactItems, referralId: string, idempotencyKey: string): () => TransactItems {
  const auditIds = items.map((t) => t.Put?.Item?.auditId).filter((v): v is string => typeof v === 'string');
  return () => {
    const map = new Map<string, string>([
      [referralId, ulid()],
      [idempotencyKey, randomUUID()],
      ...auditIds.map((a): [string, string] => [a, ulid()]),
    ]);
    return replaceStrings(items, map);
  };
}

// ---------------------------------------------------------------------------------------------
// Write capacity by AWS's rules.

interface WcuLine {
  label: string;
  table: string;
  size: number;
  tableWcu: number;
  indexes: { name: string; size: number; wcu: number }[];
  total: number;
}

function describeItem(item: Item): string {
  const pk = String(item[PK] ?? '');
  const sk = String(item[SK] ?? '');
  if (pk.startsWith('IDEMPOTENCY#')) return 'idempotency record';
  if (pk.startsWith('AUDIT#')) return `audit record (${String(item.action ?? '?')})`;
  if (pk.startsWith('REFERRAL#')) {
    if (sk === 'STATE') return 'referral state';
    if (sk.startsWith('EVENT#')) return 'referral event';
    if (sk.startsWith('PERSONKEY#')) return 'second person key';
    return `referral ${sk.split('#')[0]}`;
  }
  return pk.split('#')[0] || 'item';
}

function wcuOf(items: TransactItems, tables: { hub: string; audit: string }): WcuLine[] {
  return items.map((t) => {
    const op = t.Put ?? t.Update ?? t.Delete ?? t.ConditionCheck;
    const tableName = op?.TableName ?? '?';
    const table = tableName === tables.hub ? 'hub' : tableName === tables.audit ? 'audit' : tableName;
    if (!t.Put?.Item) {
      // Updates, deletes and condition checks are not in a create; priced as keys only here.
      const size = itemSizeBytes((op as { Key?: Item }).Key ?? {});
      return { label: t.Update ? 'update' : t.Delete ? 'delete' : 'condition check', table, size, tableWcu: transactionalWcu(size), indexes: [], total: transactionalWcu(size) };
    }
    const item = t.Put.Item as Item;
    const size = itemSizeBytes(item);
    const defs: readonly IndexDef[] = table === 'hub' ? Object.values(HUB_INDEXES) : table === 'audit' ? Object.values(AUDIT_INDEXES) : [];
    const indexes = defs.flatMap((def) => {
      const entry = indexEntrySize(item, def, TABLE_KEYS);
      return entry === undefined ? [] : [{ name: def.indexName, size: entry, wcu: standardWcu(entry) }];
    });
    const tableWcu = transactionalWcu(size);
    return { label: describeItem(item), table, size, tableWcu, indexes, total: tableWcu + indexes.reduce((s, x) => s + x.wcu, 0) };
  });
}

// ---------------------------------------------------------------------------------------------
// Output.

function table(headers: readonly string[], rows: readonly (readonly string[])[], rightAlign: (col: number) => boolean): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (rightAlign(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
const ratioText = (route: number, bare: number) => (Number.isFinite(route / bare) ? `${(route / bare).toFixed(2)}x` : 'n/a');
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const runStarted = performance.now();
  const { startDynamoDbLocal } = await import('../../infra/local/dynamodb.js');
  const { startLocalStack } = await import('../../infra/local/stack.js');

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
      // Stream consumers and the minute timer run on their own Lambdas in AWS; here they would
      // share DynamoDB Local's CPU with what is measured, so they stay (nearly) idle.
      pollIntervalMs: 600_000,
      scheduleIntervalMs: 3_600_000,
      // The bench is one client driving load on purpose: measure the handlers, not the limiter.
      throttle: false,
      log: (line) => progress(`stack: ${line}`),
    });

    // After startLocalStack set the environment (table names, endpoint): the handlers' own client.
    const { ddb, tableName } = await import('../../shared/data/client.js');
    const tables = { hub: tableName('hub'), audit: tableName('audit') };
    const url = stack.url;
    const referrerToken = await stack.identity.issueClientToken(REFERRER_CLIENT);
    const boardToken = await stack.identity.issuePersonToken(BOARD_PERSON);

    // On the handlers' document client: records the input of TransactWriteItems while armed, and
    // counts and times every DynamoDB call (marshalling and retries included) while a census runs.
    let captureArmed = false;
    const captured: TransactItems[] = [];
    let census: Map<string, { count: number; ms: number }> | undefined;
    ddb().middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TransactItems?: TransactItems };
        if (captureArmed && input.TransactItems) captured.push(structuredClone(input.TransactItems));
        const counting = census;
        const t0 = performance.now();
        try {
          return await next(args);
        } finally {
          if (counting) {
            const name = (context.commandName ?? 'call').replace(/Command$/, '');
            const entry = counting.get(name) ?? { count: 0, ms: 0 };
            entry.count++;
            entry.ms += performance.now() - t0;
            counting.set(name, entry);
          }
        }
      },
      { step: 'initialize', name: 'benchCaptureTransactItems' },
    );
    const withCensus = async (fn: () => Promise<PhaseResult>) => {
      const counts = new Map<string, { count: number; ms: number }>();
      census = counts;
      try {
        return { result: await fn(), counts };
      } finally {
        census = undefined;
      }
    };
    const censusText = (c: { result: PhaseResult; counts: Map<string, { count: number; ms: number }> }) => {
      const n = c.result.ok + c.result.errors;
      const parts = [...c.counts].map(([name, v]) => `${name} ${(v.count / n).toFixed(2)}x ${(v.ms / n).toFixed(1)} ms`);
      const total = [...c.counts.values()].reduce((a, v) => a + v.ms, 0) / n;
      return `${parts.join(', ')}; DynamoDB ${total.toFixed(1)} ms of mean ${c.result.mean.toFixed(1)} ms per request`;
    };

    const post = async (body: string, key: string) => {
      const res = await fetch(`${url}/v1/referrals`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${referrerToken}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body,
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`POST /v1/referrals answered ${res.status}: ${text.slice(0, 300)}`);
      return text;
    };
    const createPhase = (label: string, count: number, concurrency: number) => {
      const bodies = Array.from({ length: count }, (_, i) => createBody(i));
      return runPhase(label, count, concurrency, (i) => post(bodies[i]!, randomUUID()).then(() => undefined));
    };

    // --- Warm-up, then one create with its transaction captured (a new person: no duplicates).
    await createPhase('warm-up POST /v1/referrals', WARMUP, 4);
    const captureKey = randomUUID();
    captureArmed = true;
    const createdText = await post(createBody(0, false), captureKey);
    captureArmed = false;
    const createTx = captured.shift();
    if (!createTx) throw new Error('No transaction was captured: the handlers do not share this document client (module instance differs?)');
    const createdId = (JSON.parse(createdText) as { id: string }).id;
    const freshCreateTx = freshKeysFor(createTx, createdId, captureKey);
    const bare = (concurrency: number, count: number, label: string) => {
      const txs = Array.from({ length: count }, freshCreateTx);
      return runPhase(label, count, concurrency, async (i) => {
        await ddb().send(new TransactWriteCommand({ TransactItems: txs[i]! }));
      });
    };
    await bare(4, WARMUP, 'warm-up bare TransactWriteItems');

    // --- Measured: route then bare, at concurrency 1 then 16.
    const createRows: [PhaseResult, PhaseResult][] = [];
    let createCensus: Parameters<typeof censusText>[0] | undefined;
    for (const concurrency of [1, HIGH_CONCURRENCY]) {
      const counted = await withCensus(() => createPhase('POST /v1/referrals', N, concurrency));
      if (concurrency === 1) createCensus = counted;
      const bareResult = await bare(concurrency, N, 'bare TransactWriteItems');
      createRows.push([counted.result, bareResult]);
    }

    // --- DynamoDB Local's own capacity figure for the same transaction.
    const reported = await ddb().send(new TransactWriteCommand({ TransactItems: freshCreateTx(), ReturnConsumedCapacity: 'INDEXES' }));
    const reportedTotal = (reported.ConsumedCapacity ?? []).reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
    const reportedIndexes = (reported.ConsumedCapacity ?? []).reduce(
      (s, c) => s + Object.values(c.GlobalSecondaryIndexes ?? {}).reduce((a, v) => a + (v.CapacityUnits ?? 0), 0),
      0,
    );
    const reportedDetail = (reported.ConsumedCapacity ?? [])
      .map((c) => `${c.TableName === tables.hub ? 'hub' : c.TableName === tables.audit ? 'audit' : c.TableName}: ${c.CapacityUnits ?? 0}${c.GlobalSecondaryIndexes ? ` (indexes ${Object.entries(c.GlobalSecondaryIndexes).map(([n, v]) => `${n} ${v.CapacityUnits ?? 0}`).join(', ')})` : ''}`)
      .join('; ');

    // --- The board: a bare Query of the index, and the route.
    const boardQuery = () =>
      ddb().send(
        new QueryCommand({
          TableName: tables.hub,
          IndexName: HUB_INDEXES.board.indexName,
          KeyConditionExpression: '#k = :k',
          ExpressionAttributeNames: { '#k': HUB_INDEXES.board.partitionKey.name },
          ExpressionAttributeValues: { ':k': `SERVICE#${SERVICE_ID}#OPEN` },
          Limit: 100,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
    const page = await boardQuery();
    const entries = (page.Items ?? []) as Item[];
    if (entries.length < 100) progress(`board index holds only ${entries.length} open referrals of ${SERVICE_ID}`);
    const entryBytes = entries.reduce((s, e) => s + itemSizeBytes(e), 0);
    // Cross-check: the same entries derived from the stored items by the index's projection.
    const keys = entries.map((e) => ({ [PK]: e[PK], [SK]: e[SK] }));
    const stored: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      const out = await ddb().send(new BatchGetCommand({ RequestItems: { [tables.hub]: { Keys: keys.slice(i, i + 100) } } }));
      stored.push(...((out.Responses?.[tables.hub] ?? []) as Item[]));
    }
    const projectedBytes = stored.reduce((s, item) => s + (indexEntrySize(item, HUB_INDEXES.board, TABLE_KEYS) ?? 0), 0);
    const storedStateBytes = stored.reduce((s, item) => s + itemSizeBytes(item), 0);
    const largestEntry = entries.reduce((m, e) => Math.max(m, itemSizeBytes(e)), 0);
    // What one board entry is made of, by attribute (the largest contributors first).
    const sample = stored[0] ? indexEntry(stored[0], HUB_INDEXES.board, TABLE_KEYS) ?? {} : {};
    const entryParts = Object.entries(sample)
      .map(([name, value]) => [name, itemSizeBytes({ [name]: value })] as const)
      .sort((a, b) => b[1] - a[1]);

    const boardUrl = `${url}/v1/referrals?view=board&limit=100`;
    const getBoard = async () => {
      const res = await fetch(boardUrl, { headers: { Authorization: `Bearer ${boardToken}` } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET board answered ${res.status}: ${text.slice(0, 300)}`);
      return text;
    };
    // One board read with its side-effect transaction (the access audit) captured.
    captureArmed = true;
    const boardText = await getBoard();
    captureArmed = false;
    const boardAuditTx = captured.shift();
    const boardRows = (JSON.parse(boardText) as { items: unknown[] }).items.length;
    await runPhase('warm-up GET board', Math.min(10, BOARD_CALLS), 1, () => getBoard().then(() => undefined));
    await runPhase('warm-up bare board Query', Math.min(10, BOARD_CALLS), 1, () => boardQuery().then(() => undefined));
    const boardCensus = await withCensus(() => runPhase('GET /v1/referrals?view=board&limit=100', BOARD_CALLS, 1, () => getBoard().then(() => undefined)));
    const boardRoute = boardCensus.result;
    const boardBare = await runPhase('bare Query board (Limit 100)', BOARD_CALLS, 1, () => boardQuery().then(() => undefined));

    // ------------------------------------------------------------------------------------------
    // Report.
    const out: string[] = [];
    out.push('', `AMHP Referral Hub bench: ${new Date().toISOString()}, DynamoDB Local in memory, local HTTP stack in-process (loopback)`);
    out.push(`Latencies in ms per request (nearest-rank percentiles); "bare" = the same DynamoDB call(s) sent directly on the handlers' document client in this process.`, '');
    const perfRows = [
      ...createRows.map(([r, b]) => [
        'POST /v1/referrals',
        String(r.concurrency),
        `${r.ok}${r.ok < N ? `/${N}` : ''}`,
        ms(r.p50),
        ms(r.p99),
        r.perSecond.toFixed(1),
        ms(b.p50),
        ms(b.p99),
        ratioText(r.p50, b.p50),
      ]),
      [
        'GET /v1/referrals?view=board&limit=100',
        '1',
        `${boardRoute.ok}${boardRoute.ok < BOARD_CALLS ? `/${BOARD_CALLS}` : ''}`,
        ms(boardRoute.p50),
        ms(boardRoute.p99),
        boardRoute.perSecond.toFixed(1),
        ms(boardBare.p50),
        ms(boardBare.p99),
        ratioText(boardRoute.p50, boardBare.p50),
      ],
    ];
    out.push(table(['route', 'concurrency', 'requests', 'p50 ms', 'p99 ms', 'req/s', 'bare p50', 'bare p99', 'ratio'], perfRows, (c) => c > 0));
    out.push('  bare for POST = one TransactWriteItems of the captured create items; bare for the board = one Query of the board index, Limit 100.');
    if (createCensus) out.push(`  DynamoDB calls per POST at c=1: ${censusText(createCensus)}`);
    out.push(`  DynamoDB calls per board GET: ${censusText(boardCensus)}`);
    const allPhases = [...createRows.flat(), boardRoute, boardBare];
    for (const p of allPhases.filter((p) => p.errors || p.capped)) {
      out.push(`  note: ${p.label} c=${p.concurrency}: ${p.errors} errors${p.firstError ? ` (first: ${p.firstError})` : ''}${p.capped ? `; stopped at the ${PHASE_CAP_MS / 1000} s phase cap after ${p.attempted} requests` : ''}`);
    }

    // WCU per create.
    const lines = wcuOf(createTx, tables);
    const createWcu = lines.reduce((s, l) => s + l.total, 0);
    out.push('', 'Write capacity of one create by AWS rules (transactional item: 2 WCU per KB rounded up; each GSI entry of a new item: 1 WCU per KB)', '');
    out.push(
      table(
        ['item', 'table', 'bytes', 'txn WCU', 'GSI entries (bytes -> WCU)', 'WCU'],
        [
          ...lines.map((l) => [l.label, l.table, String(l.size), String(l.tableWcu), l.indexes.map((x) => `${x.name} ${x.size}->${x.wcu}`).join(', ') || '-', String(l.total)]),
          ['total', '', String(lines.reduce((s, l) => s + l.size, 0)), String(lines.reduce((s, l) => s + l.tableWcu, 0)), `${lines.reduce((s, l) => s + l.indexes.length, 0)} entries, ${lines.reduce((s, l) => s + l.indexes.reduce((a, x) => a + x.wcu, 0), 0)} WCU`, String(createWcu)],
        ],
        (c) => c === 2 || c === 3 || c === 5,
      ),
    );
    const biggest = [...lines].sort((a, b) => b.total - a.total)[0];
    if (biggest) out.push(`  largest contributor: ${biggest.label} (${biggest.total} WCU of ${createWcu})`);
    const computedIndexWcu = lines.reduce((s, l) => s + l.indexes.reduce((a, x) => a + x.wcu, 0), 0);
    out.push(`  as reported by DynamoDB Local (under-reports transactions): ${reportedTotal} WCU  [${reportedDetail}]`);
    out.push(
      `  Local's split: table items ${reportedTotal - reportedIndexes}, GSI entries ${reportedIndexes} (computed above: ${createWcu - computedIndexWcu} and ${computedIndexWcu})` +
        (reportedIndexes === 2 * computedIndexWcu ? '; Local prices each GSI entry of a transaction at the transactional 2x rate' : ''),
    );

    // Board read.
    const boardKb = entryBytes / KB;
    const boardRcu = queryRcu(entryBytes, true);
    out.push('', `Board page read: one Query of the board GSI (projection INCLUDE ${HUB_INDEXES.board.projection.attributes.length} attributes + keys), eventually consistent`, '');
    out.push(
      table(
        ['figure', 'value'],
        [
          ['index entries returned', String(entries.length)],
          ['bytes (entries as the Query returned them)', String(entryBytes)],
          ['bytes (stored items through the projection, cross-check)', String(projectedBytes)],
          ['mean / largest entry, bytes', `${entries.length ? Math.round(entryBytes / entries.length) : 0} / ${largestEntry}`],
          ['KB read', boardKb.toFixed(2)],
          ['RCU (0.5 per 4 KB of the response, rounded up)', String(boardRcu)],
          ['as reported by DynamoDB Local', String(page.ConsumedCapacity?.CapacityUnits ?? 'n/a')],
          ['same rows read from the table (full state items), KB', (storedStateBytes / KB).toFixed(2)],
          ['rows in the HTTP response', String(boardRows)],
        ],
        (c) => c === 1,
      ),
    );
    out.push(`  one board entry by attribute (bytes): ${entryParts.map(([n, b]) => `${n} ${b}`).join(', ')}`);
    if (boardAuditTx) {
      const auditLines = wcuOf(boardAuditTx, tables);
      const boardAuditWcu = auditLines.reduce((s, l) => s + l.total, 0);
      const per = auditLines[0];
      out.push(
        `  side effect of one board page: the access audit writes ${auditLines.length} records in one TransactWriteItems = ${boardAuditWcu} WCU` +
          (per ? ` (each ${per.size} bytes: ${per.tableWcu} txn + ${per.indexes.map((x) => `${x.name} ${x.wcu}`).join(' + ')})` : ''),
      );
    }

    // Goals.
    const [c1, c16] = createRows;
    const goalRatio = (pair: [PhaseResult, PhaseResult] | undefined) => (pair ? pair[0].p50 / pair[1].p50 : Number.NaN);
    const goals = [
      `create p50 <= ${GOALS.createRatio}x bare at c=1: ${goalRatio(c1).toFixed(2)}x ${met(goalRatio(c1) <= GOALS.createRatio)}`,
      `at c=${HIGH_CONCURRENCY}: ${goalRatio(c16).toFixed(2)}x ${met(goalRatio(c16) <= GOALS.createRatio)}`,
      `create <= ${GOALS.createWcu} WCU: ${createWcu} ${met(createWcu <= GOALS.createWcu)}`,
      `board page <= ${GOALS.boardKb} KB: ${boardKb.toFixed(1)} KB ${met(boardKb <= GOALS.boardKb)}`,
      `<= ${GOALS.boardRcu} RCU: ${boardRcu} ${met(boardRcu <= GOALS.boardRcu)}`,
    ];
    out.push('', `Goals (ARCHITECTURE.md, informational): ${goals.join('; ')}.`);
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
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
