/** faults tests, restarts: see ./faults.fixture.ts for what they run against. */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import type { KinesisStreamEvent } from 'aws-lambda';
import { PK, SK } from '../../shared/data/tables.js';
import { createStreamPoller, type StreamPoller } from '../../infra/local/stream-poller.js';
import { handler as analyticsHandler } from '../../functions/stream/analytics.js';
import { factKeyOf } from '../../shared/deidentify/pseudonymise.js';
import { createReferral, postEvent } from '../support/referrals.js';
import { rollupCount } from '../support/rollups.js';
import {
  endpoint,
  names,
  dynamo,
  restartDynamo,
  api,
  tokens,
  scan,
  statesByReference,
  bodyWithReference,
  post,
  checkNothingHalfWritten,
} from './faults.fixture.js';

describe('a. DynamoDB Local killed during a burst of creates', () => {
  /**
   * DynamoDB Local acknowledges a TransactWriteItems a few milliseconds before its SQLite commit
   * is on disk (measured: a transaction acknowledged ≤ 10 ms before a SIGKILL can be gone after
   * the restart, whole; PutItem is not affected). DynamoDB itself acknowledges only what is
   * durable. So a 201 received within this grace before the kill may be lost by the emulator:
   * such a create must be whole or absent, and its client's retry must create it once.
   */
  const EMULATOR_GRACE_MS = 200;

  it('every 2xx create survives the restart whole; a retry with the same key settles each request to one ' +
    'referral', async () => {
    const N = 40;
    const requests = Array.from({ length: N }, (_, i) => ({
      key: randomUUID(),
      reference: `FAULT-A-${i}-${randomUUID().slice(0, 6)}`,
    }));
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

    await restartDynamo();

    for (const r of durable) {
      const read = await api.fetch(`/v1/referrals/${r.id}`, { token: tokens.lead });
      expect(read.status, `created ${(killAt - r.at).toFixed(0)} ms before the kill`).toBe(200);
      const events = (await (await api.fetch(`/v1/referrals/${r.id}/events`, { token: tokens.lead })).json()) as {
        items: { type: string }[];
      };
      expect(events.items.map((e) => e.type)).toEqual(['received']);
    }
    const lostByEmulator: typeof late = [];
    for (const r of late)
      if ((await api.fetch(`/v1/referrals/${r.id}`, { token: tokens.lead })).status !== 200) lostByEmulator.push(r);
    await checkNothingHalfWritten();

    // The clients whose answer was lost retry with their keys: each request ends as one referral.
    const retried = await Promise.all(requests.map((r, i) => post(tokens.police, bodies[i], r.key)));
    expect(retried.map((r) => r.status)).toEqual(requests.map(() => 201));
    const ids = await Promise.all(retried.map(async (r) => ((await r.json()) as { id: string }).id));
    for (const [i, r] of results.entries())
      if (r.status === 201 && !lostByEmulator.includes(r)) expect(ids[i]).toBe(r.id);
    const states = await statesByReference(new Set(requests.map((r) => r.reference)));
    expect(states).toHaveLength(N);
    expect(new Set(states.map((s) => s.id))).toEqual(new Set(ids));
    await checkNothingHalfWritten();
    console.info(
      `[faults a] ${created.length}/${N} got 201 before the kill (${durable.length} more ` +
        `than ${EMULATOR_GRACE_MS} ms before it, all present; ${late.length} later, ${lostByEmulator.length} ` +
        `lost by DynamoDB Local); ` +
        `failed while down: ${JSON.stringify(
          Object.fromEntries(
            [...new Set(failed.map((f) => f.status))].map((s) => [s, failed.filter((f) => f.status === s).length]),
          ),
        )}; ` +
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

  it('a consumer stopped mid-way and replayed from the start ends equal to a full replay: nothing lost, ' +
    'nothing counted twice', async () => {
    // Changes the roll-ups must follow: creates, and some moved on (a −1/+1 per move).
    for (let i = 0; i < 12; i++) {
      const r = await createReferral(api, i % 2 ? tokens.police : tokens.ambulance);
      if (i % 3 === 0) {
        const step = await postEvent(api, tokens.lead, r.id, { type: 'start-review' }, r.etag);
        await postEvent(
          api,
          tokens.lead,
          r.id,
          { type: 'not-accept', reason: 'No assessment needed', disposition: 'advice', nextSteps: 'GP follow-up' },
          step.etag!,
        );
      }
    }
    const hub = await scan(names.hub);
    const states = hub.filter((i) => String(i[PK]).startsWith('REFERRAL#') && i[SK] === 'STATE');
    const totalChanges = hub.filter(
      (i) => String(i[PK]).startsWith('REFERRAL#') && String(i[SK]).startsWith('EVENT#'),
    ).length;

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
    const rollupTotal = rollupCount(await scan(names.analytics));
    expect(rollupTotal).toBe(states.length);
    const notAccepted = states.filter((s) => s.status === 'not-accepted').length;
    const rolledNotAccepted = rollupCount(await scan(names.analytics), (name) => name.split('|')[3] === 'not-accepted');
    expect(rolledNotAccepted).toBe(notAccepted);
  }, 90_000);
});
