/**
 * GET /v1/extracts/records (`extracts.records` only, under a data-sharing agreement):
 * pseudonymised rows of one month (DOMAIN §7). Every column a row carries other than its keys
 * is a quasi-identifier: the columns are generalised along their ladders until few rows remain
 * in combinations seen fewer than 5 times, those few are withheld and counted, intervals are
 * banded, and the person and record keys are re-keyed per agreement and month so that no two
 * extracts can be joined on them. No day, no exact time, no ids.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { forbidden } from '../../shared/http/middleware/authorize.js';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { factsOfMonth } from '../../shared/data/analytics-repository.js';
import { getIdentity, type ClientRecord } from '../../shared/data/registry-repository.js';
import { secretKey } from '../../shared/config.js';
import { ruleStatement } from '../../shared/deidentify/extracts.js';
import { RECORDS_TABLE } from '../../shared/deidentify/dictionary-records.js';
import { extractKeyOf } from '../../shared/deidentify/pseudonymise.js';
import { QUASI_COLUMN_NAMES, recordExtract } from '../../shared/deidentify/record-extract.js';
import { extractResult, lssasFor } from './respond.js';
import { getRecordsExtractRoute } from '../routes/get-records-extract.js';

const K = 5;
/** Generalise until at most this share of a month's rows is withheld. */
const MAX_WITHHELD_SHARE = 0.05;

export const handler = apiRoute(getRecordsExtractRoute, {
  run: async ({ caller, query, event }) => {
    const lssas = lssasFor(caller.lssas, query.lssa);
    if (query.lssa && !lssas.length) throw forbidden('This LSSA is outside your data-sharing agreement.');
    const agreementId = ((await getIdentity('client', caller.clientId)).record as ClientRecord | undefined)
      ?.dataSharingAgreementId;
    if (!agreementId) throw forbidden('No data-sharing agreement is recorded for this client.');
    const key = await secretKey('pseudonymisationKey');
    const rekey = (kind: 'person' | 'record', stored: string) =>
      extractKeyOf(kind, stored, agreementId, query.month, key);

    const facts = (await Promise.all(lssas.map((l) => factsOfMonth(l, query.month)))).flat();
    const extract = recordExtract(facts, { k: K, maxWithheldShare: MAX_WITHHELD_SHARE });
    const released = extract.rows
      .map(({ fact, values }) => ({
        recordKey: rekey('record', fact.factKey),
        personKey: fact.personKey ? rekey('person', fact.personKey) : '',
        month: query.month,
        ...values,
      }))
      .sort((a, b) => a.recordKey.localeCompare(b.recordKey));

    const scope = `getRecordsExtract/${caller.organisationId}/${query.month}/${query.lssa ?? '*'}`;
    const after = query.cursor ? (await decodeCursor<{ k?: unknown }>(query.cursor, scope)).k : undefined;
    if (after !== undefined && typeof after !== 'string')
      throw new HttpProblem('validation', 'The cursor is not one this API issued.', {
        errors: [{ pointer: '/query/cursor', message: 'invalid cursor' }],
      });
    const start = after ? released.findIndex((r) => r.recordKey > after) : 0;
    const page = start < 0 ? [] : released.slice(start, start + query.limit);
    const last = page.at(-1);
    const more = last && released.at(-1)!.recordKey !== last.recordKey;
    const generalised = QUASI_COLUMN_NAMES.filter((c) => extract.levels[c]! > 0).map(
      (c) => `${c} (level ${extract.levels[c]})`,
    );
    return extractResult(
      event,
      {
        ...ruleStatement(),
        description:
          `${ruleStatement().description} Record-level rows: k ≥ ${K} over every column but the keys ` +
          `(${QUASI_COLUMN_NAMES.join(', ')}, month); ` +
          `generalised: ${generalised.join(', ') || 'none'}; ${extract.withheld} row(s) withheld; keys are ` +
          `per agreement and month.`,
      },
      RECORDS_TABLE.columns,
      page,
      {
        month: query.month,
        withheld: extract.withheld,
        generalisation: extract.levels,
        nextCursor: more ? await encodeCursor({ k: last.recordKey }, scope) : null,
      },
    );
  },
});
