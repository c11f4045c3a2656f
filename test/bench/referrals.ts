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
 * Sections 1-2 are referral-create.ts, 3 referral-board.ts, 4 referral-accept.ts; the figures are
 * printed by referrals-report.ts. This file runs them in that order on one stack: the accepts take
 * the referrals the creates left.
 *
 * Bounded: fixed request counts, each phase also capped in time (set-up phases at 4x the cap);
 * loopback only. Tunables: BENCH_N (default 500), BENCH_WARMUP (50), BENCH_EVENTS (BENCH_N),
 * BENCH_BOARD_CALLS (50), BENCH_PHASE_CAP_S (45).
 */
import { performance } from 'node:perf_hooks';
import { progressTo, runBench, withBenchStack } from './harness.js';
import { envInt, phaseRunner } from './phases.js';
import { CallRecorder } from './recorder.js';
import { measureAccept } from './referral-accept.js';
import { measureBoard } from './referral-board.js';
import type { ReferralBench } from './referral-context.js';
import { measureCreate } from './referral-create.js';
import { referralReport } from './referrals-report.js';

const N = envInt('BENCH_N', 500);
const WARMUP = envInt('BENCH_WARMUP', 50);
const EVENTS = envInt('BENCH_EVENTS', N);
const EVENT_WARMUP = Math.min(WARMUP, 20);
const BOARD_CALLS = envInt('BENCH_BOARD_CALLS', 50);
const PHASE_CAP_MS = envInt('BENCH_PHASE_CAP_S', 45) * 1000;

const REFERRER_CLIENT = 'police-a-triage';
const BOARD_PERSON = 'dana.lead'; // amhp-lead of 'amhp-service': reads the board, triages
const SERVICE_ID = 'amhp-service';

const progress = progressTo('bench');

async function main(): Promise<void> {
  const runStarted = performance.now();
  await withBenchStack(progress, async ({ stack, url, data: { ddb, tableName } }) => {
    const tables = { hub: tableName('hub'), audit: tableName('audit') };
    const referrerToken = await stack.identity.issueClientToken(REFERRER_CLIENT);
    const boardToken = await stack.identity.issuePersonToken(BOARD_PERSON);
    const bench: ReferralBench = {
      url,
      ddb,
      tables,
      recorder: new CallRecorder(ddb()),
      phase: phaseRunner(progress, PHASE_CAP_MS),
      progress,
      setupCapMs: 4 * PHASE_CAP_MS,
      received: [],
    };
    // In this order: the board reads the referrals the creates made; the accepts take them after.
    const create = await measureCreate(bench, referrerToken, { n: N, warmup: WARMUP });
    const board = await measureBoard(bench, boardToken, SERVICE_ID, BOARD_CALLS);
    const accept = await measureAccept(bench, create, boardToken, { events: EVENTS, warmup: EVENT_WARMUP });
    process.stdout.write(
      referralReport({ runStarted, phaseCapMs: PHASE_CAP_MS, tables, create: create.figures, accept, board }),
    );
  });
}

runBench('bench', main);
