/** GET /v1/extracts/capacity: mean availability by bed type per period, and the share of stale updates. */
import { apiRoute } from '../../shared/http/stack.js';
import { capacityDays } from '../../shared/data/analytics-repository.js';
import { controlCount, controlPercentage } from '../../shared/deidentify/disclosure.js';
import { periodOf } from '../../shared/deidentify/generalise.js';
import { ruleStatement } from '../../shared/deidentify/extracts.js';
import { extractResult } from './respond.js';
import { ROUTE } from '../routes.js';

export const handler = apiRoute(ROUTE.getCapacityExtract, {
  run: async ({ query, event }) => {
    const sums = new Map<string, Record<string, number>>();
    for (const { day, counters } of await capacityDays(query.from, query.to)) {
      const period = periodOf(day, query.period);
      const acc = sums.get(period) ?? {};
      for (const [k, v] of Object.entries(counters)) acc[k] = (acc[k] ?? 0) + v;
      sums.set(period, acc);
    }
    const rows: Record<string, unknown>[] = [];
    for (const [period, c] of [...sums].sort(([a], [b]) => a.localeCompare(b))) {
      const bedTypes = Object.keys(c).filter((k) => k.startsWith('s|')).map((k) => k.slice(2)).sort();
      for (const bedType of bedTypes) {
        const samples = c[`s|${bedType}`] ?? 0;
        rows.push({
          period,
          bedType,
          updates: controlCount(samples),
          meanAvailable: Math.round(((c[`a|${bedType}`] ?? 0) / Math.max(1, samples)) * 10) / 10,
          meanTotal: Math.round(((c[`t|${bedType}`] ?? 0) / Math.max(1, samples)) * 10) / 10,
          staleUpdateShare: controlPercentage(c['g|stale'] ?? 0, c['g|all'] ?? 0),
        });
      }
    }
    return extractResult(event, ruleStatement(), rows, { period: query.period });
  },
});
