/**
 * The one writer of extract rows (issue #17, "tidy extracts"): turns the rows an extract builds
 * (figures as `Figure`: a number, `*` suppressed, or null not applicable) into rows with exactly
 * the columns of its dictionary definition, in that order, each controlled figure split into a
 * numeric-or-empty column and a boolean `…Suppressed` column (SUPPRESSION_CONVENTION). Numeric
 * columns therefore stay numeric for CSV readers (DuckDB, pandas, R). Pure.
 *
 * It refuses rows that do not fit their definition (an unknown column, text in a numeric one, `*`
 * outside a controlled figure): a defect to surface, not something to publish.
 */
import type { Column } from './dictionary.js';

export type Cell = string | number | boolean | null;
export type TidyRow = Record<string, Cell>;

export const suppressedColumn = (name: string): string => `${name}Suppressed`;

/** The published column names of a definition, flags beside their figures. */
export function headerOf(columns: readonly Column[]): string[] {
  return columns.flatMap((c) => (c.controlled ? [c.name, suppressedColumn(c.name)] : [c.name]));
}

const NUMERIC = new Set<Column['type']>(['integer', 'number']);

function plain(column: Column, value: unknown): Cell {
  if (value === undefined || value === null || value === '') return null;
  if (NUMERIC.has(column.type)) {
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      (column.type === 'integer' && !Number.isInteger(value))
    ) {
      throw new TypeError(`column ${column.name}: not a ${column.type}`);
    }
    return value;
  }
  if (column.type === 'boolean') {
    if (typeof value !== 'boolean') throw new TypeError(`column ${column.name}: not a boolean`);
    return value;
  }
  if (Array.isArray(value)) return value.join(';');
  if (typeof value !== 'string') throw new TypeError(`column ${column.name}: not text`);
  return value;
}

/** One row, as published: every defined column present (null where empty), nothing else. */
export function tidyRow(columns: readonly Column[], input: object): TidyRow {
  const row = input as Readonly<Record<string, unknown>>;
  const known = new Set(columns.map((c) => c.name));
  for (const key of Object.keys(row))
    if (!known.has(key)) throw new TypeError(`column ${key} is not in the extract's definition`);
  const out: TidyRow = {};
  for (const column of columns) {
    const value = row[column.name];
    if (!column.controlled) {
      out[column.name] = plain(column, value);
      continue;
    }
    const suppressed = value === '*';
    out[column.name] = suppressed ? null : plain(column, value);
    out[suppressedColumn(column.name)] = suppressed;
  }
  return out;
}

export function tidyRows(columns: readonly Column[], rows: readonly object[]): TidyRow[] {
  return rows.map((r) => tidyRow(columns, r));
}

/** CSV cells: empty for null, true/false for booleans, numbers as JavaScript writes them. */
export const csvCell = (cell: Cell): string => (cell === null ? '' : String(cell));
