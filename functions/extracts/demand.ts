/** GET /v1/extracts/demand: referrals per fixed period by up to three dimensions, controlled, zero-filled. */
import { apiRoute } from '../../shared/http/stack.js';
import { forbidden } from '../../shared/http/middleware/authorize.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { rollupDays } from '../../shared/data/analytics-repository.js';
import {
  demandGridRows,
  demandRows,
  MAX_GRID_ROWS,
  periodsOf,
  ruleStatement,
} from '../../shared/deidentify/extracts.js';
import { demandColumns } from '../../shared/deidentify/dictionary.js';
import { NHS_SMALL_NUMBERS } from '../../shared/deidentify/disclosure.js';
import { extractResult, lssasFor } from './respond.js';
import { getDemandExtractRoute } from '../routes/get-demand-extract.js';

export const handler = apiRoute(getDemandExtractRoute, {
  run: async ({ caller, query, event }) => {
    const lssas = lssasFor(caller.lssas, query.lssa);
    if (query.lssa && !lssas.length) throw forbidden('This LSSA is outside your data-sharing agreement.');
    const by = query.by ?? [];
    const frame = { range: query, lssas };
    // The grid is complete (every period × every value), so its size is known before any read.
    const size = demandGridRows(by, periodsOf(query, query.period).length, frame);
    if (size > MAX_GRID_ROWS) {
      throw new HttpProblem(
        'validation',
        `This breakdown would be ${size} rows; at most ${MAX_GRID_ROWS}. ` +
          'Use a longer period, a shorter range or fewer dimensions.',
        {
          errors: [{ pointer: '/query/by', message: `at most ${MAX_GRID_ROWS} rows (periods × dimension values)` }],
        },
      );
    }
    const days = (await Promise.all(lssas.map((l) => rollupDays(l, query.from, query.to)))).flat();
    const rows = demandRows(days, by, query.period, NHS_SMALL_NUMBERS, frame);
    return extractResult(event, ruleStatement(), demandColumns(by), rows, { period: query.period, by });
  },
});
