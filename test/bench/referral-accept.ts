/**
 * Section 4 of the referral bench: a transition, POST /v1/referrals/{id}/events {type: accept}
 * as the duty lead with If-Match, each request on its own referral moved to under-review
 * beforehand (not measured), beside the accept's own DynamoDB calls replayed in order on other
 * referrals under review; one accept's calls captured for the report's write capacity (and one
 * more with an Idempotency-Key), and DynamoDB Local's own figure for a replayed one.
 */
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { fetchWithToken } from './harness.js';
import { replaceStrings, routeBesideBare, sendCall, type BesideBare, type CapturedCall } from './phases.js';
import { readState, readsOf, transactionOf } from './recorder.js';
import {
  auditIdsOf,
  changeOf,
  describeCall,
  isReferralState,
  retarget,
  type Item,
  type ItemChange,
  type Target,
  type TransactItems,
} from './referral-capture.js';
import type { ReferralBench } from './referral-context.js';
import type { CreateSection } from './referral-create.js';
import { localCapacity, type Consumed } from './wcu.js';

export const EVENT_ROUTE = 'POST /v1/referrals/{id}/events (accept)';
const START_REVIEW = { type: 'start-review' } as const;
const ACCEPT = { type: 'accept', reason: 'Detained under s.136; assessment needed tonight.' } as const;

export interface CapturedAccept {
  readonly target: Target;
  /** The referral's state before the accept (the replaced item's "before" size). */
  readonly before: Item;
  readonly reads: CapturedCall[];
  readonly tx: TransactItems;
}

export interface AcceptFigures extends BesideBare {
  readonly accept: CapturedAccept;
  readonly keyedAccept: CapturedAccept;
  /** What the captured accept did to the state: what the bare replay applies to another referral. */
  readonly change: ItemChange;
  readonly local: ReturnType<typeof localCapacity> | undefined;
}

const isStateRead = (c: CapturedCall) => c.name === 'GetItem' && isReferralState(c.input.Key as Item | undefined);

export async function measureAccept(
  bench: ReferralBench,
  create: CreateSection,
  boardToken: string,
  counts: { readonly events: number; readonly warmup: number },
): Promise<AcceptFigures> {
  const { url, ddb, tables, recorder, phase, progress, received } = bench;
  const postEvent = async (target: Target, event: { readonly type: string }, headers: Record<string, string> = {}) => {
    const path = `/v1/referrals/${target.id}/events`;
    const res = await fetchWithToken(url, 'POST', path, boardToken, event, { 'If-Match': target.etag, ...headers });
    const text = await res.text();
    if (res.status !== 200)
      throw new Error(`POST /v1/referrals/{id}/events (${event.type}) answered ${res.status}: ${text.slice(0, 300)}`);
    return { ...target, etag: res.headers.get('etag') ?? '"0"' };
  };

  // Referrals moved to under-review first (each used once): warm-ups, three captures, four phases.
  const needed = 2 * counts.warmup + 3 + 4 * counts.events;
  if (received.length < needed) await create.topUp(needed - received.length, 'set-up: more referrals (bare creates)');
  const toReview = received.splice(0, needed);
  const underReview: Target[] = [];
  await phase(
    'set-up: start-review (not measured)',
    toReview.length,
    8,
    async (i) => {
      underReview.push(await postEvent(toReview[i]!, START_REVIEW));
    },
    bench.setupCapMs,
  );
  if (underReview.length < needed)
    progress(`only ${underReview.length} of ${needed} referrals under review: the last phases run short`);
  const take = (count: number) => underReview.splice(0, count);

  // One accept with every DynamoDB call captured (and one more with an Idempotency-Key, for WCU).
  const captureAccept = async (target: Target | undefined, headers: Record<string, string> = {}) => {
    if (!target) throw new Error('No referral under review to capture an accept on');
    const before = await readState(ddb(), tables.hub, `REFERRAL#${target.id}`);
    const { calls } = await recorder.record(() => postEvent(target, ACCEPT, headers));
    const tx = transactionOf(calls, target.id)?.items;
    if (!tx) throw new Error('No transaction was captured for the accept');
    return { target, before, reads: readsOf(calls), tx };
  };
  const [captureTarget, keyedTarget, localTarget] = take(3);
  const accept = await captureAccept(captureTarget);
  const keyedAccept = await captureAccept(keyedTarget, { 'Idempotency-Key': randomUUID() });
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
  const change = changeOf(accept.before, acceptedState);
  const bareAcceptFor = (target: Target) => {
    const map = new Map<string, string>([
      [accept.target.id, target.id],
      [accept.target.reference, target.reference],
      ...acceptAuditIds.map((a): [string, string] => [a, ulid()]),
    ]);
    return {
      reads: replaceStrings(accept.reads, map),
      tx: replaceStrings(accept.tx, map),
      change: replaceStrings(change, map),
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
  const routePhase = (label: string, count: number, concurrency: number) => {
    const targets = take(count);
    return phase(label, count, concurrency, async (i) => {
      const target = targets[i];
      if (!target) throw new Error('no referral prepared for this request (the set-up fell short)');
      await postEvent(target, ACCEPT);
    });
  };
  const barePhase = (label: string, count: number, concurrency: number) => {
    const prepared = take(count).map(bareAcceptFor);
    return phase(label, count, concurrency, async (i) => {
      const p = prepared[i];
      if (!p) throw new Error('no referral prepared for this request (the set-up fell short)');
      await sendBareAccept(p);
    });
  };
  await routePhase(`warm-up ${EVENT_ROUTE}`, counts.warmup, 4);
  await barePhase('warm-up bare accept', counts.warmup, 4);
  const measured = await routeBesideBare(
    recorder.census,
    (concurrency) => routePhase(EVENT_ROUTE, counts.events, concurrency),
    (concurrency) => barePhase('bare accept (reads + TransactWriteItems)', counts.events, concurrency),
  );
  const local = localTarget
    ? localCapacity(
        (await sendBareAccept(bareAcceptFor(localTarget), { ReturnConsumedCapacity: 'INDEXES' })) as Consumed,
        tables,
      )
    : undefined;
  return { ...measured, accept, keyedAccept, change, local };
}
