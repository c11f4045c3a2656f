/**
 * `npm run bench`: prints the cost and performance figures of ARCHITECTURE.md "Cost and
 * performance targets" for referral creation, a referral transition and the board. It PRINTS
 * figures; it is never a pass/fail test (exit code 0 whatever the figures; non-zero only when the
 * bench itself breaks).
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
 * 4. A transition: POST /v1/referrals/{id}/events {type: accept} as the duty lead (dana.lead,
 *    amhp-lead of amhp-service) with If-Match, E requests at concurrency 1 and E at 16, each on
 *    a different referral created earlier in this run (by step 1, topped up with bare creates)
 *    and moved to under-review beforehand (start-review, not measured), with its current ETag.
 *    Beside it, bare: the DynamoDB calls one accept makes, captured from the handler's document
 *    client (its reads: the referral's state, the caller's AMHP register entry; then one
 *    TransactWriteItems: the state replaced on a changeSeq condition, the event, the audit),
 *    replayed in order on other under-review referrals: the new state is that referral's state
 *    as the replay has just read it with the captured change applied (the attributes the accept
 *    set or removed, its id and reference swapped in), on its own changeSeq; the event at its
 *    next key; a fresh audit id. WCU of one accept by AWS's rules: the replaced state at the larger
 *    of before and after, each GSI by what happens to its entry (added, removed, key changed,
 *    projected attribute changed, unchanged); also with an Idempotency-Key.
 *
 * Bounded: fixed request counts, each phase also capped in time (set-up phases at 4x the cap);
 * loopback only. Tunables: BENCH_N (default 500), BENCH_WARMUP (50), BENCH_EVENTS (BENCH_N),
 * BENCH_BOARD_CALLS (50), BENCH_PHASE_CAP_S (45).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ulid } from 'ulid';
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { IndexDef } from '../../shared/data/tables.js';
import { AUDIT_INDEXES, HUB_INDEXES, PK, SK } from '../../shared/data/tables.js';
import type { LocalDynamo } from '../../infra/local/dynamodb.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { REFERRAL_CREATE_EXAMPLE } from '../../shared/schemas/referral.js';
import { nhsCheckDigit } from '../../shared/domain/nhs-number.js';
import { KB, indexEntry, indexEntrySize, indexWritesOf, itemSizeBytes, queryRcu, sameValue, transactionalWcu, type IndexWrite } from './capacity.js';
import { envInt, met, perfRow, perfTable, phaseNotes, replaceStrings, runPhase, sendCall, table, Census, censusText, type CapturedCall, type Counted, type PhaseResult } from './phases.js';

// Before anything that builds a logger or an SDK client is loaded (those imports are dynamic below).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const N = envInt('BENCH_N', 500);
const WARMUP = envInt('BENCH_WARMUP', 50);
const EVENTS = envInt('BENCH_EVENTS', N);
const EVENT_WARMUP = Math.min(WARMUP, 20);
const BOARD_CALLS = envInt('BENCH_BOARD_CALLS', 50);
const PHASE_CAP_MS = envInt('BENCH_PHASE_CAP_S', 45) * 1000;
const SETUP_CAP_MS = 4 * PHASE_CAP_MS;
const HIGH_CONCURRENCY = 16;

const GOALS = { createRatio: 1.5, createWcu: 16, boardKb: 32, boardRcu: 4 } as const;
const TABLE_KEYS = [PK, SK] as const;
const REFERRER_CLIENT = 'police-a-triage';
const BOARD_PERSON = 'dana.lead'; // amhp-lead of 'amhp-service': reads the board, triages
const SERVICE_ID = 'amhp-service';
const LSSAS = ['E06000055', 'E06000056'] as const; // both served by 'amhp-service'
const START_REVIEW = { type: 'start-review' } as const;
const ACCEPT = { type: 'accept', reason: 'Detained under s.136; assessment needed tonight.' } as const;
const EVENT_ROUTE = 'POST /v1/referrals/{id}/events (accept)';

const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const phase = (label: string, count: number, concurrency: number, op: (i: number) => Promise<void>, capMs = PHASE_CAP_MS) =>
  runPhase(label, count, concurrency, op, { capMs, progress });
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
// Capturing a write's transaction and replaying it with fresh keys.

type Item = Record<string, unknown>;
type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** The unique parts of a captured create (referral id, idempotency key, audit ids), each replaced by a fresh value of the same length. */
function freshKeysFor(items: TransactItems, referralId: string, idempotencyKey: string): () => TransactItems {
  const auditIds = auditIdsOf(items);
  return () => {
    const map = new Map<string, string>([
      [referralId, ulid()],
      [idempotencyKey, randomUUID()],
      ...auditIds.map((a): [string, string] => [a, ulid()]),
    ]);
    return replaceStrings(items, map);
  };
}

const auditIdsOf = (items: TransactItems): string[] => items.map((t) => t.Put?.Item?.auditId).filter((v): v is string => typeof v === 'string');

const isReferralState = (item: Item | undefined): boolean => Boolean(item && item[SK] === 'STATE' && String(item[PK]).startsWith('REFERRAL#'));

/** A referral created in this run: what a transition on it needs. */
interface Target {
  readonly id: string;
  readonly reference: string;
  /** The ETag of its current version. */
  readonly etag: string;
}

/** The referral a create's transaction writes. */
function targetOfCreate(items: TransactItems): Target | undefined {
  const state = items.map((t) => t.Put?.Item as Item | undefined).find(isReferralState);
  return state ? { id: String(state.id), reference: String(state.reference), etag: `"${Number(state.version)}"` } : undefined;
}

/** What a change did to a stored item: attributes set (new or different values) and attributes removed. */
interface ItemChange {
  readonly set: Item;
  readonly removed: readonly string[];
}

function changeOf(before: Item, after: Item): ItemChange {
  const set: Item = {};
  for (const [k, v] of Object.entries(after)) if (v !== undefined && !sameValue(v, before[k])) set[k] = v;
  const removed = Object.keys(before).filter((k) => after[k] === undefined);
  return { set, removed };
}

/**
 * A captured transition re-aimed at another referral's state, just read: the state item becomes
 * that state with the captured change applied (so its own person, board and clock keys stay, as
 * they would through the handler), conditional on its changeSeq; the event takes the next key.
 */
function retarget(items: TransactItems, state: Item, change: ItemChange): void {
  const seq = Number(state.changeSeq);
  const version = Number(state.version);
  for (const t of items) {
    const put = t.Put;
    const item = put?.Item as Item | undefined;
    if (!put || !item) continue;
    if (isReferralState(item)) {
      const next: Item = { ...state, ...change.set, changeSeq: seq + 1, version: version + 1 };
      for (const k of change.removed) delete next[k];
      put.Item = next;
      if (put.ExpressionAttributeValues && ':seq' in put.ExpressionAttributeValues) put.ExpressionAttributeValues[':seq'] = seq;
    } else if (String(item[PK]).startsWith('REFERRAL#') && String(item[SK]).startsWith('EVENT#')) {
      item[SK] = `EVENT#${String(seq + 1).padStart(8, '0')}`;
      item.seq = seq + 1;
    }
  }
}

/** `GetItem REFERRAL#…/STATE`: a captured call, briefly. */
function describeCall(call: CapturedCall): string {
  const key = call.input.Key as Item | undefined;
  if (key) return `${call.name} ${String(key[PK]).split('#')[0]}#…/${String(key[SK]).split('#')[0]}`;
  if (typeof call.input.IndexName === 'string') return `${call.name} ${call.input.IndexName} index`;
  return call.name;
}

// ---------------------------------------------------------------------------------------------
// Write capacity by AWS's rules.

interface WcuLine {
  label: string;
  table: string;
  /** Bytes priced: the item, or for a replaced item the larger of before and after. */
  size: number;
  before?: number;
  tableWcu: number;
  indexes: IndexWrite[];
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

const keyOf = (item: Item): string => `${String(item[PK])}\u0000${String(item[SK])}`;

/**
 * Each item of a transaction priced: a Put of a new item at its size, a Put that replaces an item
 * (its stored image in `before`) at the larger of the two; GSI writes by `indexWritesOf`.
 */
function wcuOf(items: TransactItems, tables: { hub: string; audit: string }, before: ReadonlyMap<string, Item> = new Map()): WcuLine[] {
  return items.map((t) => {
    const op = t.Put ?? t.Update ?? t.Delete ?? t.ConditionCheck;
    const tableName = op?.TableName ?? '?';
    const table = tableName === tables.hub ? 'hub' : tableName === tables.audit ? 'audit' : tableName;
    if (!t.Put?.Item) {
      // Updates, deletes and condition checks are in neither a create nor a transition; priced as keys only here.
      const size = itemSizeBytes((op as { Key?: Item }).Key ?? {});
      return { label: t.Update ? 'update' : t.Delete ? 'delete' : 'condition check', table, size, tableWcu: transactionalWcu(size), indexes: [], total: transactionalWcu(size) };
    }
    const item = t.Put.Item as Item;
    const old = before.get(keyOf(item));
    const size = Math.max(itemSizeBytes(item), old ? itemSizeBytes(old) : 0);
    const defs: readonly IndexDef[] = table === 'hub' ? Object.values(HUB_INDEXES) : table === 'audit' ? Object.values(AUDIT_INDEXES) : [];
    const indexes = defs.flatMap((def) => indexWritesOf(old, item, def, TABLE_KEYS));
    const tableWcu = transactionalWcu(size);
    return {
      label: `${describeItem(item)}${old ? ' (replaced)' : ''}`,
      table,
      size,
      ...(old ? { before: itemSizeBytes(old) } : {}),
      tableWcu,
      indexes,
      total: tableWcu + indexes.reduce((s, x) => s + x.wcu, 0),
    };
  });
}

const wcuTotal = (lines: readonly WcuLine[]) => lines.reduce((s, l) => s + l.total, 0);

/** The WCU table of one write: an item per row, GSI writes as `index [kind] bytes->WCU`. */
function wcuTable(lines: readonly WcuLine[]): string {
  const writes = (l: WcuLine) => l.indexes.map((x) => `${x.index}${l.before === undefined && x.kind === 'put' ? '' : ` ${x.kind}`} ${x.size}->${x.wcu}`).join(', ') || '-';
  const indexCount = lines.reduce((s, l) => s + l.indexes.length, 0);
  const indexWcu = lines.reduce((s, l) => s + l.indexes.reduce((a, x) => a + x.wcu, 0), 0);
  return table(
    ['item', 'table', 'bytes', 'txn WCU', 'GSI writes (bytes -> WCU)', 'WCU'],
    [
      ...lines.map((l) => [l.label, l.table, String(l.size), String(l.tableWcu), writes(l), String(l.total)]),
      ['total', '', String(lines.reduce((s, l) => s + l.size, 0)), String(lines.reduce((s, l) => s + l.tableWcu, 0)), `${indexCount} writes, ${indexWcu} WCU`, String(wcuTotal(lines))],
    ],
    (c) => c === 2 || c === 3 || c === 5,
  );
}

interface Consumed {
  ConsumedCapacity?: { TableName?: string; CapacityUnits?: number; GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }> }[];
}

/** DynamoDB Local's own figure for a transaction: total, the GSI part, and a per-table detail. */
function localCapacity(out: Consumed, tables: { hub: string; audit: string }): { total: number; indexes: number; detail: string } {
  const consumed = out.ConsumedCapacity ?? [];
  const total = consumed.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
  const indexes = consumed.reduce((s, c) => s + Object.values(c.GlobalSecondaryIndexes ?? {}).reduce((a, v) => a + (v.CapacityUnits ?? 0), 0), 0);
  const detail = consumed
    .map((c) => `${c.TableName === tables.hub ? 'hub' : c.TableName === tables.audit ? 'audit' : c.TableName}: ${c.CapacityUnits ?? 0}${c.GlobalSecondaryIndexes ? ` (indexes ${Object.entries(c.GlobalSecondaryIndexes).map(([n, v]) => `${n} ${v.CapacityUnits ?? 0}`).join(', ')})` : ''}`)
    .join('; ');
  return { total, indexes, detail };
}

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

    // On the handlers' document client: records the input of TransactWriteItems while
    // `captureArmed`, every call (name and input) while `callsArmed`, and counts and times every
    // DynamoDB call (marshalling and retries included) while a census runs.
    let captureArmed = false;
    const captured: TransactItems[] = [];
    let callsArmed = false;
    const calls: CapturedCall[] = [];
    const census = new Census();
    ddb().middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TransactItems?: TransactItems };
        const name = (context.commandName ?? 'call').replace(/Command$/, '');
        if (captureArmed && input.TransactItems) captured.push(structuredClone(input.TransactItems));
        if (callsArmed) calls.push({ name, input: structuredClone(args.input as Record<string, unknown>) });
        const counting = census.running;
        const t0 = performance.now();
        try {
          return await next(args);
        } finally {
          if (counting) Census.add(counting, name, performance.now() - t0);
        }
      },
      { step: 'initialize', name: 'benchCaptureTransactItems' },
    );
    const withCensus = (fn: () => Promise<PhaseResult>) => census.during(fn);

    // Referrals created in this run, still received: the transitions (step 4) take them.
    const received: Target[] = [];
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
    const keepCreated = (text: string) => {
      const { id, reference, version } = JSON.parse(text) as { id: string; reference: string; version: number };
      received.push({ id, reference, etag: `"${version}"` });
    };
    const createPhase = async (label: string, count: number, concurrency: number) => {
      const bodies = Array.from({ length: count }, (_, i) => createBody(i));
      const answers: string[] = [];
      const result = await phase(label, count, concurrency, async (i) => {
        answers.push(await post(bodies[i]!, randomUUID()));
      });
      answers.forEach(keepCreated);
      return result;
    };

    // --- Warm-up, then one create with its transaction captured (a new person: no duplicates).
    await createPhase('warm-up POST /v1/referrals', WARMUP, 4);
    const captureKey = randomUUID();
    captureArmed = true;
    const createdText = await post(createBody(0, false), captureKey);
    captureArmed = false;
    keepCreated(createdText);
    const createTx = captured.shift();
    if (!createTx) throw new Error('No transaction was captured: the handlers do not share this document client (module instance differs?)');
    const createdId = (JSON.parse(createdText) as { id: string }).id;
    const freshCreateTx = freshKeysFor(createTx, createdId, captureKey);
    const bare = async (concurrency: number, count: number, label: string, capMs = PHASE_CAP_MS) => {
      const txs = Array.from({ length: count }, freshCreateTx);
      const written: TransactItems[] = [];
      const result = await phase(
        label,
        count,
        concurrency,
        async (i) => {
          await ddb().send(new TransactWriteCommand({ TransactItems: txs[i]! }));
          written.push(txs[i]!);
        },
        capMs,
      );
      for (const tx of written) {
        const target = targetOfCreate(tx);
        if (target) received.push(target);
      }
      return result;
    };
    await bare(4, WARMUP, 'warm-up bare TransactWriteItems');

    // --- Measured: route then bare, at concurrency 1 then 16.
    const createRows: [PhaseResult, PhaseResult][] = [];
    let createCensus: Counted | undefined;
    for (const concurrency of [1, HIGH_CONCURRENCY]) {
      const counted = await withCensus(() => createPhase('POST /v1/referrals', N, concurrency));
      if (concurrency === 1) createCensus = counted;
      const bareResult = await bare(concurrency, N, 'bare TransactWriteItems');
      createRows.push([counted.result, bareResult]);
    }

    // --- DynamoDB Local's own capacity figure for the same transaction.
    const createTxForLocal = freshCreateTx();
    const createLocal = localCapacity((await ddb().send(new TransactWriteCommand({ TransactItems: createTxForLocal, ReturnConsumedCapacity: 'INDEXES' }))) as Consumed, tables);
    const createdForLocal = targetOfCreate(createTxForLocal);
    if (createdForLocal) received.push(createdForLocal);

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
    await phase('warm-up GET board', Math.min(10, BOARD_CALLS), 1, () => getBoard().then(() => undefined));
    await phase('warm-up bare board Query', Math.min(10, BOARD_CALLS), 1, () => boardQuery().then(() => undefined));
    const boardCensus = await withCensus(() => phase('GET /v1/referrals?view=board&limit=100', BOARD_CALLS, 1, () => getBoard().then(() => undefined)));
    const boardRoute = boardCensus.result;
    const boardBare = await phase('bare Query board (Limit 100)', BOARD_CALLS, 1, () => boardQuery().then(() => undefined));

    // --- A transition: accept, on referrals moved to under-review first (each used once).
    const postEvent = async (target: Target, event: { readonly type: string }, headers: Record<string, string> = {}) => {
      const res = await fetch(`${url}/v1/referrals/${target.id}/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${boardToken}`, 'Content-Type': 'application/json', 'If-Match': target.etag, ...headers },
        body: JSON.stringify(event),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`POST /v1/referrals/{id}/events (${event.type}) answered ${res.status}: ${text.slice(0, 300)}`);
      return { ...target, etag: res.headers.get('etag') ?? '"0"' };
    };
    const needed = 2 * EVENT_WARMUP + 3 + 4 * EVENTS;
    if (received.length < needed) await bare(8, needed - received.length, 'set-up: more referrals (bare creates)', SETUP_CAP_MS);
    const toReview = received.splice(0, needed);
    const underReview: Target[] = [];
    await phase(
      'set-up: start-review (not measured)',
      toReview.length,
      8,
      async (i) => {
        underReview.push(await postEvent(toReview[i]!, START_REVIEW));
      },
      SETUP_CAP_MS,
    );
    if (underReview.length < needed) progress(`only ${underReview.length} of ${needed} referrals under review: the last phases run short`);
    const take = (count: number) => underReview.splice(0, count);
    const stateOf = async (id: string) =>
      ((await ddb().send(new GetCommand({ TableName: tables.hub, Key: { [PK]: `REFERRAL#${id}`, [SK]: 'STATE' }, ConsistentRead: true }))).Item ?? {}) as Item;

    // One accept with every DynamoDB call captured (and one more with an Idempotency-Key, for WCU).
    const captureAccept = async (target: Target | undefined, headers: Record<string, string> = {}) => {
      if (!target) throw new Error('No referral under review to capture an accept on');
      const before = await stateOf(target.id);
      calls.length = 0;
      callsArmed = true;
      try {
        await postEvent(target, ACCEPT, headers);
      } finally {
        callsArmed = false;
      }
      const seen = calls.splice(0);
      const txCall = seen.find((c) => c.name === 'TransactWriteItems');
      if (!txCall) throw new Error('No transaction was captured for the accept');
      return { target, before, reads: seen.filter((c) => c !== txCall), tx: txCall.input.TransactItems as TransactItems };
    };
    const [captureTarget, keyedTarget, localTarget] = take(3);
    const accept = await captureAccept(captureTarget);
    const keyedAccept = await captureAccept(keyedTarget, { 'Idempotency-Key': randomUUID() });
    const isStateRead = (c: CapturedCall) => c.name === 'GetItem' && isReferralState(c.input.Key as Item | undefined);
    if (!accept.reads.some(isStateRead)) throw new Error(`The accept read no referral state: ${accept.reads.map(describeCall).join(', ')}`);
    if (accept.reads.some((c) => !['GetItem', 'Query', 'BatchGetItem'].includes(c.name))) throw new Error(`The accept made a call other than reads and one transaction: ${accept.reads.map(describeCall).join(', ')}`);

    // Bare: the same reads, then the same transaction, on another referral under review.
    const acceptAuditIds = auditIdsOf(accept.tx);
    const acceptedState = accept.tx.map((t) => t.Put?.Item as Item | undefined).find(isReferralState);
    if (!acceptedState) throw new Error('The accept wrote no referral state');
    const acceptChange = changeOf(accept.before, acceptedState);
    const bareAcceptFor = (target: Target) => {
      const map = new Map<string, string>([
        [accept.target.id, target.id],
        [accept.target.reference, target.reference],
        ...acceptAuditIds.map((a): [string, string] => [a, ulid()]),
      ]);
      return { reads: replaceStrings(accept.reads, map), tx: replaceStrings(accept.tx, map), change: replaceStrings(acceptChange, map) };
    };
    const sendBareAccept = async (prepared: ReturnType<typeof bareAcceptFor>, extra: { ReturnConsumedCapacity?: 'INDEXES' } = {}) => {
      let state: Item | undefined;
      for (const call of prepared.reads) {
        const out = await sendCall(ddb(), call);
        if (isStateRead(call)) state = out.Item as Item | undefined;
      }
      if (!state) throw new Error('bare accept: the referral was not found');
      retarget(prepared.tx, state, prepared.change);
      return ddb().send(new TransactWriteCommand({ TransactItems: prepared.tx, ...extra }));
    };
    const eventRoutePhase = (label: string, count: number, concurrency: number) => {
      const targets = take(count);
      return phase(label, count, concurrency, async (i) => {
        const target = targets[i];
        if (!target) throw new Error('no referral prepared for this request (the set-up fell short)');
        await postEvent(target, ACCEPT);
      });
    };
    const eventBarePhase = (label: string, count: number, concurrency: number) => {
      const prepared = take(count).map(bareAcceptFor);
      return phase(label, count, concurrency, async (i) => {
        const p = prepared[i];
        if (!p) throw new Error('no referral prepared for this request (the set-up fell short)');
        await sendBareAccept(p);
      });
    };
    await eventRoutePhase(`warm-up ${EVENT_ROUTE}`, EVENT_WARMUP, 4);
    await eventBarePhase('warm-up bare accept', EVENT_WARMUP, 4);
    const eventRows: [PhaseResult, PhaseResult][] = [];
    let eventCensus: Counted | undefined;
    for (const concurrency of [1, HIGH_CONCURRENCY]) {
      const counted = await withCensus(() => eventRoutePhase(EVENT_ROUTE, EVENTS, concurrency));
      if (concurrency === 1) eventCensus = counted;
      eventRows.push([counted.result, await eventBarePhase('bare accept (reads + TransactWriteItems)', EVENTS, concurrency)]);
    }
    const acceptLocal = localTarget ? localCapacity((await sendBareAccept(bareAcceptFor(localTarget), { ReturnConsumedCapacity: 'INDEXES' })) as Consumed, tables) : undefined;

    // ------------------------------------------------------------------------------------------
    // Report.
    const out: string[] = [];
    out.push('', `AMHP Referral Hub bench: ${new Date().toISOString()}, DynamoDB Local in memory, local HTTP stack in-process (loopback)`);
    out.push(`Latencies in ms per request (nearest-rank percentiles); "bare" = the same DynamoDB call(s) sent directly on the handlers' document client in this process.`, '');
    out.push(
      perfTable([
        ...createRows.map(([r, b]) => perfRow('POST /v1/referrals', r, b)),
        ...eventRows.map(([r, b]) => perfRow(EVENT_ROUTE, r, b)),
        perfRow('GET /v1/referrals?view=board&limit=100', boardRoute, boardBare),
      ]),
    );
    out.push('  bare for POST = one TransactWriteItems of the captured create items (its duplicate lookups not included).');
    out.push(
      `  bare for the accept = the accept's own calls, captured and replayed in order on another referral under review: ${[...accept.reads.map(describeCall), 'TransactWriteItems'].join(', ')} ` +
        `(${accept.tx.map((t) => describeItem((t.Put?.Item ?? {}) as Item)).join(' + ')}); the state written = the state just read with the captured change applied ` +
        `(${Object.keys(acceptChange.set).length} attributes set, ${acceptChange.removed.length} removed), on its own changeSeq; the event at its next key; a fresh audit id.`,
    );
    out.push('  bare for the board = one Query of the board index, Limit 100.');
    out.push(`  each accept is on its own referral (created in this run, start-review beforehand, not measured), If-Match its current ETag; dana.lead (amhp-lead) is the caller.`);
    if (createCensus) out.push(`  DynamoDB calls per POST at c=1: ${censusText(createCensus)}`);
    if (eventCensus) out.push(`  DynamoDB calls per accept at c=1: ${censusText(eventCensus)}`);
    out.push(`  DynamoDB calls per board GET: ${censusText(boardCensus)}`);
    out.push(...phaseNotes([...createRows.flat(), ...eventRows.flat(), boardRoute, boardBare], PHASE_CAP_MS));

    // WCU per create.
    const lines = wcuOf(createTx, tables);
    const createWcu = wcuTotal(lines);
    out.push('', 'Write capacity of one create by AWS rules (transactional item: 2 WCU per KB rounded up; each GSI entry of a new item: 1 WCU per KB)', '');
    out.push(wcuTable(lines));
    const biggest = [...lines].sort((a, b) => b.total - a.total)[0];
    if (biggest) out.push(`  largest contributor: ${biggest.label} (${biggest.total} WCU of ${createWcu})`);
    const computedIndexWcu = lines.reduce((s, l) => s + l.indexes.reduce((a, x) => a + x.wcu, 0), 0);
    out.push(`  as reported by DynamoDB Local (under-reports transactions): ${createLocal.total} WCU  [${createLocal.detail}]`);
    out.push(
      `  Local's split: table items ${createLocal.total - createLocal.indexes}, GSI entries ${createLocal.indexes} (computed above: ${createWcu - computedIndexWcu} and ${computedIndexWcu})` +
        (createLocal.indexes === 2 * computedIndexWcu ? '; Local prices each GSI entry of a transaction at the transactional 2x rate' : ''),
    );

    // WCU per accept.
    const acceptLines = wcuOf(accept.tx, tables, new Map([[keyOf(accept.before), accept.before]]));
    const keyedLines = wcuOf(keyedAccept.tx, tables, new Map([[keyOf(keyedAccept.before), keyedAccept.before]]));
    const acceptWcu = wcuTotal(acceptLines);
    out.push(
      '',
      'Write capacity of one accept (POST /v1/referrals/{id}/events) by AWS rules (transactional item: 2 WCU per KB; the replaced state at the larger of before/after;',
      'GSI writes at 1 WCU per KB: an entry added or removed 1, an index key changed 2 (delete + put), a projected attribute changed 1 update, an unchanged entry none)',
      '',
    );
    out.push(wcuTable(acceptLines));
    const replaced = acceptLines.find((l) => l.before !== undefined);
    if (replaced) out.push(`  ${replaced.label}: ${replaced.before} bytes before, ${itemSizeBytes((accept.tx.find((t) => isReferralState(t.Put?.Item as Item | undefined))?.Put?.Item ?? {}) as Item)} after`);
    const keyRecord = keyedLines.find((l) => l.label === 'idempotency record');
    out.push(`  with an Idempotency-Key: ${wcuTotal(keyedLines)} WCU${keyRecord ? ` (+ idempotency record ${keyRecord.size} bytes, ${keyRecord.total} WCU)` : ''}`);
    if (acceptLocal) out.push(`  as reported by DynamoDB Local (its own transactional accounting; printed, not used): ${acceptLocal.total} WCU  [${acceptLocal.detail}]`);

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
      const boardAuditWcu = wcuTotal(auditLines);
      const per = auditLines[0];
      out.push(
        `  side effect of one board page: the access audit writes ${auditLines.length} records in one TransactWriteItems = ${boardAuditWcu} WCU` +
          (per ? ` (each ${per.size} bytes: ${per.tableWcu} txn + ${per.indexes.map((x) => `${x.index} ${x.wcu}`).join(' + ')})` : ''),
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
    const [e1, e16] = eventRows;
    out.push(`No stated goal for a transition: accept p50 ${goalRatio(e1).toFixed(2)}x bare at c=1, ${goalRatio(e16).toFixed(2)}x at c=${HIGH_CONCURRENCY}; ${acceptWcu} WCU (computed).`);
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
