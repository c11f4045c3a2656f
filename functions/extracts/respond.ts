/**
 * Extract responses: JSON by default, CSV (by a real CSV writer) for `Accept: text/csv`. Both
 * state the disclosure rule applied (DOMAIN §7): in the body for JSON, in a header for CSV.
 */
import { stringify } from 'csv-stringify/sync';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { header } from '../../shared/http/types.js';
import type { HttpResult } from '../../shared/http/types.js';

export const wantsCsv = (event: APIGatewayProxyEvent): boolean => /\btext\/csv\b/i.test(header(event, 'accept') ?? '');

export function extractResult(event: APIGatewayProxyEvent, rule: { id: string; description: string }, rows: readonly Record<string, unknown>[], extra: Record<string, unknown> = {}): HttpResult {
  if (!wantsCsv(event)) return { statusCode: 200, body: { rule, ...extra, rows } };
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const csv = stringify(rows.map((r) => columns.map((c) => (Array.isArray(r[c]) ? (r[c] as unknown[]).join(';') : (r[c] ?? '')))), { header: true, columns });
  return {
    statusCode: 200,
    headers: { 'Disclosure-Control': `${rule.id}: ${rule.description}`.replace(/[^\x20-\x7e]/g, '-') },
    body: csv,
    contentType: 'text/csv; charset=utf-8',
  };
}

export const lssasFor = (callerLssas: readonly string[], wanted?: string): string[] => (wanted ? callerLssas.filter((l) => l === wanted) : [...callerLssas]);
