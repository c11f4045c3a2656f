/**
 * GET /v1/extracts/records (`extracts.records` only, under a data-sharing agreement):
 * pseudonymised rows of one month, without any row whose quasi-identifiers (age band × sex ×
 * ethnicity group × LSSA × month) occur fewer than 5 times. No day, no exact time, no ids.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { forbidden } from '../../shared/http/middleware/authorize.js';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { factsOfMonth } from '../../shared/data/analytics-repository.js';
import { countBy, kAnonymous, recordQuasiIdentifier, ruleStatement } from '../../shared/deidentify/extracts.js';
import { extractResult, lssasFor } from './respond.js';

const K = 5;

export const handler = apiRoute('getRecordsExtract', {
  run: async ({ caller, query, event }) => {
    const lssas = lssasFor(caller.lssas, query.lssa);
    if (query.lssa && !lssas.length) throw forbidden('This LSSA is outside your data-sharing agreement.');
    const facts = (await Promise.all(lssas.map((l) => factsOfMonth(l, query.month)))).flat().sort((a, b) => a.factKey.localeCompare(b.factKey));
    const kept = kAnonymous(facts, recordQuasiIdentifier, countBy(facts, recordQuasiIdentifier), K);
    const scope = `getRecordsExtract/${caller.organisationId}/${query.month}/${query.lssa ?? '*'}`;
    const after = query.cursor ? (await decodeCursor<{ k?: unknown }>(query.cursor, scope)).k : undefined;
    if (after !== undefined && typeof after !== 'string') throw new HttpProblem('validation', 'The cursor is not one this API issued.', { errors: [{ pointer: '/query/cursor', message: 'invalid cursor' }] });
    const start = after ? kept.findIndex((f) => f.factKey > after) : 0;
    const page = start < 0 ? [] : kept.slice(start, start + query.limit);
    const rows = page.map((f) => ({ recordKey: f.factKey, personKey: f.personKey ?? '', month: query.month, ...f.dims, urgency: f.urgency, status: f.status, ...f.intervals, escalations: f.escalations, breaches: f.breaches }));
    const last = page.at(-1);
    const more = last && kept.at(-1)!.factKey !== last.factKey;
    return extractResult(event, { ...ruleStatement(), description: `${ruleStatement().description} Record-level rows: k ≥ ${K} on age band × sex × ethnicity group × LSSA × month.` }, rows, {
      month: query.month,
      withheld: facts.length - kept.length,
      nextCursor: more ? await encodeCursor({ k: last.factKey }, scope) : null,
    });
  },
});
