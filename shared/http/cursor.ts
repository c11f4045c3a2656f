/**
 * Opaque list cursors, tamper-evident: `<mac><payload>`, where the payload is base64url JSON and
 * the mac an HMAC-SHA256 (43 base64url characters) over the payload and the cursor's scope (the
 * route, the caller's organisation and the query it pages). A cursor the Hub did not issue for
 * this scope — forged, altered, or lifted from another caller's or another query's page — is a
 * 400 before anything reaches DynamoDB (a forged start key there is a ValidationException, a
 * 500). The key is held outside the data like the other keys (`CURSOR_KEY`, generated locally).
 * `assertCursorIn` stays as a second line: a start key must still lie in the queried partition.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { cursorKey } from '../config.js';
import { HttpProblem } from './problem.js';

const MAC_LENGTH = 43;
const DOMAIN = 'amhp-hub/v1/cursor\u0000';

const invalid = (pointer = '/query/cursor') =>
  new HttpProblem('validation', 'The cursor is not one this API issued for this query.', {
    errors: [{ pointer, message: 'invalid cursor' }],
  });

const macOf = async (scope: string, payload: string): Promise<string> =>
  createHmac('sha256', await cursorKey())
    .update(`${DOMAIN}${scope}\u0000${payload}`, 'utf8')
    .digest('base64url');

/** `scope` names what the cursor pages, e.g. `listReferrals/board/<organisation>`. */
export async function encodeCursor(value: unknown, scope: string): Promise<string> {
  const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${await macOf(scope, payload)}${payload}`;
}

/** The cursor's value, or a 400 problem at `pointer` when it is not one issued for `scope`. */
export async function decodeCursor<T extends object>(cursor: string, scope: string, pointer?: string): Promise<T> {
  const mac = cursor.slice(0, MAC_LENGTH);
  const payload = cursor.slice(MAC_LENGTH);
  const expected = await macOf(scope, payload);
  if (mac.length !== MAC_LENGTH || !payload || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected)))
    throw invalid(pointer);
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as T;
  } catch {
    // fall through: a signed payload always parses; this only guards a key compromise.
  }
  throw invalid(pointer);
}

export function assertCursorIn(key: Record<string, unknown> | undefined, attribute: string, partition: string): void {
  if (key && key[attribute] !== partition) throw invalid();
}
