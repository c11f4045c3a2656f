/**
 * (c) of the capacity-and-analytics bench: a service-year of demand facts written through the
 * analytics consumer's handleChange, then the one-year demand extract: the first call and p50/p99.
 */
import { performance } from 'node:perf_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../../shared/data/pages.js';
import { PK, SK } from '../../shared/data/tables.js';
import type { Progress } from './harness.js';
import { ms, percentile } from './phases.js';
import { stateChange, syntheticReferral, timed } from './capacity-synthetic.js';

export interface DemandYearInput {
  readonly REFERRALS: number;
  readonly CALLS: number;
  readonly LSSAS: readonly string[];
  readonly yearStart: number;
  readonly tables: { analytics: string };
  readonly ddb: () => DynamoDBDocumentClient;
  readonly handleChange: (change: never) => Promise<unknown>;
  readonly send: (method: string, path: string, token: string) => Promise<{ status: number; text: string }>;
  readonly analystToken: string;
  readonly progress: Progress;
}

export async function demandYear({
  REFERRALS,
  CALLS,
  LSSAS,
  yearStart,
  tables,
  ddb,
  handleChange,
  send,
  analystToken,
  progress,
}: DemandYearInput) {
  const year = new Date(yearStart).getUTCFullYear();
  progress(`(c) writing ${REFERRALS} referrals' facts and roll-ups for ${year} through handleChange`);
  const serviceYear = Array.from({ length: REFERRALS }, (_, i) => {
    const day = Math.floor((i * 365) / REFERRALS);
    return syntheticReferral(i, yearStart + day * 86_400_000 + ((i * 7919) % 1440) * 60_000, LSSAS[i % 2]!);
  });
  const written = await timed(REFERRALS, 8, async (i) => {
    const change = stateChange('INSERT', serviceYear[i]!);
    // As the stream would: a failed record is handed over again.
    for (let attempt = 0; ; attempt++) {
      try {
        await handleChange(change as never);
        return;
      } catch (error) {
        if (attempt >= 4) throw error;
      }
    }
  });
  const rollupItems = (
    await Promise.all(
      LSSAS.map(
        async (l) =>
          (
            await queryAll(ddb(), {
              TableName: tables.analytics,
              KeyConditionExpression: '#p = :p AND begins_with(#s, :s)',
              ExpressionAttributeNames: { '#p': PK, '#s': SK },
              ExpressionAttributeValues: { ':p': `ROLLUP#${l}`, ':s': `DAY#${year}-` },
            })
          ).length,
      ),
    )
  ).reduce((a, b) => a + b, 0);
  const extractPath = `/v1/extracts/demand?period=month&from=${year}-01-01&to=${year}-12-31&by=agencyType,outcome`;
  const extract = async () => {
    const res = await send('GET', extractPath, analystToken);
    if (res.status !== 200) throw new Error(`GET demand extract answered ${res.status}: ${res.text.slice(0, 300)}`);
    return res.text;
  };
  // Loads the handler module (locally imported on first use; in AWS that is the cold start, not the extract).
  const warm = await send(
    'GET',
    `/v1/extracts/demand?period=month&from=${year + 1}-01-01&to=${year + 1}-01-31`,
    analystToken,
  );
  if (warm.status !== 200) throw new Error(`warm-up extract answered ${warm.status}: ${warm.text.slice(0, 300)}`);
  const coldStart = performance.now();
  const firstExtract = JSON.parse(await extract()) as { rows: Record<string, unknown>[] };
  const coldMs = performance.now() - coldStart;
  const extractTimes = await timed(Math.min(CALLS, 20), 1, () => extract().then(() => undefined));
  const counted = firstExtract.rows.reduce((s, r) => s + (typeof r.count === 'number' ? r.count : 0), 0);
  const suppressed = firstExtract.rows.filter((r) => r.countSuppressed === true).length;
  progress(
    `(c) ${written.errors} write errors; extract first ${ms(coldMs)} ms, ` +
      `p50 ${ms(percentile(extractTimes.sorted, 50))} ms`,
  );
  return {
    year,
    written,
    rollupItems,
    extractPath,
    coldMs,
    extractTimes,
    counted,
    suppressed,
    extractRows: firstExtract.rows.length,
  };
}
