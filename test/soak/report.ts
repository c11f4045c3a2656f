/** The soak's report: requests and latency per route, then every check; exit code 1 when one failed. */
import { performance } from 'node:perf_hooks';
import { table } from '../bench/phases.js';
import { MINUTES, stats } from './common.js';
import type { SoakContext } from './context.js';
import type { Reconciliation } from './reconcile.js';

export function report(ctx: SoakContext, rec: Reconciliation, started: number): number {
  const { stackLog } = ctx;
  const { checks, ours, eventProblems } = rec;
  const { trafficRequests, trafficSeconds, pollerStatus } = rec.traffic;
  const { posts: postsTotal, system: systemTotal, events: eventsTotal } = rec.totals;
  const out: string[] = [];
  out.push(
    '',
    `AMHP Referral Hub soak: ${new Date().toISOString()}, ${MINUTES} minute(s) of traffic, local stack in ` +
      `memory (loopback), per-client throttling on`,
  );
  out.push(
    `${trafficRequests} requests in ${trafficSeconds.toFixed(0)} s of traffic ` +
      `(${(trafficRequests / trafficSeconds).toFixed(1)}/s), then reconciliation reads; ${ours.length} ` +
      `referrals; ${postsTotal} event posts with a 2xx; ${systemTotal} system events; ${eventsTotal} events ` +
      `stored`,
    '',
  );
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : Number.NaN;
  };
  const rows = [...stats.entries()].map(([label, s]) => [
    label,
    String(s.count),
    [...s.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([st, n]) => `${st}:${n}`)
      .join(' '),
    String(s.throttled),
    pct(s.latencies, 50).toFixed(1),
    pct(s.latencies, 99).toFixed(1),
  ]);
  out.push(table(['route', 'requests', 'statuses', '429 waited', 'p50 ms', 'p99 ms'], rows, (c) => c === 1 || c >= 3));
  out.push('', 'Reconciliation', '');
  out.push(
    table(
      ['check', 'expected', 'actual', 'result'],
      checks.map((c) => [c.name, c.expected, c.actual, c.ok ? 'ok' : `FAIL${c.detail ? ` (${c.detail})` : ''}`]),
      (c) => c === 1 || c === 2,
    ),
  );
  out.push('', ...[...rec.summary].map(([name, line]) => `${name}: ${line}`));
  out.push(
    `stream poller: delivered ${Object.entries(pollerStatus.consumers)
      .map(([c, s]) => `${c} ${s.delivered}`)
      .join(', ')}; lag ${pollerStatus.lagMs} ms; last error ${pollerStatus.lastError ?? 'none'}`,
  );
  if (stackLog.length) out.push(`stack log (${stackLog.length} lines), first: ${stackLog.slice(0, 3).join(' | ')}`);
  if (eventProblems.length) out.push(`event problems (first 5): ${eventProblems.slice(0, 5).join('; ')}`);
  const failed = checks.filter((c) => !c.ok);
  out.push(
    '',
    failed.length ? `RESULT: ${failed.length} check(s) FAILED` : 'RESULT: everything reconciles',
    `Run time ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    '',
  );
  process.stdout.write(`${out.join('\n')}\n`);
  return failed.length ? 1 : 0;
}
