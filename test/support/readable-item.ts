/**
 * Items as the application reads them: a referral state keeps most fields compressed in `detail`
 * (shared/data/referral-item-codec.ts) and an idempotency record a large response body in `bodyZ`
 * (shared/data/idempotency-repository.ts), so the tests' whole-table and whole-partition checks
 * open them, and read the fields they compare, as the repositories would.
 */
import { openedResponse } from '../../shared/data/idempotency-repository.js';
import { unpackState } from '../../shared/data/referral-item-codec.js';
import { PK, SK } from '../../shared/data/tables.js';

export function readable<T extends Record<string, unknown>>(item: T): T {
  const pk = String(item[PK]);
  if (pk.startsWith('REFERRAL#') && item[SK] === 'STATE') return unpackState(item) as T;
  if (pk.startsWith('IDEMPOTENCY#') && item.response)
    return { ...item, response: openedResponse(item.response as Parameters<typeof openedResponse>[0]) };
  return item;
}
