/**
 * GET /v1/extracts/data-quality: referrals that raised each flag per fixed period, disclosure-controlled (JSON or CSV).
 */
import { apiRoute } from '../../shared/http/stack.js';
import { forbidden } from '../../shared/http/middleware/authorize.js';
import { rollupDays } from '../../shared/data/analytics-repository.js';
import { dataQualityRows } from '../../shared/deidentify/data-quality.js';
import { DATA_QUALITY_TABLE } from '../../shared/deidentify/dictionary.js';
import { ruleStatement } from '../../shared/deidentify/extracts.js';
import { extractResult, lssasFor } from './respond.js';
import { getDataQualityExtractRoute } from '../routes/get-data-quality-extract.js';

export const handler = apiRoute(getDataQualityExtractRoute, {
  run: async ({ caller, query, event }) => {
    const lssas = lssasFor(caller.lssas, query.lssa);
    if (query.lssa && !lssas.length) throw forbidden('This LSSA is outside your data-sharing agreement.');
    const days = (await Promise.all(lssas.map((l) => rollupDays(l, query.from, query.to)))).flat();
    const rows = dataQualityRows(days, query, query.period);
    return extractResult(event, ruleStatement(), DATA_QUALITY_TABLE.columns, rows, { period: query.period });
  },
});
