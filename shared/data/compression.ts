/**
 * Text stored compressed in DynamoDB, where items are priced per started KB (2 WCU per KB in a
 * transaction). Brotli from Node's zlib (no bundle cost) at quality 5 and a 64 KB window: about
 * 75 µs to compress and 20 µs to open a few KB of JSON, which shrinks to well under half. Quality
 * 11 would save ~15% more at ~2 ms; the default 4 MB window only costs time at these sizes.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

const OPTIONS = {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 5,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_LGWIN]: 16,
  },
};

export const compressText = (text: string): Buffer => brotliCompressSync(Buffer.from(text), OPTIONS);

/** Bytes from the SDK, or base64 text where a stream record's JSON carries them. */
export const decompressText = (stored: Uint8Array | string): string =>
  brotliDecompressSync(typeof stored === 'string' ? Buffer.from(stored, 'base64') : Buffer.from(stored)).toString(
    'utf8',
  );
