/**
 * Section 1-2 of the referral bench: POST /v1/referrals beside its bare DynamoDB calls, and the
 * write capacity of one create as DynamoDB Local reports it (the computed figure is the report's).
 * Every referral created here (route or bare) joins the pool the transitions take from.
 */
import { randomUUID } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { routeBesideBare, sendCall, type BesideBare, type PhaseResult } from './phases.js';
import { readsOf, transactionOf } from './recorder.js';
import { createBody } from './referral-bodies.js';
import { describeCall, freshKeysFor, targetOfCreate, type TransactItems } from './referral-capture.js';
import type { ReferralBench } from './referral-context.js';
import { localCapacity, type Consumed } from './wcu.js';

export interface CreateFigures extends BesideBare {
  /** The calls the bare phase replays, briefly (`Query person index + …, then TransactWriteItems`). */
  readonly bareCalls: string;
  /** The captured create's transaction, priced by the report. */
  readonly tx: TransactItems;
  readonly local: ReturnType<typeof localCapacity>;
}

export interface CreateSection {
  readonly figures: CreateFigures;
  /** More referrals for the pool, by the bare transaction alone (set-up: not measured). */
  readonly topUp: (count: number, label: string) => Promise<PhaseResult>;
}

export async function measureCreate(
  bench: ReferralBench,
  referrerToken: string,
  counts: { readonly n: number; readonly warmup: number },
): Promise<CreateSection> {
  const { url, ddb, tables, recorder, phase, received } = bench;
  // Not harness.fetchWithToken: the bodies are serialised before a phase starts, not inside the timing.
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

  // Warm-up, then one create with its calls recorded (a new person: no duplicates).
  await createPhase('warm-up POST /v1/referrals', counts.warmup, 4);
  const captureKey = randomUUID();
  const { value: createdText, calls } = await recorder.record(() => post(createBody(0, false), captureKey));
  // Every call but the transaction: the reads a create makes (a warm container: the person-key
  // Queries), replayed in the bare figure as the handler sends them (together).
  const createReads = readsOf(calls);
  const bareCalls = `${createReads.map(describeCall).join(' + ') || 'no reads'}, then TransactWriteItems`;
  keepCreated(createdText);
  const tx = transactionOf(calls, captureKey)?.items;
  if (!tx)
    throw new Error(
      'No transaction was captured: the handlers do not share this document client (module instance differs?)',
    );
  const createdId = (JSON.parse(createdText) as { id: string }).id;
  const freshCreateTx = freshKeysFor(tx, createdId, captureKey);
  const bare = async (concurrency: number, count: number, label: string, capMs?: number, reads = true) => {
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
    for (const items of written) {
      const target = targetOfCreate(items);
      if (target) received.push(target);
    }
    return result;
  };
  await bare(4, counts.warmup, 'warm-up bare create calls');

  const measured = await routeBesideBare(
    recorder.census,
    (concurrency) => createPhase('POST /v1/referrals', counts.n, concurrency),
    (concurrency) => bare(concurrency, counts.n, 'bare create (reads + TransactWriteItems)'),
  );

  // DynamoDB Local's own capacity figure for the same transaction.
  const txForLocal = freshCreateTx();
  const local = localCapacity(
    (await ddb().send(
      new TransactWriteCommand({ TransactItems: txForLocal, ReturnConsumedCapacity: 'INDEXES' }),
    )) as Consumed,
    tables,
  );
  const createdForLocal = targetOfCreate(txForLocal);
  if (createdForLocal) received.push(createdForLocal);

  return {
    figures: { ...measured, bareCalls, tx, local },
    topUp: (count, label) => bare(8, count, label, bench.setupCapMs, false),
  };
}
