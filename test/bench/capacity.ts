/**
 * DynamoDB capacity arithmetic by AWS's published rules, for the bench (pure: no I/O).
 *
 * Item size ("DynamoDB item sizes and formats", CapacityUnitCalculations): the sum over the
 * attributes of (UTF-8 bytes of the name) + (size of the value), where a value is
 * - a string: its UTF-8 bytes;
 * - a number: about 1 byte per two significant digits (leading and trailing zeroes trimmed) + 1;
 * - a binary: its raw bytes;
 * - a Boolean or null: 1 byte;
 * - a list or map: 3 bytes of overhead + 1 byte per element + the elements (a map element is
 *   an attribute: its name's bytes count too);
 * - a set: the sum of its elements.
 * Items are plain JS objects as the document client stores them (`removeUndefinedValues`, so an
 * undefined value is no attribute at all).
 *
 * Capacity: 1 KB = 1024 bytes. A standard write is 1 WCU per KB of the item (rounded up), a
 * transactional write 2; a global secondary index entry written for a new item costs 1 WCU per
 * KB of the entry (index keys + table keys + projected attributes). A Query costs 1 RCU per 4 KB
 * of everything it returns (summed, then rounded up), half that when eventually consistent (the
 * only kind of read a GSI serves).
 *
 * Changes of an existing item (an UpdateItem, or a Put that replaces it): the table write is
 * priced at the larger of the item before and after; each GSI by what happens to the item's
 * entry there (`indexWritesOf`): added, one put; removed, one delete; its index key changed, one
 * delete and one put; keys kept but a projected attribute changed, one update; nothing it
 * projects changed, no write at all.
 */
import type { IndexDef } from '../../shared/data/tables.js';

export const KB = 1024;

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Significant digits of a number's decimal form, leading and trailing zeroes trimmed. */
export function significantDigits(n: number | bigint | string): number {
  let s = typeof n === 'string' ? n.trim() : n.toString();
  s = s.replace(/^[+-]/, '');
  const e = s.search(/e/i);
  if (e >= 0) s = s.slice(0, e);
  const digits = s.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length;
}

/** A number's stored size: 1 byte per two significant digits (rounded up) + 1 byte. */
export const numberSizeBytes = (n: number | bigint | string): number => Math.ceil(significantDigits(n) / 2) + 1;

const isNumberValue = (v: object): v is { value: string } =>
  // lib-dynamodb's NumberValue (numbers beyond double precision)
  typeof (v as { value?: unknown }).value === 'string' && v.constructor?.name === 'NumberValue';

/** Size of one attribute value (without its name). `undefined` when the value is not stored at all. */
export function valueSizeBytes(value: unknown): number | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSizeBytes(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (value instanceof Set) {
    let sum = 0;
    for (const element of value) sum += valueSizeBytes(element) ?? 0;
    return sum;
  }
  if (Array.isArray(value)) {
    let sum = 3;
    for (const element of value) {
      const size = valueSizeBytes(element);
      if (size !== undefined) sum += size + 1;
    }
    return sum;
  }
  if (typeof value === 'object') {
    if (isNumberValue(value)) return numberSizeBytes(value.value);
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    let sum = 3;
    for (const [name, v] of entries) {
      const size = valueSizeBytes(v);
      if (size !== undefined) sum += utf8(String(name)) + size + 1;
    }
    return sum;
  }
  return undefined;
}

/** An item's size by DynamoDB's rules: attribute names + values (top-level attributes carry no per-element byte). */
export function itemSizeBytes(item: Record<string, unknown>): number {
  let sum = 0;
  for (const [name, value] of Object.entries(item)) {
    const size = valueSizeBytes(value);
    if (size !== undefined) sum += utf8(name) + size;
  }
  return sum;
}

const kbUnits = (sizeBytes: number): number => Math.max(1, Math.ceil(sizeBytes / KB));

/** One standard write (PutItem/UpdateItem/DeleteItem, or a GSI entry): 1 WCU per KB, rounded up. */
export const standardWcu = (sizeBytes: number): number => kbUnits(sizeBytes);

/** One item of a TransactWriteItems: 2 WCU per KB, rounded up. */
export const transactionalWcu = (sizeBytes: number): number => 2 * kbUnits(sizeBytes);

/**
 * The item as an index holds it: index keys + table keys + projected attributes, or `undefined`
 * when the item lacks an index key attribute (sparse index: no entry, no write).
 */
export function indexEntry(
  item: Record<string, unknown>,
  index: IndexDef,
  tableKeys: readonly string[],
): Record<string, unknown> | undefined {
  const indexKeys = [index.partitionKey.name, ...(index.sortKey ? [index.sortKey.name] : [])];
  if (indexKeys.some((k) => item[k] === undefined)) return undefined;
  if (index.projection.type === 'ALL') return { ...item };
  const names = new Set([
    ...indexKeys,
    ...tableKeys,
    ...(index.projection.type === 'INCLUDE' ? index.projection.attributes : []),
  ]);
  const entry: Record<string, unknown> = {};
  for (const name of names) if (item[name] !== undefined) entry[name] = item[name];
  return entry;
}

/** Size of the item's entry in the index, or `undefined` when the item is not in it. */
export function indexEntrySize(
  item: Record<string, unknown>,
  index: IndexDef,
  tableKeys: readonly string[],
): number | undefined {
  const entry = indexEntry(item, index, tableKeys);
  return entry === undefined ? undefined : itemSizeBytes(entry);
}

/** One Query (or Scan) response: 1 RCU per 4 KB of the total returned, rounded up; half when eventually consistent. */
export function queryRcu(totalBytes: number, eventuallyConsistent: boolean): number {
  const units = Math.max(1, Math.ceil(totalBytes / (4 * KB)));
  return eventuallyConsistent ? units / 2 : units;
}

/** One write a GSI takes for a change of a table item. */
export interface IndexWrite {
  readonly index: string;
  readonly kind: 'put' | 'update' | 'delete';
  /** Bytes of the entry written (put: the new entry; delete: the old; update: the larger). */
  readonly size: number;
  readonly wcu: number;
}

/** A value as a canonical string (object keys sorted, sets as sorted lists), for equality only. */
function canonical(value: unknown): string {
  if (value === undefined) return 'u';
  if (value instanceof Uint8Array) return `b:${Buffer.from(value).toString('base64')}`;
  if (value instanceof Set) return `s:[${[...value].map(canonical).sort().join(',')}]`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    if (isNumberValue(value)) return `n:${value.value}`;
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return `${typeof value}:${String(value)}`;
}

/** The same stored value (deep; object key order and undefined members ignored). */
export const sameValue = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/**
 * The writes one index takes when a table item goes from `before` to `after` (`undefined`: the
 * item did not exist / no longer exists), by AWS's rules ("Provisioned throughput considerations
 * for global secondary indexes"): an entry added is one put, an entry removed one delete, a changed
 * index key one delete and one put, kept keys with a changed projected attribute one update at
 * the larger of the two entries; an entry that does not change costs nothing.
 */
export function indexWritesOf(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  index: IndexDef,
  tableKeys: readonly string[],
): IndexWrite[] {
  const old = before && indexEntry(before, index, tableKeys);
  const now = after && indexEntry(after, index, tableKeys);
  const write = (kind: IndexWrite['kind'], size: number): IndexWrite => ({
    index: index.indexName,
    kind,
    size,
    wcu: standardWcu(size),
  });
  if (!old && !now) return [];
  if (!old) return [write('put', itemSizeBytes(now!))];
  if (!now) return [write('delete', itemSizeBytes(old))];
  const keys = [index.partitionKey.name, ...(index.sortKey ? [index.sortKey.name] : [])];
  if (keys.some((k) => canonical(old[k]) !== canonical(now[k])))
    return [write('delete', itemSizeBytes(old)), write('put', itemSizeBytes(now))];
  if (canonical(old) === canonical(now)) return [];
  return [write('update', Math.max(itemSizeBytes(old), itemSizeBytes(now)))];
}
