/**
 * GET /v1/extracts/capacity: mean availability by bed type per period (every bed type, every
 * period), and the share of stale updates.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { capacityDays } from '../../shared/data/analytics-repository.js';
import { controlCount, controlPercentage } from '../../shared/deidentify/disclosure.js';
import { periodOf } from '../../shared/deidentify/generalise.js';
import { periodsOf, ruleStatement } from '../../shared/deidentify/extracts.js';
import { CAPACITY_TABLE } from '../../shared/deidentify/dictionary.js';
import { BED_TYPES } from '../../shared/domain/vocabulary.js';
import { extractResult } from './respond.js';
import { getCapacityExtractRoute } from '../routes/get-capacity-extract.js';

const mean = (sum: number, n: number): number | null => (n === 0 ? null : Math.round((sum / n) * 10) / 10);

export const handler = apiRoute(getCapacityExtractRoute, {
  run: async ({ query, event }) => {
    const sums = new Map<string, Record<string, number>>();
    for (const { day, counters } of await capacityDays(query.from, query.to)) {
      const period = periodOf(day, query.period);
      const acc = sums.get(period) ?? {};
      for (const [k, v] of Object.entries(counters)) acc[k] = (acc[k] ?? 0) + v;
      sums.set(period, acc);
    }
    const rows: Record<string, unknown>[] = [];
    const periods = [...new Set([...periodsOf(query, query.period), ...sums.keys()])].sort();
    for (const period of periods) {
      const c = sums.get(period) ?? {};
      const seen = Object.keys(c)
        .filter((k) => k.startsWith('s|'))
        .map((k) => k.slice(2));
      const bedTypes = [
        ...BED_TYPES,
        ...[...new Set(seen)].filter((b) => !(BED_TYPES as readonly string[]).includes(b)).sort(),
      ];
      for (const bedType of bedTypes) {
        const samples = c[`s|${bedType}`] ?? 0;
        rows.push({
          period,
          bedType,
          updates: controlCount(samples),
          meanAvailableBeds: mean(c[`a|${bedType}`] ?? 0, samples),
          meanTotalBeds: mean(c[`t|${bedType}`] ?? 0, samples),
          staleUpdatePercent: controlPercentage(c['g|stale'] ?? 0, c['g|all'] ?? 0),
        });
      }
    }
    return extractResult(event, ruleStatement(), CAPACITY_TABLE.columns, rows, { period: query.period });
  },
});
