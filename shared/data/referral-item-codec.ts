/**
 * How a referral's state is stored: the few attributes that indexes project, conditions test or
 * people scan for stay plain; everything else (the person, the referrer, risk, free text, clock
 * facts…) is one Brotli-compressed JSON attribute, `detail`.
 *
 * Why: a create writes the state in a transaction at 2 WCU per started KB, and a realistic s.136
 * referral's state was 2.5 KB (6 WCU, and again on every change, priced at the larger of before
 * and after). Its narrative compresses to well under half, which brings the item under 2 KB (4 WCU).
 * AWS's own guidance for large attribute values is compression. Brotli (in Node's zlib, so no
 * bundle cost) at quality 5 takes about 60 µs for a referral; 11 would save ~15% more but takes
 * ~2 ms. The data is exactly as identifiable compressed as it was plain: the same table, the same
 * encryption, the same readers, who all read through `unpackState`.
 *
 * Items written before this change have no `detail` and are read as they are.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

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

const COMPRESSION = {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 5,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    // A 64 KB window (default 4 MB): a referral is a few KB, and the smaller buffer is ~20% faster.
    [constants.BROTLI_PARAM_LGWIN]: 16,
  },
};

/** The record as stored: its plain fields and `detail`. Undefined fields are left out, as DynamoDB would. */
export function packState(record: object): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    (PLAIN.has(key) ? plain : rest)[key] = value;
  }
  return { ...plain, [DETAIL_ATTRIBUTE]: brotliCompressSync(Buffer.from(JSON.stringify(rest)), COMPRESSION) };
}

/**
 * The stored item with `detail` opened and merged back. `detail` arrives as bytes from the SDK,
 * or as base64 text in a stream record's JSON (Lambda's DynamoDB event, Kinesis data).
 */
export function unpackState(item: Record<string, unknown>): Record<string, unknown> {
  const { [DETAIL_ATTRIBUTE]: detail, ...rest } = item;
  if (detail === undefined) return item;
  const bytes = typeof detail === 'string' ? Buffer.from(detail, 'base64') : Buffer.from(detail as Uint8Array);
  return { ...(JSON.parse(brotliDecompressSync(bytes).toString('utf8')) as Record<string, unknown>), ...rest };
}
