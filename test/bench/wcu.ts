/**
 * Write capacity of a captured transaction by AWS's rules (test/bench/capacity.ts), as a table,
 * beside DynamoDB Local's own figure.
 */
import type { IndexDef } from '../../shared/data/tables.js';
import { AUDIT_INDEXES, HUB_INDEXES, PK, SK } from '../../shared/data/tables.js';
import { indexWritesOf, itemSizeBytes, transactionalWcu, type IndexWrite } from './capacity.js';
import { table } from './phases.js';
import type { Item, TransactItems } from './referral-capture.js';

const TABLE_KEYS = [PK, SK] as const;

export interface WcuLine {
  label: string;
  table: string;
  /** Bytes priced: the item, or for a replaced item the larger of before and after. */
  size: number;
  before?: number;
  tableWcu: number;
  indexes: IndexWrite[];
  total: number;
}

export function describeItem(item: Item): string {
  const pk = String(item[PK] ?? '');
  const sk = String(item[SK] ?? '');
  if (pk.startsWith('IDEMPOTENCY#')) return 'idempotency record';
  // Audit records are keyed by their resource (shared/data/tables.ts); only they carry an auditId.
  if (item.auditId !== undefined) return `audit record (${String(item.action ?? '?')})`;
  if (pk.startsWith('REFERRAL#')) {
    if (sk === 'STATE') return 'referral state';
    if (sk.startsWith('EVENT#')) return 'referral event';
    if (sk.startsWith('PERSONKEY#')) return 'second person key';
    return `referral ${sk.split('#')[0]}`;
  }
  return pk.split('#')[0] || 'item';
}

export const keyOf = (item: Item): string => `${String(item[PK])}\u0000${String(item[SK])}`;

/** `hub` / `audit` for the run's physical table names (other names as they are). */
export const logicalTable = (tableName: string | undefined, tables: { hub: string; audit: string }): string =>
  tableName === tables.hub ? 'hub' : tableName === tables.audit ? 'audit' : String(tableName);

/** The GSIs a write to that logical table also writes. */
export const indexDefsOf = (table: string): readonly IndexDef[] =>
  table === 'hub' ? Object.values(HUB_INDEXES) : table === 'audit' ? Object.values(AUDIT_INDEXES) : [];

/**
 * Each item of a transaction priced: a Put of a new item at its size, a Put that replaces an item
 * (its stored image in `before`) at the larger of the two; GSI writes by `indexWritesOf`.
 */
export function wcuOf(
  items: TransactItems,
  tables: { hub: string; audit: string },
  before: ReadonlyMap<string, Item> = new Map(),
): WcuLine[] {
  return items.map((t) => {
    const op = t.Put ?? t.Update ?? t.Delete ?? t.ConditionCheck;
    const table = logicalTable(op?.TableName ?? '?', tables);
    if (!t.Put?.Item) {
      // Updates, deletes and condition checks are in neither a create nor a transition; priced as keys only here.
      const size = itemSizeBytes((op as { Key?: Item }).Key ?? {});
      return {
        label: t.Update ? 'update' : t.Delete ? 'delete' : 'condition check',
        table,
        size,
        tableWcu: transactionalWcu(size),
        indexes: [],
        total: transactionalWcu(size),
      };
    }
    const item = t.Put.Item as Item;
    const old = before.get(keyOf(item));
    const size = Math.max(itemSizeBytes(item), old ? itemSizeBytes(old) : 0);
    const indexes = indexDefsOf(table).flatMap((def) => indexWritesOf(old, item, def, TABLE_KEYS));
    const tableWcu = transactionalWcu(size);
    return {
      label: `${describeItem(item)}${old ? ' (replaced)' : ''}`,
      table,
      size,
      ...(old ? { before: itemSizeBytes(old) } : {}),
      tableWcu,
      indexes,
      total: tableWcu + indexes.reduce((s, x) => s + x.wcu, 0),
    };
  });
}

export const wcuTotal = (lines: readonly WcuLine[]) => lines.reduce((s, l) => s + l.total, 0);

/** The WCU table of one write: an item per row, GSI writes as `index [kind] bytes->WCU`. */
export function wcuTable(lines: readonly WcuLine[]): string {
  const writes = (l: WcuLine) =>
    l.indexes
      .map((x) => `${x.index}${l.before === undefined && x.kind === 'put' ? '' : ` ${x.kind}`} ${x.size}->${x.wcu}`)
      .join(', ') || '-';
  const indexCount = lines.reduce((s, l) => s + l.indexes.length, 0);
  const indexWcu = lines.reduce((s, l) => s + l.indexes.reduce((a, x) => a + x.wcu, 0), 0);
  return table(
    ['item', 'table', 'bytes', 'txn WCU', 'GSI writes (bytes -> WCU)', 'WCU'],
    [
      ...lines.map((l) => [l.label, l.table, String(l.size), String(l.tableWcu), writes(l), String(l.total)]),
      [
        'total',
        '',
        String(lines.reduce((s, l) => s + l.size, 0)),
        String(lines.reduce((s, l) => s + l.tableWcu, 0)),
        `${indexCount} writes, ${indexWcu} WCU`,
        String(wcuTotal(lines)),
      ],
    ],
    (c) => c === 2 || c === 3 || c === 5,
  );
}

export interface Consumed {
  ConsumedCapacity?: {
    TableName?: string;
    CapacityUnits?: number;
    GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
  }[];
}

/**
 * DynamoDB Local's own figure for a transaction: total, the GSI part, and a per-table detail
 * (`hub<separator>units (indexes …)`; each bench keeps the separator its report always printed).
 */
export function localCapacity(
  out: Consumed,
  tables: { hub: string; audit: string },
  separator = ': ',
): { total: number; indexes: number; detail: string } {
  const consumed = out.ConsumedCapacity ?? [];
  const total = consumed.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
  const indexes = consumed.reduce(
    (s, c) => s + Object.values(c.GlobalSecondaryIndexes ?? {}).reduce((a, v) => a + (v.CapacityUnits ?? 0), 0),
    0,
  );
  const detail = consumed
    .map(
      (c) =>
        `${logicalTable(c.TableName, tables)}${separator}` +
        `${c.CapacityUnits ?? 0}${
          c.GlobalSecondaryIndexes
            ? ` (indexes ${Object.entries(c.GlobalSecondaryIndexes)
                .map(([n, v]) => `${n} ${v.CapacityUnits ?? 0}`)
                .join(', ')})`
            : ''
        }`,
    )
    .join('; ');
  return { total, indexes, detail };
}
