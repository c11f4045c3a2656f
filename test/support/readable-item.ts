/**
 * Items as the application reads them: a referral state keeps most fields compressed in `detail`
 * (shared/data/referral-item-codec.ts), so the tests' whole-table and whole-partition checks open
 * it, and read the fields they compare, as the repository would.
 */
import { unpackState } from '../../shared/data/referral-item-codec.js';
import { PK, SK } from '../../shared/data/tables.js';

export const readable = <T extends Record<string, unknown>>(item: T): T =>
  String(item[PK]).startsWith('REFERRAL#') && item[SK] === 'STATE' ? (unpackState(item) as T) : item;
