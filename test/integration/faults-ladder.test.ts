/**
 * The bed-ladder sweep under faults (issue #20; the pattern of faults.test.ts): what it promises
 * when DynamoDB fails under it — nothing lost, nothing doubled.
 *
 * Faults are injected on the sweep's own document client, beneath the SDK's retry layer:
 * - a transaction that fails before it reaches the table (the write did not happen), and
 * - a transaction whose answer is lost after it committed (the write happened; the sweep sees
 *   an error), the case that would double an escalation without the per-step markers;
 * while two sweeps race each round, then the sweep "restarts" (fresh module state, a new client)
 * and runs again. Every missed step must then be on its referral exactly once, each referral's
 * events running 1..changeSeq with no gap.
 *
 * This file keeps its own tables so that no other file's ladders are swept.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SK, TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';
import { localDynamoClient } from '../../infra/local/dynamodb.js';
import { ensureTables, tableNames } from '../../infra/local/tables.js';
import { seedRegistry } from '../../infra/local/seed.js';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';
import { queryPartition } from '../support/partition.js';
import { createReferral, postEvent } from '../support/referrals.js';

const names = tableNames(`faults-ladder-${randomUUID().slice(0, 8)}-`);
for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];

const REFERRALS = 12;
const STEPS = 3; // the default ladder: every step missed by a request five hours old

let api: TestApi;
const raw = localDynamoClient(inject('dynamoEndpoint'));
const doc = DynamoDBDocumentClient.from(raw);
const ids: string[] = [];

type Item = Record<string, any>;

/** The sweep and the client it uses, as a fresh process would load them. */
async function freshSweep() {
  vi.resetModules();
  const sweep = await import('../../functions/beds/ladder-sweep.js');
  const { ddb } = await import('../../shared/data/client.js');
  return { sweep, ddb };
}

/**
 * Fails TransactWriteItems calls by turn: every `lostEvery`-th commits and then loses its answer;
 * every `failEvery`-th fails before it is sent. Returns what happened.
 */
function injectFaults(ddb: () => DynamoDBDocumentClient, lostEvery: number, failEvery: number) {
  const seen = { calls: 0, lost: 0, failed: 0 };
  ddb().middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'TransactWriteItemsCommand' && context.commandName !== 'TransactWriteCommand')
        return next(args);
      seen.calls++;
      if (seen.calls % failEvery === 0) {
        seen.failed++;
        throw Object.assign(new Error('Injected: the request never reached the table'), { name: 'NetworkingError' });
      }
      const out = await next(args);
      if (seen.calls % lostEvery === 0) {
        seen.lost++;
        throw Object.assign(new Error('Injected: the answer was lost after the commit'), { name: 'TimeoutError' });
      }
      return out;
    },
    { step: 'deserialize', name: 'ladderFaults', priority: 'high' },
  );
  return seen;
}

const partition = (id: string): Promise<Item[]> => queryPartition(doc, names.hub, `REFERRAL#${id}`);

beforeAll(async () => {
  await ensureTables(raw, names);
  await seedRegistry(raw, names);
  api = await startTestApi();
  const police = await api.clientToken('police-a-triage');
  const lead = await api.personToken(PEOPLE.lead);
  const sam = await api.personToken(PEOPLE.amhp);
  for (let i = 0; i < REFERRALS; i++) {
    const r = await createReferral(api, police);
    let step = await postEvent(api, lead, r.id, { type: 'start-review' }, r.etag);
    step = await postEvent(api, lead, r.id, { type: 'accept', reason: 'Assessment needed.' }, step.etag!);
    step = await postEvent(
      api,
      lead,
      r.id,
      { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: new Date(Date.now() + 3_600_000).toISOString() },
      step.etag!,
    );
    const at = new Date(Date.now() - 5 * 3_600_000).toISOString();
    step = await postEvent(
      api,
      sam,
      r.id,
      { type: 'bed-requested', occurredAt: at, bedType: 'picu', sex: 'female' },
      step.etag!,
    );
    expect(step.status).toBe(200);
    ids.push(r.id);
  }
}, 180_000);

afterAll(async () => {
  await api?.close();
  raw.destroy();
});

describe('ladder sweep under faults', () => {
  it('loses no escalation and doubles none: failed and answer-lost transactions, racing sweeps, a ' +
    'restart', async () => {
    const now = new Date();
    const injected = { calls: 0, lost: 0, failed: 0 };
    for (let round = 0; round < 3; round++) {
      const { sweep, ddb } = await freshSweep();
      const seen = injectFaults(ddb, 3, 4);
      const results = await Promise.all([sweep.sweepLadders(now), sweep.sweepLadders(now)]);
      expect(results.every((r) => r.referrals >= 0)).toBe(true);
      ddb().middlewareStack.remove('ladderFaults');
      injected.calls += seen.calls;
      injected.lost += seen.lost;
      injected.failed += seen.failed;
    }
    // The faults happened (the test could fail), in both kinds.
    expect(injected.lost).toBeGreaterThan(0);
    expect(injected.failed).toBeGreaterThan(0);

    // A restart with a healthy table: whatever is still owed is appended now, once.
    const { sweep } = await freshSweep();
    await Promise.all([sweep.sweepLadders(now), sweep.sweepLadders(now)]);
    const again = await (await freshSweep()).sweep.sweepLadders(now);
    expect(again.events).toBe(0);

    const problems: string[] = [];
    for (const id of ids) {
      const items = await partition(id);
      const state = items.find((i) => i[SK] === 'STATE')!;
      const events = items.filter((i) => String(i[SK]).startsWith('EVENT#')).sort((a, b) => a.seq - b.seq);
      const seqs = events.map((e) => e.seq);
      if (JSON.stringify(seqs) !== JSON.stringify(Array.from({ length: state.changeSeq }, (_, i) => i + 1)))
        problems.push(`${id}: events ${seqs.join(',')} for changeSeq ${state.changeSeq}`);
      const steps = events.filter((e) => e.type === 'escalated').map((e) => e.data.ladderStep);
      if (JSON.stringify(steps) !== JSON.stringify([1, 2, 3]))
        problems.push(`${id}: escalated steps ${steps.join(',')}`);
      const markers = items.filter((i) => String(i[SK]).startsWith('LADDERSTEP#'));
      if (markers.length !== STEPS) problems.push(`${id}: ${markers.length} step markers`);
      if (JSON.stringify(state.bedLadders[0].escalated) !== JSON.stringify([1, 2, 3]))
        problems.push(`${id}: ladder escalated ${state.bedLadders[0].escalated}`);
      if (state.escalations.filter((e: string) => e === 'no-bed').length !== STEPS)
        problems.push(`${id}: escalations ${state.escalations}`);
      // Nothing more is due: the entry has left the sweep's index.
      const entry = items.find((i) => i[SK] === 'LADDER');
      if (!entry || entry.areaPk !== undefined) problems.push(`${id}: ladder entry still in the index`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
