import { describe, expect, it } from 'vitest';
import { allItems, pagesOf, startingAt } from '../../shared/data/pages.js';

/** A fake paged read over `items`, `size` a page, recording the start keys it was given. */
const pagedRead = (items: number[], size: number) => {
  const starts: (Record<string, number> | undefined)[] = [];
  const read = async (startKey: Record<string, number> | undefined) => {
    starts.push(startKey);
    const from = startKey ? startKey.after! + 1 : 0;
    const page = items.slice(from, from + size);
    const last = from + size < items.length ? { LastEvaluatedKey: { after: from + size - 1 } } : {};
    return { Items: page, ConsumedCapacity: { CapacityUnits: page.length }, ...last };
  };
  return { read, starts };
};

describe('read every page', () => {
  it('follows LastEvaluatedKey until the last page and keeps the order', async () => {
    const { read, starts } = pagedRead([1, 2, 3, 4, 5, 6, 7], 3);
    const seen: number[] = [];
    expect(await allItems(read, (p) => seen.push(p.ConsumedCapacity!.CapacityUnits!))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(starts).toEqual([undefined, { after: 2 }, { after: 5 }]);
    expect(seen).toEqual([3, 3, 1]);
  });

  it('reads once when everything fits one page, and once for an empty result', async () => {
    for (const items of [[1, 2], []]) {
      const { read, starts } = pagedRead(items, 5);
      const pages = [];
      for await (const page of pagesOf(read)) pages.push(page);
      expect(pages).toHaveLength(1);
      expect(starts).toEqual([undefined]);
    }
  });

  it('sends ExclusiveStartKey only after the first page', () => {
    expect(startingAt(undefined)).toEqual({});
    expect(startingAt({ PK: 'x' })).toEqual({ ExclusiveStartKey: { PK: 'x' } });
  });
});
