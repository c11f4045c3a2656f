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
 * (a) is capacity-beds.ts (set-up, write capacity) and capacity-beds-load.ts (reads, latencies),
 * (b) capacity-synthetic.ts, (c) capacity-demand.ts; capacity-report.ts prints the figures. This
 * file runs them in order: (b) first, on a quiet process; (a) and (c) on one stack.
 *
 * Bounded and loopback only; the measured phases are capped in time. Tunables: BENCH_UNITS (200),
 * BENCH_CALLS (100), BENCH_UPDATES (400), BENCH_DEID (50000), BENCH_REFERRALS (5000),
 * BENCH_PHASE_CAP_S (45).
 */
import { performance } from 'node:perf_hooks';
import { type BedBench, measureUpdate, setUpUnits, totalWcu } from './capacity-beds.js';
import { measureRead, measureUpdates } from './capacity-beds-load.js';
import { demandYear } from './capacity-demand.js';
import { capacityReport } from './capacity-report.js';
import { measureDeidentification } from './capacity-synthetic.js';
import { httpSender, progressTo, runBench, withBenchStack } from './harness.js';
import { envInt, phaseRunner } from './phases.js';
import { CallRecorder } from './recorder.js';
import { LSSAS } from './referral-bodies.js';

const UNITS = envInt('BENCH_UNITS', 200);
const CALLS = envInt('BENCH_CALLS', 100);
const UPDATES = envInt('BENCH_UPDATES', 400);
const PHASE_CAP_MS = envInt('BENCH_PHASE_CAP_S', 45) * 1000;
const DEID = envInt('BENCH_DEID', 50_000);
const REFERRALS = envInt('BENCH_REFERRALS', 5_000);

const progress = progressTo('bench:capacity+analytics');

async function main(): Promise<void> {
  const runStarted = performance.now();
  const yearStart = Date.UTC(new Date().getUTCFullYear() - 1, 0, 1);
  // (b) first: pure code on one core, before anything else warms or loads the process.
  const deidentification = measureDeidentification(DEID, yearStart, LSSAS, progress);

  await withBenchStack(progress, async ({ stack, url, data: { ddb, tableName } }) => {
    const { handleChange } = await import('../../functions/stream/analytics.js');
    const tables = { hub: tableName('hub'), audit: tableName('audit'), analytics: tableName('analytics') };
    const bench: BedBench = {
      ddb,
      tables,
      send: httpSender(url),
      // A recorded transaction also asks DynamoDB Local for its own capacity figure (printed beside ours).
      recorder: new CallRecorder(ddb(), true),
      phase: phaseRunner(progress, PHASE_CAP_MS),
      progress,
      bedsToken: await stack.identity.issueClientToken('provider-p-beds'),
    };
    const readerToken = await stack.identity.issueClientToken('amhp-case-system');
    const analystToken = await stack.identity.issueClientToken('analytics-dashboard');

    // (a) Bed availability: one update without and with an Idempotency-Key (the key adds its
    // record to the transaction), then the read and both routes under load.
    const setup = await setUpUnits(bench, UNITS);
    const plain = await measureUpdate(bench, setup.unitIds[1]!, false);
    const keyed = await measureUpdate(bench, setup.unitIds[2]!, true);
    const writeCost = { plain: totalWcu(plain.lines), keyed: totalWcu(keyed.lines) };
    const reads = await measureRead(bench, readerToken, CALLS, writeCost);
    const updates = await measureUpdates(bench, setup.unitIds, plain, UPDATES);

    // (c) A service-year of demand facts through the consumer, then the extract.
    const demand = await demandYear({
      REFERRALS,
      CALLS,
      LSSAS,
      yearStart,
      tables,
      ddb,
      handleChange: handleChange as (change: never) => Promise<unknown>,
      send: bench.send,
      analystToken,
      progress,
    });

    process.stdout.write(
      capacityReport({
        runStarted,
        phaseCapMs: PHASE_CAP_MS,
        units: UNITS,
        deid: DEID,
        referrals: REFERRALS,
        setup,
        plain,
        keyed,
        reads,
        updates,
        deidentification,
        demand,
      }),
    );
  });
}

runBench('bench:capacity+analytics', main);
