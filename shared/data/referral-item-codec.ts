/**
 * How a referral's state is stored: the few attributes that indexes project, conditions test or
 * people scan for stay plain; everything else (the person, the referrer, risk, free text, clock
 * facts…) is one Brotli-compressed JSON attribute, `detail`.
 *
 * Why: a create writes the state in a transaction at 2 WCU per started KB, and a realistic s.136
 * referral's state was 2.5 KB (6 WCU, and again on every change, priced at the larger of before
 * and after). Its narrative compresses to well under half, which brings the item under 2 KB (4 WCU).
 * AWS's own guidance for large attribute values is compression (./compression.ts). The data is
 * exactly as identifiable compressed as it was plain: the same table, the same encryption, the same
 * readers, who all read through `unpackState`.
 *
 * Items written before this change have no `detail` and are read as they are.
 */
import { compressText, decompressText } from './compression.js';

/** The compressed attribute. */
export const DETAIL_ATTRIBUTE = 'detail';

/**
 * Record fields kept plain: the board projects reference, status, responsibleLssa, lastEvent and
 * version; `changeSeq` is every change's condition; the rest are the keys people look for first
 * when reading a table (id, service, times). Nothing else is read from the stored item by
 * DynamoDB itself (no condition, filter or projection), which is what makes it safe to compress.
 */
const PLAIN: ReadonlySet<string> = new Set([
  'id',
  'reference',
  'status',
  'version',
  'changeSeq',
  'serviceId',
  'responsibleLssa',
  'lastEvent',
  'receivedAt',
  'updatedAt',
]);

/** The record as stored: its plain fields and `detail`. Undefined fields are left out, as DynamoDB would. */
export function packState(record: object): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    (PLAIN.has(key) ? plain : rest)[key] = value;
  }
  return { ...plain, [DETAIL_ATTRIBUTE]: compressText(JSON.stringify(rest)) };
}

/**
 * The stored item with `detail` opened and merged back. `detail` arrives as bytes from the SDK,
 * or as base64 text in a stream record's JSON (Lambda's DynamoDB event, Kinesis data).
 */
export function unpackState(item: Record<string, unknown>): Record<string, unknown> {
  const { [DETAIL_ATTRIBUTE]: detail, ...rest } = item;
  if (detail === undefined) return item;
  return { ...(JSON.parse(decompressText(detail as Uint8Array | string)) as Record<string, unknown>), ...rest };
}
