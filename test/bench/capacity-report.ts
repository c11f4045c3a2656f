/**
 * The capacity-and-analytics bench's report: (a) the availability update's write capacity, the
 * availability read's bytes and RCU, both routes' latencies beside their bare calls; (b)
 * de-identification records/s; (c) the one-year demand extract; then the figures beside the goals.
 */
import { KB, itemSizeBytes } from './capacity.js';
import { READ_ROUTE, UPDATE_ROUTE, type ReadFigures } from './capacity-beds-load.js';
import { totalWcu, type MeasuredUpdate, type UpdateLine } from './capacity-beds.js';
import type { demandYear } from './capacity-demand.js';
import type { measureDeidentification, timed } from './capacity-synthetic.js';
import { censusText, met, ms, percentile, perfRow, perfTable, phaseNotes, table, type BesideBare } from './phases.js';
import { describeCall } from './referral-capture.js';

export const GOALS = { deidPerSecond: 5_000, extractMs: 2_000 } as const;

/** Everything the run measured, by part. */
export interface CapacityFigures {
  readonly runStarted: number;
  readonly phaseCapMs: number;
  /** Bed units the bench created (the pool the updates share). */
  readonly units: number;
  /** Synthetic records through de-identification. */
  readonly deid: number;
  /** Referrals in the service-year behind the extract. */
  readonly referrals: number;
  readonly setup: { made: Awaited<ReturnType<typeof timed>>; snapped: Awaited<ReturnType<typeof timed>> };
  readonly plain: MeasuredUpdate;
  readonly keyed: MeasuredUpdate;
  readonly reads: ReadFigures;
  readonly updates: BesideBare;
  readonly deidentification: ReturnType<typeof measureDeidentification>;
  readonly demand: Awaited<ReturnType<typeof demandYear>>;
}

export function capacityReport(figures: CapacityFigures): string {
  const { runStarted, phaseCapMs, units, deid, referrals, setup, plain, keyed, reads, updates } = figures;
  const { read, readBytes, biggestUnit, rowsServed } = reads;
  const { pureSeconds, changeSeconds, decodedSeconds } = figures.deidentification;
  const { year, written, rollupItems, extractPath, coldMs, extractTimes, counted, suppressed, extractRows } =
    figures.demand;
  const out: string[] = [];
  out.push(
    '',
    `AMHP Referral Hub bench, capacity and analytics: ${new Date().toISOString()}, DynamoDB Local in ` +
      `memory, local HTTP stack in-process (loopback)`,
    '',
  );
  out.push(
    '(a) Write capacity of one PUT /v1/bed-units/{id}/availability by AWS rules (transactional item: 2 ' +
      'WCU per KB; an update at the larger of before/after; each GSI entry written: 1 WCU per KB)',
    '',
  );
  const wcuRows = (ls: readonly UpdateLine[], prefix: string) =>
    ls.map((l) => [
      prefix,
      l.label,
      l.table,
      String(l.size),
      String(l.txn),
      l.indexes.map((x) => `${x.name} ${x.size}->${x.wcu}`).join(', ') || '-',
      String(l.txn + l.indexes.reduce((a, x) => a + x.wcu, 0)),
    ]);
  out.push(
    table(
      ['request', 'item', 'table', 'bytes', 'txn WCU', 'GSI entries (bytes -> WCU)', 'WCU'],
      [
        ...wcuRows(plain.lines, 'no key'),
        ['no key', 'total', '', '', '', '', String(totalWcu(plain.lines))],
        ...wcuRows(
          keyed.lines.filter((l) => l.label === 'idempotency record'),
          'with key',
        ),
        ['with key', 'total', '', '', '', '', String(totalWcu(keyed.lines))],
      ],
      (c) => c === 3 || c === 4 || c === 6,
    ),
  );
  out.push(
    `  as reported by DynamoDB Local (its own transactional accounting, not AWS's; printed, not ` +
      `used): ${plain.local.total} WCU without a key [${plain.local.detail}], ${keyed.local.total} with one`,
  );
  out.push(
    `  the unit state item is the capacity index entry (projection ALL): every snapshot rewrites the ` +
      `whole entry (${itemSizeBytes(plain.after)} bytes).`,
  );
  out.push(
    '',
    `(a) GET /v1/bed-availability: one Query of the capacity index partition BEDS#ALL, every unit (the ` +
      `handler pages through all of them; limit applies after the read)`,
    '',
  );
  out.push(
    table(
      ['figure', 'value'],
      [
        ['units in the partition (bench + seed)', String(read.items.length)],
        ['bytes read (index entries as returned)', String(readBytes)],
        ['KB read', (readBytes / KB).toFixed(1)],
        ['mean / largest entry, bytes', `${Math.round(readBytes / Math.max(1, read.items.length))} / ${biggestUnit}`],
        ['pages (1 MB each at most)', String(read.pages)],
        ['RCU (eventually consistent, 0.5 per 4 KB per page)', String(read.rcu)],
        ['as reported by DynamoDB Local', String(read.localRcu)],
        ['rows in the HTTP response (limit 100)', String(rowsServed)],
      ],
      (c) => c === 1,
    ),
  );
  out.push(
    `  setup: ${units} units created in ${setup.made.seconds.toFixed(1)} s, ${units} snapshots ` +
      `in ${setup.snapped.seconds.toFixed(1)} s ` +
      `(c=8)${setup.made.errors + setup.snapped.errors ? `, ${setup.made.errors + setup.snapped.errors} errors` : ''}`,
  );

  out.push(
    '',
    '(a) Latency in ms per request (nearest-rank percentiles) through the local HTTP stack, beside the ' +
      "bare DynamoDB call(s) sent directly on the handlers' document client",
    '',
  );
  out.push(
    perfTable([
      ...updates.rows.map(([r, b]) => perfRow(UPDATE_ROUTE, r, b)),
      ...reads.rows.map(([r, b]) => perfRow(READ_ROUTE, r, b)),
    ]),
  );
  out.push(
    `  bare for the PUT = the update's own calls, captured and replayed in ` +
      `order: ${[...plain.reads.map(describeCall), 'TransactWriteItems'].join(', ')} ` +
      `(${plain.lines.map((l) => l.label).join(' + ')}), ` +
      'with another unit, a later asOf and a fresh audit id swapped in.',
  );
  out.push(
    `  each PUT (route or bare) holds its unit alone (a pool of ${units}) with an asOf later than any ` +
      `before; no Idempotency-Key. bare for the GET = the Query of the capacity index partition, every page ` +
      `(${read.pages}).`,
  );
  if (updates.census) out.push(`  DynamoDB calls per PUT at c=1: ${censusText(updates.census)}`);
  if (reads.census) out.push(`  DynamoDB calls per GET at c=1: ${censusText(reads.census)}`);
  out.push(...phaseNotes([...updates.rows.flat(), ...reads.rows.flat()], phaseCapMs));

  out.push('', '(b) De-identification on one core (pure: demandFactOf + rollupDelta; no I/O)', '');
  out.push(
    table(
      ['path', 'records', 'seconds', 'records/s'],
      [
        [
          'new facts (demandFactOf + rollupDelta)',
          String(deid),
          pureSeconds.toFixed(2),
          (deid / pureSeconds).toFixed(0),
        ],
        [
          'changes (previous fact given, netted delta)',
          String(deid),
          changeSeconds.toFixed(2),
          (deid / changeSeconds).toFixed(0),
        ],
        [
          'with Kinesis decoding (base64, JSON, unmarshall)',
          String(deid),
          decodedSeconds.toFixed(2),
          (deid / decodedSeconds).toFixed(0),
        ],
      ],
      (c) => c > 0,
    ),
  );

  out.push('', `(c) One-year demand extract of a ${referrals}-referral service (${year}, 2 LSSAs), from roll-ups`, '');
  out.push(
    table(
      ['figure', 'value'],
      [
        [
          'facts written through handleChange',
          `${referrals - written.errors} in ${written.seconds.toFixed(1)} s ` +
            `(${((referrals - written.errors) / written.seconds).toFixed(0)}/s, ` +
            `c=8)${written.errors ? `, ${written.errors} errors: ${written.firstError}` : ''}`,
        ],
        ['roll-up day items the extract reads', String(rollupItems)],
        ['request', `GET ${extractPath}`],
        ['first call ms (handler loaded, nothing cached)', ms(coldMs)],
        [
          `p50 / p99 ms (${extractTimes.sorted.length} calls, c=1)`,
          `${ms(percentile(extractTimes.sorted, 50))} / ${ms(percentile(extractTimes.sorted, 99))}`,
        ],
        ['rows (month x agencyType x outcome)', String(extractRows)],
        [
          'referrals counted after disclosure control',
          `${counted} of ${referrals - written.errors} (${suppressed} cells suppressed '*', others rounded)`,
        ],
      ],
      (c) => c === 1,
    ),
  );

  const extractWorst = Math.max(coldMs, percentile(extractTimes.sorted, 99));
  out.push('', 'Figures and goals (ARCHITECTURE.md; informational)', '');
  out.push(
    table(
      ['figure', 'value', 'goal', ''],
      [
        [
          'WCU per availability update (computed; no key / with key)',
          `${totalWcu(plain.lines)} / ${totalWcu(keyed.lines)}`,
          'none stated',
          '',
        ],
        [
          'GET /v1/bed-availability over the units: KB read, RCU',
          `${(readBytes / KB).toFixed(1)} KB, ${read.rcu} RCU (${read.items.length} units)`,
          'none stated',
          '',
        ],
        ...[
          ...updates.rows.map(([r]) => [UPDATE_ROUTE, r] as const),
          ...reads.rows.map(([r]) => [READ_ROUTE, r] as const),
        ].map(([route, r]) => [
          `${route} p50 / p99, c=${r.concurrency}`,
          `${ms(r.p50)} / ${ms(r.p99)} ms`,
          'none stated',
          '',
        ]),
        [
          'de-identification, records/s on one core',
          (deid / pureSeconds).toFixed(0),
          `>= ${GOALS.deidPerSecond}`,
          met(deid / pureSeconds >= GOALS.deidPerSecond),
        ],
        [
          'one-year demand extract, first call / p50 / p99',
          `${ms(coldMs)} / ${ms(percentile(extractTimes.sorted, 50))} ` +
            `/ ${ms(percentile(extractTimes.sorted, 99))} ms`,
          `<= ${GOALS.extractMs} ms`,
          met(extractWorst <= GOALS.extractMs),
        ],
      ],
      (c) => c === 1,
    ),
  );
  out.push(
    `Run time ${((performance.now() - runStarted) / 1000).toFixed(0)} s. Figures from a shared machine ` +
      `are noisy; compare within one run only.`,
    '',
  );
  return `${out.join('\n')}\n`;
}
