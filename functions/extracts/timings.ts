/**
 * GET /v1/extracts/timings: median and p90 of each interval per period, plus escalations, breaches and (JSON) the
 * controlled distribution, delays by cause, s.136 durations, placements and repeat referrals.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { forbidden } from '../../shared/http/middleware/authorize.js';
import { factsOfMonth, rollupDays } from '../../shared/data/analytics-repository.js';
import {
  delayRows,
  monthsForRepeats,
  placementRows,
  repeatRows,
  s136Rows,
} from '../../shared/deidentify/logistics-extracts.js';
import {
  breachRows,
  distributionRows,
  escalationRows,
  ruleStatement,
  timingRows,
} from '../../shared/deidentify/extracts.js';
import {
  BREACHES_TABLE,
  DISTRIBUTION_TABLE,
  ESCALATIONS_TABLE,
  TIMINGS_TABLE,
} from '../../shared/deidentify/dictionary.js';
import { NHS_SMALL_NUMBERS } from '../../shared/deidentify/disclosure.js';
import { tidyRows } from '../../shared/deidentify/tidy.js';
import {
  DELAYS_TABLE,
  PLACEMENTS_TABLE,
  REPEATS_TABLE,
  S136_TABLE,
} from '../../shared/deidentify/logistics-dictionary.js';
import { extractResult, lssasFor, wantsCsv } from './respond.js';
import { getTimingsExtractRoute } from '../routes/get-timings-extract.js';

/** Facts of the range and the 90 days before it (a repeat's earlier referral may precede the range). */
const repeatFacts = async (lssas: readonly string[], from: string, to: string) =>
  (await Promise.all(lssas.flatMap((l) => monthsForRepeats(from, to).map((m) => factsOfMonth(l, m))))).flat();

export const handler = apiRoute(getTimingsExtractRoute, {
  run: async ({ caller, query, event }) => {
    const lssas = lssasFor(caller.lssas, query.lssa);
    if (query.lssa && !lssas.length) throw forbidden('This LSSA is outside your data-sharing agreement.');
    const days = (await Promise.all(lssas.map((l) => rollupDays(l, query.from, query.to)))).flat();
    const frame = { range: query, lssas };
    const timings = timingRows(days, query.period, NHS_SMALL_NUMBERS, frame);
    if (wantsCsv(event)) return extractResult(event, ruleStatement(), TIMINGS_TABLE.columns, timings);
    return extractResult(event, ruleStatement(), TIMINGS_TABLE.columns, timings, {
      period: query.period,
      escalations: tidyRows(ESCALATIONS_TABLE.columns, escalationRows(days, query.period, NHS_SMALL_NUMBERS, frame)),
      breaches: tidyRows(BREACHES_TABLE.columns, breachRows(days, query.period, NHS_SMALL_NUMBERS, frame)),
      distribution: tidyRows(
        DISTRIBUTION_TABLE.columns,
        distributionRows(days, query.period, NHS_SMALL_NUMBERS, frame),
      ),
      // DOMAIN §7, §9: the planners' logistics figures, under the same disclosure control.
      delaysByCause: tidyRows(DELAYS_TABLE.columns, delayRows(days, query.period)),
      s136: tidyRows(S136_TABLE.columns, s136Rows(days, query.period)),
      placements: tidyRows(PLACEMENTS_TABLE.columns, placementRows(days, query.period)),
      repeats: tidyRows(
        REPEATS_TABLE.columns,
        repeatRows(await repeatFacts(lssas, query.from, query.to), query.period, query.from, query.to),
      ),
    });
  },
});
