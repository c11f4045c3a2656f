/** GET /v1/extracts/timings: median and p90 of each interval per period, plus escalations, breaches and (JSON) the controlled distribution. */
import { apiRoute } from '../../shared/http/stack.js';
import { forbidden } from '../../shared/http/middleware/authorize.js';
import { rollupDays } from '../../shared/data/analytics-repository.js';
import { breachRows, distributionRows, escalationRows, ruleStatement, timingRows } from '../../shared/deidentify/extracts.js';
import { extractResult, lssasFor, wantsCsv } from './respond.js';
import { ROUTE } from '../routes.js';

export const handler = apiRoute(ROUTE.getTimingsExtract, {
  run: async ({ caller, query, event }) => {
    const lssas = lssasFor(caller.lssas, query.lssa);
    if (query.lssa && !lssas.length) throw forbidden('This LSSA is outside your data-sharing agreement.');
    const days = (await Promise.all(lssas.map((l) => rollupDays(l, query.from, query.to)))).flat();
    const timings = timingRows(days, query.period);
    if (wantsCsv(event)) return extractResult(event, ruleStatement(), timings as unknown as Record<string, unknown>[]);
    return extractResult(event, ruleStatement(), timings as unknown as Record<string, unknown>[], {
      period: query.period,
      escalations: escalationRows(days, query.period),
      breaches: breachRows(days, query.period),
      distribution: distributionRows(days, query.period),
    });
  },
});
