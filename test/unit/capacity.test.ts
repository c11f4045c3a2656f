import { describe, expect, it } from 'vitest';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import type { IndexDef } from '../../shared/data/tables.js';
import {
  indexEntry,
  indexEntrySize,
  itemSizeBytes,
  numberSizeBytes,
  queryRcu,
  standardWcu,
  transactionalWcu,
} from '../bench/capacity.js';

describe('item size by DynamoDB rules', () => {
  it.each<[string, Record<string, unknown>, number]>([
    ['a 1-byte string attribute', { a: 'x' }, 1 + 1],
    ['an empty string', { a: '' }, 1],
    ['a multi-byte UTF-8 string', { name: 'é€' }, 4 + 2 + 3],
    ['a multi-byte attribute name', { é: 'x' }, 2 + 1],
    ['a boolean', { flag: true }, 4 + 1],
    ['false is still 1 byte', { flag: false }, 4 + 1],
    ['null', { n: null }, 1 + 1],
    ['an undefined value is no attribute', { a: 'x', gone: undefined }, 2],
    ['number 0', { n: 0 }, 1 + 1],
    ['number 1 (one significant digit)', { n: 1 }, 1 + 2],
    ['number 12', { n: 12 }, 1 + 2],
    ['number 123', { n: 123 }, 1 + 3],
    ['number 1000 (trailing zeroes trimmed)', { n: 1000 }, 1 + 2],
    ['number 0.001 (leading zeroes trimmed)', { n: 0.001 }, 1 + 2],
    ['number -12.5', { n: -12.5 }, 1 + 3],
    ['number 1e21', { n: 1e21 }, 1 + 2],
    ['an epoch-millisecond number (13 digits)', { t: 1_763_164_800_123 }, 1 + 8],
    ['a bigint (trailing zero trimmed: 19 digits)', { n: 12345678901234567890n }, 1 + 11],
    ['a NumberValue', { n: NumberValue.from('123456789012345678901234') }, 1 + 13],
    ['binary counts raw bytes', { b: new Uint8Array([1, 2, 3]) }, 1 + 3],
    ['an empty map', { m: {} }, 1 + 3],
    ['an empty list', { l: [] }, 1 + 3],
    ['a list: 3 + per element (1 + value)', { l: ['ab', 'c'] }, 1 + 3 + (1 + 2) + (1 + 1)],
    ['a map: 3 + per element (1 + name + value)', { m: { a: 'xy', bb: true } }, 1 + 3 + (1 + 1 + 2) + (1 + 2 + 1)],
    ['a nested map in a list', { l: [{ k: 1 }] }, 1 + 3 + 1 + (3 + 1 + 1 + 2)],
    ['undefined inside a map is dropped', { m: { a: 'x', b: undefined } }, 1 + 3 + (1 + 1 + 1)],
    ['a string set: sum of elements', { s: new Set(['ab', 'cde']) }, 1 + 5],
    ['several attributes add up', { PK: 'REFERRAL#1', SK: 'STATE', version: 1 }, 2 + 10 + 2 + 5 + 7 + 2],
  ])('%s', (_name, item, expected) => {
    expect(itemSizeBytes(item)).toBe(expected);
  });

  it('number sizes follow significant digits', () => {
    expect(numberSizeBytes(5)).toBe(2);
    expect(numberSizeBytes(55)).toBe(2);
    expect(numberSizeBytes(555)).toBe(3);
    expect(numberSizeBytes('00120.0500')).toBe(4); // 12005 → 5 digits → 3 + 1
  });
});

describe('write capacity', () => {
  it.each<[number, number, number]>([
    // size in bytes, standard WCU, transactional WCU
    [1, 1, 2],
    [100, 1, 2],
    [1023, 1, 2],
    [1024, 1, 2],
    [1025, 2, 4],
    [2048, 2, 4],
    [2049, 3, 6],
    [400 * 1024, 400, 800],
  ])('%i bytes: %i WCU standard, %i transactional', (size, standard, transactional) => {
    expect(standardWcu(size)).toBe(standard);
    expect(transactionalWcu(size)).toBe(transactional);
  });

  it('an item of exactly 1024 bytes is 2 WCU in a transaction, one byte more is 4', () => {
    const exactly = { a: 'x'.repeat(1023) };
    expect(itemSizeBytes(exactly)).toBe(1024);
    expect(transactionalWcu(itemSizeBytes(exactly))).toBe(2);
    expect(transactionalWcu(itemSizeBytes({ a: 'x'.repeat(1024) }))).toBe(4);
  });
});

describe('index entries', () => {
  const keys = ['PK', 'SK'];
  const item = { PK: 'P', SK: 'S', gpk: 'G', gsk: 'H', a: 'aaaa', b: 'bb', c: 7 };
  const withSort = (projection: IndexDef['projection']): IndexDef => ({
    indexName: 'i',
    partitionKey: { name: 'gpk', type: 'S' },
    sortKey: { name: 'gsk', type: 'S' },
    projection,
  });

  it.each<[string, IndexDef, number | undefined]>([
    ['KEYS_ONLY: index keys + table keys', withSort({ type: 'KEYS_ONLY' }), 3 + 3 + 4 + 4],
    [
      'INCLUDE: keys + the included attributes present',
      withSort({ type: 'INCLUDE', attributes: ['a', 'missing'] }),
      3 + 3 + 4 + 4 + 5,
    ],
    ['ALL: the whole item', withSort({ type: 'ALL' }), itemSizeBytes(item)],
    [
      'partition key only',
      { indexName: 'p', partitionKey: { name: 'gpk', type: 'S' }, projection: { type: 'KEYS_ONLY' } },
      3 + 3 + 4,
    ],
    [
      'sparse: no entry without the index key',
      { indexName: 'x', partitionKey: { name: 'other', type: 'S' }, projection: { type: 'ALL' } },
      undefined,
    ],
    [
      'sparse: no entry without the index sort key',
      { ...withSort({ type: 'ALL' }), sortKey: { name: 'absent', type: 'S' } },
      undefined,
    ],
  ])('%s', (_name, index, expected) => {
    expect(indexEntrySize(item, index, keys)).toBe(expected);
  });

  it('an INCLUDE entry holds exactly keys and included attributes', () => {
    expect(indexEntry(item, withSort({ type: 'INCLUDE', attributes: ['c'] }), keys)).toEqual({
      PK: 'P',
      SK: 'S',
      gpk: 'G',
      gsk: 'H',
      c: 7,
    });
  });
});

describe('query read capacity', () => {
  it.each<[number, boolean, number]>([
    [0, true, 0.5],
    [1, true, 0.5],
    [4096, true, 0.5],
    [4097, true, 1],
    [32 * 1024, true, 4],
    [32 * 1024 + 1, true, 4.5],
    [4096, false, 1],
    [4097, false, 2],
  ])('%i bytes, eventually consistent %s: %d RCU', (bytes, ec, rcu) => {
    expect(queryRcu(bytes, ec)).toBe(rcu);
  });
});
