/**
 * Reliability under faults (issue #9): what the Hub promises when its dependencies fail.
 *
 * a. DynamoDB Local killed (SIGKILL) during a burst of creates and restarted on its data
 *    directory: every 2xx create is there with its event, nothing is half-written, and a retry
 *    with the same key settles every request to exactly one referral.
 * b. Throttling injected under the SDK's retry layer: fewer failures than maxAttempts are
 *    absorbed; persistent throttling is a 503 problem+json with Retry-After and writes nothing.
 * c. The stream poller stopped mid-way and started again (replaying from TRIM_HORIZON): the
 *    analytics consumer ends with the same facts and roll-ups as a full replay, none lost.
 * d. A create whose client gave up (aborted) retried with the same key: one referral.
 * e. 50 clients racing one transition with the same If-Match: one 200, the rest 412.
 *
 * This file runs its OWN DynamoDB Local (on a data directory, so it can be killed and
 * restarted on the same port) and points the handlers at it before any module reads the
 * configuration: shared/config.ts and shared/data/client.ts read the environment once per process.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProvisionedThroughputExceededException, ThrottlingException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { scanAll } from '../../shared/data/pages.js';
import type { KinesisStreamEvent } from 'aws-lambda';
import { PK, SK, TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';
import { freePort, localDynamoClient, startDynamoDbLocal, type LocalDynamo } from '../../infra/local/dynamodb.js';
import { ensureTables, tableNames } from '../../infra/local/tables.js';
import { seedRegistry } from '../../infra/local/seed.js';
import { createStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.js';
import { handler as analyticsHandler } from '../../functions/stream/analytics.js';
import { ddb } from '../../shared/data/client.js';
import { factKeyOf } from '../../shared/deidentify/pseudonymise.js';
import { idempotencyKeyOf } from '../../shared/data/idempotency-repository.js';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';

// ---------------------------------------------------------------------------------------------
// Before anything reads the configuration: this file's DynamoDB Local and tables.

const port = await freePort();
const endpoint = `http://127.0.0.1:${port}`;
process.env.DYNAMODB_ENDPOINT = endpoint;
const names = tableNames('faults-');
for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];

let dataDir: string;
let dynamo: LocalDynamo | undefined;
let raw: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let api: TestApi;
const tokens = {} as Record<'police' | 'ambulance' | 'lead', string>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hub-faults-'));
  dynamo = await startDynamoDbLocal({ port, dataDir });
  raw = localDynamoClient(endpoint);
  doc = DynamoDBDocumentClient.from(raw);
  await ensureTables(raw, names);
  await seedRegistry(raw, names);
  api = await startTestApi();
  tokens.police = await api.clientToken('police-a-triage');
  tokens.ambulance = await api.clientToken('ambulance-cad');
  tokens.lead = await api.personToken(PEOPLE.lead);
}, 90_000);

afterAll(async () => {
  await api?.close();
  raw?.destroy();
  await dynamo?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers.

type Item = Record<string, any>;

/** The whole table (test-only: the request path never scans). */
const scan = (table: string): Promise<Item[]> => scanAll(doc, { TableName: table, ConsistentRead: true });

const referralPartition = async (id: string): Promise<Item[]> =>
  ((await doc.send(new QueryCommand({ TableName: names.hub, KeyConditionExpression: '#p = :p', ExpressionAttributeNames: { '#p': PK }, ExpressionAttributeValues: { ':p': `REFERRAL#${id}` }, ConsistentRead: true }))).Items ?? []) as Item[];

/** Referral state items whose referrerReference is one of these. */
async function statesByReference(refs: ReadonlySet<string>): Promise<Item[]> {
  return (await scan(names.hub)).filter((i) => i[SK] === 'STATE' && String(i[PK]).startsWith('REFERRAL#') && refs.has(i.referrer?.referrerReference));
}

function bodyWithReference(reference: string) {
  const body = j1Body();
  body.referrer = { ...body.referrer, referrerReference: reference };
  return body;
}

const post = (token: string, body: unknown, key: string, signal?: AbortSignal) =>
  api.fetch('/v1/referrals', { method: 'POST', token, json: body, headers: { 'Idempotency-Key': key }, ...(signal ? { signal } : {}) });

/**
 * Every referral partition is whole: a STATE and its events 1..changeSeq with no gap, no events
 * without a state, and every idempotency record naming a referral that exists (the create's
 * transaction wrote them together or not at all).
 */
async function checkNothingHalfWritten(): Promise<{ referrals: number }> {
  const hub = await scan(names.hub);
  const partitions = new Map<string, Item[]>();
  for (const item of hub) {
    const pk = String(item[PK]);
    if (pk.startsWith('REFERRAL#')) partitions.set(pk, [...(partitions.get(pk) ?? []), item]);
  }
  const problems: string[] = [];
  for (const [pk, items] of partitions) {
    const state = items.find((i) => i[SK] === 'STATE');
    const seqs = items.filter((i) => String(i[SK]).startsWith('EVENT#')).map((i) => Number(String(i[SK]).slice(6))).sort((a, b) => a - b);
    if (!state) {
      problems.push(`${pk}: events ${seqs.join(',')} without a state`);
      continue;
    }
    if (!seqs.includes(1)) problems.push(`${pk}: state without EVENT#00000001`);
    const expected = Array.from({ length: state.changeSeq }, (_, i) => i + 1);
    if (JSON.stringify(seqs) !== JSON.stringify(expected)) problems.push(`${pk}: events ${seqs.join(',')} for changeSeq ${state.changeSeq}`);
  }
  for (const item of hub.filter((i) => String(i[PK]).startsWith('IDEMPOTENCY#'))) {
    const body = JSON.parse(item.response?.body || '{}') as { id?: string };
    if (String(item.response?.headers?.Location ?? '').startsWith('/v1/referrals/') && (!body.id || !partitions.has(`REFERRAL#${body.id}`))) {
      problems.push(`${item[PK]}: replay names referral ${body.id} that does not exist`);
    }
  }
  const audit = await scan(names.audit);
  for (const record of audit.filter((a) => a.resourceType === 'referral' && a.action === 'create')) {
    if (!partitions.has(`REFERRAL#${record.resourceId}`)) problems.push(`audit ${record.auditId}: create of ${record.resourceId}, which does not exist`);
  }
  const created = new Set(audit.filter((a) => a.resourceType === 'referral' && a.action === 'create').map((a) => a.resourceId));
  for (const pk of partitions.keys()) if (!created.has(pk.slice('REFERRAL#'.length))) problems.push(`${pk}: no create audit record`);
  expect(problems).toEqual([]);
  return { referrals: partitions.size };
}

// ---------------------------------------------------------------------------------------------
// Fault injection on the handlers' own document client, beneath the SDK's retry layer (the
// `deserialize` step runs inside `finalizeRequest`'s retry loop), so the SDK sees each failure
// as it would see DynamoDB's answer.

const FAULT = 'faultInjection';
type Throttle = typeof ProvisionedThroughputExceededException | typeof ThrottlingException;

function injectThrottling(commands: RegExp, failures: number, kind: Throttle = ProvisionedThroughputExceededException) {
  const seen = { calls: 0, failed: 0 };
  ddb().middlewareStack.add(
    (next, context) => async (args) => {
      if (commands.test(context.commandName ?? '')) {
        seen.calls++;
        if (seen.failed < failures) {
          seen.failed++;
          throw new kind({ message: 'Injected by the fault test', $metadata: { httpStatusCode: 400 } });
        }
      }
      return next(args);
    },
    { step: 'deserialize', name: FAULT, priority: 'high' },
  );
  return seen;
}

afterEach(() => {
  ddb().middlewareStack.remove(FAULT);
});

/** The handlers' client's attempts per call (this SDK's DynamoDB default is 4; 3 before its 2026 retry defaults). */
const maxAttempts = async (): Promise<number> => {
  const value = ddb().config.maxAttempts as number | (() => Promise<number>);
  return typeof value === 'function' ? value() : value;
};

// ---------------------------------------------------------------------------------------------

describe('b. throttling from DynamoDB', () => {
  it.each([
    ['ProvisionedThroughputExceededException', ProvisionedThroughputExceededException],
    ['ThrottlingException', ThrottlingException],
  ] as const)('%s on fewer attempts than maxAttempts: the SDK retries and the create succeeds once', async (_name, kind) => {
    const reference = `FAULT-B-${randomUUID().slice(0, 8)}`;
    const max = await maxAttempts();
    const seen = injectThrottling(/^TransactWrite/, max - 1, kind);
    const res = await post(tokens.police, bodyWithReference(reference), randomUUID());
    expect(res.status).toBe(201);
    expect(seen).toEqual({ calls: max, failed: max - 1 });
    expect(await statesByReference(new Set([reference]))).toHaveLength(1);
  });

  it('persistent throttling: 503 problem+json with Retry-After, nothing stored; the retry then creates once', async () => {
    const reference = `FAULT-B-${randomUUID().slice(0, 8)}`;
    const key = randomUUID();
    const body = bodyWithReference(reference);
    const auditBefore = (await scan(names.audit)).length;
    const seen = injectThrottling(/^TransactWrite/, Number.POSITIVE_INFINITY);
    const res = await post(tokens.police, body, key);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const problem = (await res.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 503 });
    expect(JSON.stringify(problem)).not.toContain(reference);
    expect(seen.calls).toBe(await maxAttempts()); // the SDK tried as often as it may, then gave up
    ddb().middlewareStack.remove(FAULT);

    expect(await statesByReference(new Set([reference]))).toEqual([]);
    const idem = await doc.send(new GetCommand({ TableName: names.hub, Key: idempotencyKeyOf({ organisationId: 'police-a', clientId: 'police-a-triage' }, key), ConsistentRead: true }));
    expect(idem.Item).toBeUndefined();
    expect((await scan(names.audit)).length).toBe(auditBefore);

    const retry = await post(tokens.police, body, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await statesByReference(new Set([reference]))).toHaveLength(1);
  });

  it('persistent throttling of a transition: 503, the referral unchanged; the retry then applies once', async () => {
    const created = await createReferral(api, tokens.police);
    injectThrottling(/^TransactWrite/, Number.POSITIVE_INFINITY, ThrottlingException);
    const failed = await postEvent(api, tokens.lead, created.id, { type: 'start-review' }, created.etag);
    expect(failed.status).toBe(503);
    ddb().middlewareStack.remove(FAULT);
    const items = await referralPartition(created.id);
    expect(items.find((i) => i[SK] === 'STATE')).toMatchObject({ version: 1, changeSeq: 1, status: 'received' });
    expect(items.filter((i) => String(i[SK]).startsWith('EVENT#'))).toHaveLength(1);
    const ok = await postEvent(api, tokens.lead, created.id, { type: 'start-review' }, created.etag);
    expect(ok.status).toBe(200);
    expect(ok.etag).toBe('"2"');
  });

  it('throttled reads as well (every call): 503, never 500', async () => {
    injectThrottling(/./, Number.POSITIVE_INFINITY);
    const res = await post(tokens.police, j1Body(), randomUUID());
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBeTruthy();
  });
});

describe('d. a create retried after the client gave up', () => {
  it('aborted at 0–80 ms, then retried with the same key: exactly one referral per key', async () => {
    const cases = [0, 1, 2, 5, 10, 20, 40, 80].map((abortAfterMs) => ({ abortAfterMs, key: randomUUID(), reference: `FAULT-D-${abortAfterMs}-${randomUUID().slice(0, 6)}` }));
    const outcomes: { abortAfterMs: number; first: string; retry: number; replayed: boolean; id: string }[] = [];
    for (const c of cases) {
      const body = bodyWithReference(c.reference);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), c.abortAfterMs);
      let first: string;
      try {
        const res = await post(tokens.ambulance, body, c.key, controller.signal);
        first = `answered ${res.status}`;
        await res.arrayBuffer().catch(() => undefined);
      } catch (error) {
        first = (error as Error).name;
      } finally {
        clearTimeout(timer);
      }
      const retry = await post(tokens.ambulance, body, c.key);
      const view = (await retry.json()) as { id: string };
      outcomes.push({ abortAfterMs: c.abortAfterMs, first, retry: retry.status, replayed: retry.headers.get('idempotent-replayed') === 'true', id: view.id });
    }
    // The server finishes an abandoned request on its own: let any still in flight settle.
    await new Promise((r) => setTimeout(r, 500));
    expect(outcomes.map((o) => o.retry)).toEqual(cases.map(() => 201));
    expect(outcomes.filter((o) => o.first === 'AbortError').length).toBeGreaterThan(0);
    const states = await statesByReference(new Set(cases.map((c) => c.reference)));
    expect(states).toHaveLength(cases.length);
    for (const [i, c] of cases.entries()) {
      const mine = states.filter((s) => s.referrer.referrerReference === c.reference);
      expect(mine.map((s) => s.id), `abort after ${c.abortAfterMs} ms`).toEqual([outcomes[i]!.id]);
    }
  });
});

describe('e. racing one transition', () => {
  it('50 clients start-review with If-Match "1": exactly one 200, the rest 412', async () => {
    const created = await createReferral(api, tokens.police);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.fetch(`/v1/referrals/${created.id}/events`, { method: 'POST', token: tokens.lead, json: { type: 'start-review' }, headers: { 'If-Match': '"1"' } }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    const counts = Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length]));
    expect(counts).toEqual({ 200: 1, 412: 49 });
    const items = await referralPartition(created.id);
    expect(items.find((i) => i[SK] === 'STATE')).toMatchObject({ version: 2, changeSeq: 2, status: 'under-review' });
    expect(items.filter((i) => String(i[SK]).startsWith('EVENT#')).map((i) => i[SK])).toEqual(['EVENT#00000001', 'EVENT#00000002']);
  }, 60_000);
});

describe('a. DynamoDB Local killed during a burst of creates', () => {
  /**
   * DynamoDB Local acknowledges a TransactWriteItems a few milliseconds before its SQLite commit
   * is on disk (measured: a transaction acknowledged ≤ 10 ms before a SIGKILL can be gone after
   * the restart, whole; PutItem is not affected). DynamoDB itself acknowledges only what is
   * durable. So a 201 received within this grace before the kill may be lost by the emulator:
   * such a create must be whole or absent, and its client's retry must create it once.
   */
  const EMULATOR_GRACE_MS = 200;

  it('every 2xx create survives the restart whole; a retry with the same key settles each request to one referral', async () => {
    const N = 40;
    const requests = Array.from({ length: N }, (_, i) => ({ key: randomUUID(), reference: `FAULT-A-${i}-${randomUUID().slice(0, 6)}` }));
    const bodies = requests.map((r) => bodyWithReference(r.reference));
    const results: { status: number; id?: string; at: number }[] = new Array(N);
    let ok = 0;
    let killAt = Number.POSITIVE_INFINITY;
    const old = dynamo!;
    const kill = () => {
      if (killAt !== Number.POSITIVE_INFINITY) return;
      killAt = performance.now();
      old.process.kill('SIGKILL');
    };
    // A client every 30 ms; the kill 300 ms after the tenth 201, with requests in flight and more to come.
    await Promise.all(
      requests.map(async (r, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 30));
        try {
          const res = await post(tokens.police, bodies[i], r.key);
          const json = (await res.json()) as { id?: string };
          results[i] = { status: res.status, ...(res.status === 201 ? { id: json.id } : {}), at: performance.now() };
          if (res.status === 201 && ++ok === 10) setTimeout(kill, 300);
        } catch {
          results[i] = { status: 0, at: performance.now() };
        }
      }),
    );
    kill();
    await old.stop(); // already dead: only forgets its exit hook
    const created = results.filter((r) => r.status === 201);
    const durable = created.filter((r) => r.at <= killAt - EMULATOR_GRACE_MS);
    const late = created.filter((r) => r.at > killAt - EMULATOR_GRACE_MS);
    const failed = results.filter((r) => r.status !== 201);
    expect(durable.length).toBeGreaterThanOrEqual(10);
    expect(failed.length).toBeGreaterThan(0); // the kill really was mid-burst
    // An unreachable database is a retryable 503, never a 500 or an answer that blames the client.
    expect(failed.every((r) => r.status === 503)).toBe(true);

    dynamo = await startDynamoDbLocal({ port, dataDir });

    for (const r of durable) {
      const read = await api.fetch(`/v1/referrals/${r.id}`, { token: tokens.lead });
      expect(read.status, `created ${(killAt - r.at).toFixed(0)} ms before the kill`).toBe(200);
      const events = (await (await api.fetch(`/v1/referrals/${r.id}/events`, { token: tokens.lead })).json()) as { items: { type: string }[] };
      expect(events.items.map((e) => e.type)).toEqual(['received']);
    }
    const lostByEmulator: typeof late = [];
    for (const r of late) if ((await api.fetch(`/v1/referrals/${r.id}`, { token: tokens.lead })).status !== 200) lostByEmulator.push(r);
    await checkNothingHalfWritten();

    // The clients whose answer was lost retry with their keys: each request ends as one referral.
    const retried = await Promise.all(requests.map((r, i) => post(tokens.police, bodies[i], r.key)));
    expect(retried.map((r) => r.status)).toEqual(requests.map(() => 201));
    const ids = await Promise.all(retried.map(async (r) => ((await r.json()) as { id: string }).id));
    for (const [i, r] of results.entries()) if (r.status === 201 && !lostByEmulator.includes(r)) expect(ids[i]).toBe(r.id);
    const states = await statesByReference(new Set(requests.map((r) => r.reference)));
    expect(states).toHaveLength(N);
    expect(new Set(states.map((s) => s.id))).toEqual(new Set(ids));
    await checkNothingHalfWritten();
    console.info(
      `[faults a] ${created.length}/${N} got 201 before the kill (${durable.length} more than ${EMULATOR_GRACE_MS} ms before it, all present; ${late.length} later, ${lostByEmulator.length} lost by DynamoDB Local); ` +
        `failed while down: ${JSON.stringify(Object.fromEntries([...new Set(failed.map((f) => f.status))].map((s) => [s, failed.filter((f) => f.status === s).length])))}; ` +
        `replayed on retry: ${retried.filter((r) => r.headers.get('idempotent-replayed') === 'true').length}`,
    );
  }, 90_000);
});

describe('c. the stream poller stopped and resumed', () => {
  const pollers: StreamPoller[] = [];
  afterAll(async () => {
    await Promise.all(pollers.map((p) => p.stop()));
  });

  /** The analytics consumer behind a counter of what it was handed (records may come again). */
  function startAnalyticsPoller(onBatch: (event: KinesisStreamEvent) => void): StreamPoller {
    const poller = createStreamPoller({
      endpoint,
      tableName: names.hub,
      parkTableName: names.hub,
      consumers: [
        {
          id: 'analytics',
          shape: 'kinesis',
          pkPrefixes: ['REFERRAL#', 'BEDUNIT#'],
          batchSize: 5,
          maxAttempts: 5,
          handler: async (event) => {
            onBatch(event);
            return analyticsHandler(event);
          },
        },
      ],
      pollIntervalMs: 20,
      backoff: { baseMs: 5, maxMs: 50 },
      onError: () => undefined,
    });
    pollers.push(poller);
    poller.start();
    return poller;
  }

  /** Facts, roll-ups and capacity counters, as comparable text. */
  async function analyticsSnapshot() {
    const items = await scan(names.analytics);
    const pick = (prefix: string) =>
      items
        .filter((i) => String(i[PK]).startsWith(prefix))
        .map((i) => JSON.stringify(Object.fromEntries(Object.entries(i).sort(([a], [b]) => (a < b ? -1 : 1)))))
        .sort();
    return { facts: pick('FACTS#'), rollups: pick('ROLLUP#'), capacity: pick('CAPACITY') };
  }

  it('a consumer stopped mid-way and replayed from the start ends equal to a full replay: nothing lost, nothing counted twice', async () => {
    // Changes the roll-ups must follow: creates, and some moved on (a −1/+1 per move).
    for (let i = 0; i < 12; i++) {
      const r = await createReferral(api, i % 2 ? tokens.police : tokens.ambulance);
      if (i % 3 === 0) {
        const step = await postEvent(api, tokens.lead, r.id, { type: 'start-review' }, r.etag);
        await postEvent(api, tokens.lead, r.id, { type: 'not-accept', reason: 'No assessment needed', disposition: 'advice', nextSteps: 'GP follow-up' }, step.etag!);
      }
    }
    const hub = await scan(names.hub);
    const states = hub.filter((i) => String(i[PK]).startsWith('REFERRAL#') && i[SK] === 'STATE');
    const totalChanges = hub.filter((i) => String(i[PK]).startsWith('REFERRAL#') && String(i[SK]).startsWith('EVENT#')).length;

    // First run: stopped once it has been handed about half of the referral changes.
    const seen = new Map<string, number>();
    let handed = 0;
    let half: () => void;
    const halfway = new Promise<void>((resolve) => (half = resolve));
    const count = (event: KinesisStreamEvent) => {
      for (const r of event.Records) seen.set(r.eventID, (seen.get(r.eventID) ?? 0) + 1);
      handed += event.Records.length;
      if (handed >= totalChanges / 2) half();
    };
    const first = startAnalyticsPoller(count);
    await halfway;
    await first.stop();
    const partial = await analyticsSnapshot();
    expect(partial.facts.length).toBeLessThan(states.length);

    // Second run: a new poller, checkpoints gone, from TRIM_HORIZON: records come again.
    const second = startAnalyticsPoller(count);
    await second.drain();
    await second.stop();
    const resumed = await analyticsSnapshot();
    expect([...seen.values()].some((n) => n > 1)).toBe(true); // there were repeats

    // Third run: the whole stream again; nothing may move.
    const third = startAnalyticsPoller(() => undefined);
    await third.drain();
    await third.stop();
    const replayed = await analyticsSnapshot();
    expect(replayed).toEqual(resumed);

    // Facts equal referrals: one per referral, at its latest change; the roll-ups count each once.
    const key = Buffer.from(process.env.PSEUDONYMISATION_KEY!, 'base64');
    const facts = (await scan(names.analytics)).filter((i) => String(i[PK]).startsWith('FACTS#'));
    expect(facts).toHaveLength(states.length);
    const byKey = new Map(facts.map((f) => [f.factKey, f]));
    for (const s of states) expect(byKey.get(factKeyOf(s.id, key))?.changeSeq, s.id).toBe(s.changeSeq);
    const rollupTotal = (await scan(names.analytics))
      .filter((i) => String(i[PK]).startsWith('ROLLUP#'))
      .reduce((sum, item) => sum + Object.entries(item).reduce((n, [name, v]) => n + (name.startsWith('n|') ? Number(v) : 0), 0), 0);
    expect(rollupTotal).toBe(states.length);
    const notAccepted = states.filter((s) => s.status === 'not-accepted').length;
    const rolledNotAccepted = (await scan(names.analytics))
      .filter((i) => String(i[PK]).startsWith('ROLLUP#'))
      .reduce((sum, item) => sum + Object.entries(item).reduce((n, [name, v]) => n + (name.startsWith('n|') && name.split('|')[3] === 'not-accepted' ? Number(v) : 0), 0), 0);
    expect(rolledNotAccepted).toBe(notAccepted);
  }, 90_000);
});
