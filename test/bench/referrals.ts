/**
 * `npm run bench`: prints the cost and performance figures of ARCHITECTURE.md "Cost and
 * performance targets" for referral creation, a referral transition and the board. It PRINTS
 * figures; it is never a pass/fail test (exit code 0 whatever the figures; non-zero only when the
 * bench itself breaks).
 *
 * One run, one DynamoDB Local (in memory), the local HTTP stack in this process:
 * 1. POST /v1/referrals: warm-up, then N requests at concurrency 1 and N at concurrency 16
 *    (unique Idempotency-Key, fresh times, varied people), beside bare: every DynamoDB call one
 *    create makes (captured from the handler's document client: the person-key Queries, sent
 *    together as the handler sends them, then TransactWriteItems of the very items, replayed
 *    with fresh keys) at the same concurrency: p50/p99, req/s, ratio of the p50s.
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
import { progressTo, runBench, withBenchStack } from './harness.js';
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { HUB_INDEXES, PK, SK } from '../../shared/data/tables.js';
import { indexEntry, indexEntrySize, itemSizeBytes } from './capacity.js';
import {
  envInt,
  replaceStrings,
  runPhase,
  sendCall,
  Census,
  type CapturedCall,
  type Counted,
  type PhaseResult,
} from './phases.js';
import { createBody } from './referral-bodies.js';
import {
  auditIdsOf,
  changeOf,
  describeCall,
  freshKeysFor,
  isReferralState,
  retarget,
  targetOfCreate,
  type Item,
  type Target,
  type TransactItems,
} from './referral-capture.js';
import { localCapacity, type Consumed } from './wcu.js';
import { EVENT_ROUTE, HIGH_CONCURRENCY, referralReport } from './referrals-report.js';

const N = envInt('BENCH_N', 500);
const WARMUP = envInt('BENCH_WARMUP', 50);
const EVENTS = envInt('BENCH_EVENTS', N);
const EVENT_WARMUP = Math.min(WARMUP, 20);
const BOARD_CALLS = envInt('BENCH_BOARD_CALLS', 50);
const PHASE_CAP_MS = envInt('BENCH_PHASE_CAP_S', 45) * 1000;
const SETUP_CAP_MS = 4 * PHASE_CAP_MS;

const TABLE_KEYS = [PK, SK] as const;
const REFERRER_CLIENT = 'police-a-triage';
const BOARD_PERSON = 'dana.lead'; // amhp-lead of 'amhp-service': reads the board, triages
const SERVICE_ID = 'amhp-service';
const START_REVIEW = { type: 'start-review' } as const;
const ACCEPT = { type: 'accept', reason: 'Detained under s.136; assessment needed tonight.' } as const;

const progress = progressTo('bench');
const phase = (
  label: string,
  count: number,
  concurrency: number,
  op: (i: number) => Promise<void>,
  capMs = PHASE_CAP_MS,
) => runPhase(label, count, concurrency, op, { capMs, progress });

async function main(): Promise<void> {
  const runStarted = performance.now();
  await withBenchStack(progress, async ({ stack, url, data: { ddb, tableName } }) => {
    const tables = { hub: tableName('hub'), audit: tableName('audit') };
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
        headers: {
          Authorization: `Bearer ${referrerToken}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': key,
        },
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
    calls.length = 0;
    callsArmed = true;
    const createdText = await post(createBody(0, false), captureKey);
    captureArmed = false;
    callsArmed = false;
    // Every call but the transaction: the reads a create makes (a warm container: the person-key
    // Queries), replayed in the bare figure as the handler sends them (together).
    const createReads = calls.splice(0).filter((c) => c.name !== 'TransactWriteItems');
    const createBareCalls = `${createReads.map(describeCall).join(' + ') || 'no reads'}, then TransactWriteItems`;
    keepCreated(createdText);
    const createTx = captured.shift();
    if (!createTx)
      throw new Error(
        'No transaction was captured: the handlers do not share this document client (module instance differs?)',
      );
    const createdId = (JSON.parse(createdText) as { id: string }).id;
    const freshCreateTx = freshKeysFor(createTx, createdId, captureKey);
    const bare = async (concurrency: number, count: number, label: string, capMs = PHASE_CAP_MS, reads = true) => {
      const txs = Array.from({ length: count }, freshCreateTx);
      const written: TransactItems[] = [];
      const result = await phase(
        label,
        count,
        concurrency,
        async (i) => {
          if (reads) await Promise.all(createReads.map((call) => sendCall(ddb(), call)));
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
    await bare(4, WARMUP, 'warm-up bare create calls');

    // --- Measured: route then bare, at concurrency 1 then 16.
    const createRows: [PhaseResult, PhaseResult][] = [];
    let createCensus: Counted | undefined;
    for (const concurrency of [1, HIGH_CONCURRENCY]) {
      const counted = await withCensus(() => createPhase('POST /v1/referrals', N, concurrency));
      if (concurrency === 1) createCensus = counted;
      const bareResult = await bare(concurrency, N, 'bare create (reads + TransactWriteItems)');
      createRows.push([counted.result, bareResult]);
    }

    // --- DynamoDB Local's own capacity figure for the same transaction.
    const createTxForLocal = freshCreateTx();
    const createLocal = localCapacity(
      (await ddb().send(
        new TransactWriteCommand({ TransactItems: createTxForLocal, ReturnConsumedCapacity: 'INDEXES' }),
      )) as Consumed,
      tables,
    );
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
      const out = await ddb().send(
        new BatchGetCommand({ RequestItems: { [tables.hub]: { Keys: keys.slice(i, i + 100) } } }),
      );
      stored.push(...((out.Responses?.[tables.hub] ?? []) as Item[]));
    }
    const projectedBytes = stored.reduce(
      (s, item) => s + (indexEntrySize(item, HUB_INDEXES.board, TABLE_KEYS) ?? 0),
      0,
    );
    const storedStateBytes = stored.reduce((s, item) => s + itemSizeBytes(item), 0);
    const largestEntry = entries.reduce((m, e) => Math.max(m, itemSizeBytes(e)), 0);
    // What one board entry is made of, by attribute (the largest contributors first).
    const sample = stored[0] ? (indexEntry(stored[0], HUB_INDEXES.board, TABLE_KEYS) ?? {}) : {};
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
    const boardCensus = await withCensus(() =>
      phase('GET /v1/referrals?view=board&limit=100', BOARD_CALLS, 1, () => getBoard().then(() => undefined)),
    );
    const boardRoute = boardCensus.result;
    const boardBare = await phase('bare Query board (Limit 100)', BOARD_CALLS, 1, () =>
      boardQuery().then(() => undefined),
    );

    // --- A transition: accept, on referrals moved to under-review first (each used once).
    const postEvent = async (
      target: Target,
      event: { readonly type: string },
      headers: Record<string, string> = {},
    ) => {
      const res = await fetch(`${url}/v1/referrals/${target.id}/events`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${boardToken}`,
          'Content-Type': 'application/json',
          'If-Match': target.etag,
          ...headers,
        },
        body: JSON.stringify(event),
      });
      const text = await res.text();
      if (res.status !== 200)
        throw new Error(`POST /v1/referrals/{id}/events (${event.type}) answered ${res.status}: ${text.slice(0, 300)}`);
      return { ...target, etag: res.headers.get('etag') ?? '"0"' };
    };
    const needed = 2 * EVENT_WARMUP + 3 + 4 * EVENTS;
    if (received.length < needed)
      await bare(8, needed - received.length, 'set-up: more referrals (bare creates)', SETUP_CAP_MS, false);
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
    if (underReview.length < needed)
      progress(`only ${underReview.length} of ${needed} referrals under review: the last phases run short`);
    const take = (count: number) => underReview.splice(0, count);
    const stateOf = async (id: string) =>
      ((
        await ddb().send(
          new GetCommand({
            TableName: tables.hub,
            Key: { [PK]: `REFERRAL#${id}`, [SK]: 'STATE' },
            ConsistentRead: true,
          }),
        )
      ).Item ?? {}) as Item;

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
      return {
        target,
        before,
        reads: seen.filter((c) => c !== txCall),
        tx: txCall.input.TransactItems as TransactItems,
      };
    };
    const [captureTarget, keyedTarget, localTarget] = take(3);
    const accept = await captureAccept(captureTarget);
    const keyedAccept = await captureAccept(keyedTarget, { 'Idempotency-Key': randomUUID() });
    const isStateRead = (c: CapturedCall) => c.name === 'GetItem' && isReferralState(c.input.Key as Item | undefined);
    if (!accept.reads.some(isStateRead))
      throw new Error(`The accept read no referral state: ${accept.reads.map(describeCall).join(', ')}`);
    if (accept.reads.some((c) => !['GetItem', 'Query', 'BatchGetItem'].includes(c.name)))
      throw new Error(
        `The accept made a call other than reads and one transaction: ${accept.reads.map(describeCall).join(', ')}`,
      );

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
      return {
        reads: replaceStrings(accept.reads, map),
        tx: replaceStrings(accept.tx, map),
        change: replaceStrings(acceptChange, map),
      };
    };
    const sendBareAccept = async (
      prepared: ReturnType<typeof bareAcceptFor>,
      extra: { ReturnConsumedCapacity?: 'INDEXES' } = {},
    ) => {
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
      eventRows.push([
        counted.result,
        await eventBarePhase('bare accept (reads + TransactWriteItems)', EVENTS, concurrency),
      ]);
    }
    const acceptLocal = localTarget
      ? localCapacity(
          (await sendBareAccept(bareAcceptFor(localTarget), { ReturnConsumedCapacity: 'INDEXES' })) as Consumed,
          tables,
        )
      : undefined;

    process.stdout.write(
      referralReport({
        runStarted,
        phaseCapMs: PHASE_CAP_MS,
        tables,
        createRows,
        createCensus,
        createBareCalls,
        createTx,
        createLocal,
        eventRows,
        eventCensus,
        accept,
        keyedAccept,
        acceptChange,
        acceptLocal,
        boardRoute,
        boardBare,
        boardCensus,
        boardAuditTx,
        boardRows,
        page,
        entries,
        entryBytes,
        projectedBytes,
        storedStateBytes,
        largestEntry,
        entryParts,
      }),
    );
  });
}

runBench('bench', main);
