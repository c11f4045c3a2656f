/** GET /v1/bed-units/{unitId}/history?from=&to=: every accepted snapshot in the window. */
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { getBedUnit, unitHistory } from '../../shared/data/capacity-repository.js';
import { getBedUnitHistoryRoute } from '../routes/get-bed-unit-history.js';

const MAX_WINDOW_MS = 93 * 86_400_000;

export const handler = apiRoute(getBedUnitHistoryRoute, {
  load: async ({ params }) => getBedUnit(params.unitId),
  run: async ({ params, query }) => {
    const from = new Date(Date.parse(query.from)).toISOString();
    const to = new Date(Date.parse(query.to)).toISOString();
    if (Date.parse(to) - Date.parse(from) > MAX_WINDOW_MS) {
      throw new HttpProblem('validation', 'A history window covers at most 93 days.', {
        errors: [{ pointer: '/query/to', message: 'window too long' }],
      });
    }
    return { statusCode: 200, body: { items: await unitHistory(params.unitId, from, to) } };
  },
});
