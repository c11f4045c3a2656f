/**
 * Extract responses: JSON by default, CSV (by a real CSV writer) for `Accept: text/csv`. Both
 * state the disclosure rule applied (DOMAIN §7): in the body for JSON, in a header for CSV.
 * Both are written by the one tidy writer from the extract's dictionary definition
 * (shared/deidentify/dictionary.ts): the same columns in the same order, a header row (JSON:
 * `columns`) even when there are no rows, suppression as an empty figure beside a flag column.
 */
import { stringify } from 'csv-stringify/sync';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { header } from '../../shared/http/types.js';
import { ENV } from '../../shared/env.js';
import type { HttpResult } from '../../shared/http/types.js';
import type { Column } from '../../shared/deidentify/dictionary.js';
import { csvCell, headerOf, tidyRows } from '../../shared/deidentify/tidy.js';

export const wantsCsv = (event: APIGatewayProxyEvent): boolean => /\btext\/csv\b/i.test(header(event, 'accept') ?? '');

/** Where the data dictionary of the extracts is served. */
const base = (process.env[ENV.apiBasePath] ?? '').replace(/\/$/, '');
export const DICTIONARY_LINK = `<${base}/docs#data-dictionary>; rel="describedby"`;

export function extractResult(
  event: APIGatewayProxyEvent,
  rule: { id: string; description: string },
  columns: readonly Column[],
  rows: readonly object[],
  extra: Record<string, unknown> = {},
): HttpResult {
  const names = headerOf(columns);
  const tidy = tidyRows(columns, rows);
  if (!wantsCsv(event))
    return {
      statusCode: 200,
      headers: { Link: DICTIONARY_LINK },
      body: { rule, ...extra, columns: names, rows: tidy },
    };
  // csv-stringify writes no header for zero records; the header row is written explicitly.
  const csv = stringify([names, ...tidy.map((r) => names.map((c) => csvCell(r[c] ?? null)))]);
  return {
    statusCode: 200,
    headers: {
      'Disclosure-Control': `${rule.id}: ${rule.description}`.replace(/[^\x20-\x7e]/g, '-'),
      Link: DICTIONARY_LINK,
    },
    body: csv,
    contentType: 'text/csv; charset=utf-8',
  };
}

export const lssasFor = (callerLssas: readonly string[], wanted?: string): string[] =>
  wanted ? callerLssas.filter((l) => l === wanted) : [...callerLssas];
