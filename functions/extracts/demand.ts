/** GET /v1/extracts/demand: referrals per fixed period by up to three dimensions, disclosure-controlled. */
import { apiRoute } from '../../shared/http/stack.js';
import { forbidden } from '../../shared/http/middleware/authorize.js';
import { rollupDays } from '../../shared/data/analytics-repository.js';
import { demandRows, ruleStatement } from '../../shared/deidentify/extracts.js';
import { extractResult, lssasFor } from './respond.js';
import { ROUTE } from '../routes.js';

export const handler = apiRoute(ROUTE.getDemandExtract, {
  run: async ({ caller, query, event }) => {
    const lssas = lssasFor(caller.lssas, query.lssa);
    if (query.lssa && !lssas.length) throw forbidden('This LSSA is outside your data-sharing agreement.');
    const days = (await Promise.all(lssas.map((l) => rollupDays(l, query.from, query.to)))).flat();
    const rows = demandRows(days, query.by ?? [], query.period);
    return extractResult(event, ruleStatement(), rows, { period: query.period, by: query.by ?? [] });
  },
});
