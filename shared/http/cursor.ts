/**
 * Opaque list cursors (base64url JSON). A decoded cursor is untrusted input: callers check
 * that its start key lies in the partition they are querying (`assertCursorIn`), so a forged
 * cursor cannot walk into data the query's own parameters would not reach.
 */
import { HttpProblem } from './problem.js';

const invalid = () => new HttpProblem('validation', 'The cursor is not one this API issued for this query.', { errors: [{ pointer: '/query/cursor', message: 'invalid cursor' }] });

export const encodeCursor = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodeCursor<T extends object>(cursor: string): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as T;
  } catch {
    // fall through
  }
  throw invalid();
}

export function assertCursorIn(key: Record<string, unknown> | undefined, attribute: string, partition: string): void {
  if (key && key[attribute] !== partition) throw invalid();
}
