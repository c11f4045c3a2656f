/** What the analytics roll-ups count (test-only checks of the analytics consumer's output). */
import { PK } from '../../shared/data/tables.js';

/** The sum of the `n|…` counters of the ROLLUP# items among `items`, of those `counted` names only. */
export const rollupCount = (items: Record<string, any>[], counted: (name: string) => boolean = () => true): number =>
  items
    .filter((i) => String(i[PK]).startsWith('ROLLUP#'))
    .reduce(
      (sum, item) =>
        sum +
        Object.entries(item).reduce((n, [name, v]) => n + (name.startsWith('n|') && counted(name) ? Number(v) : 0), 0),
      0,
    );
