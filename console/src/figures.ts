/**
 * The Demand view's figures, shaped from extract rows exactly as the API published them (already
 * under disclosure control: a count, 0, or `*`). Nothing here adds, subtracts or re-rounds a
 * published figure: summing controlled cells would publish totals the rule never allowed. Pure.
 */

export type Cell = number | '*';

export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const HOURS = Array.from({ length: 24 }, (_, h) => h);
export const hourLabel = (hour: number) => String(hour).padStart(2, '0');

/** 7 × 24 cells (Monday first, hour 0 first); a cell the extract does not list had no referrals: 0. */
export function heatmap(rows: readonly Record<string, unknown>[]): Cell[][] {
  const grid: Cell[][] = DAYS.map(() => HOURS.map((): Cell => 0));
  for (const row of rows) {
    const day = Number(row.dayOfWeek);
    const hour = Number(row.hourOfDay);
    if (!(day >= 1 && day <= 7 && hour >= 0 && hour <= 23)) continue;
    grid[day - 1]![hour] = asCell(row.count);
  }
  return grid;
}

/** Shade 0–5 of a cell against the largest published count; `*` has its own pattern. */
export function shade(cell: Cell, max: number): number {
  if (cell === '*' || cell === 0 || max <= 0) return 0;
  return Math.max(1, Math.ceil((cell / max) * 5));
}

export const maxCount = (cells: readonly Cell[]): number =>
  cells.reduce<number>((m, c) => (typeof c === 'number' && c > m ? c : m), 0);

export interface CrossTab {
  readonly rows: string[];
  readonly columns: string[];
  readonly cell: (row: string, column: string) => Cell;
}

/** Rows × columns of two dimensions, in the order given (then any other value seen, sorted). */
export function crossTab(
  extractRows: readonly Record<string, unknown>[],
  rowDim: string,
  columnDim: string,
  rowOrder: readonly string[] = [],
  columnOrder: readonly string[] = [],
): CrossTab {
  const cells = new Map<string, Cell>();
  const seenRows = new Set<string>();
  const seenColumns = new Set<string>();
  for (const r of extractRows) {
    const row = String(r[rowDim]);
    const column = String(r[columnDim]);
    seenRows.add(row);
    seenColumns.add(column);
    cells.set(`${row}\u0000${column}`, asCell(r.count));
  }
  const ordered = (order: readonly string[], seen: Set<string>) => [
    ...order.filter((v) => seen.has(v)),
    ...[...seen].filter((v) => !order.includes(v)).sort(),
  ];
  return {
    rows: ordered(rowOrder, seenRows),
    columns: ordered(columnOrder, seenColumns),
    cell: (row, column) => cells.get(`${row}\u0000${column}`) ?? 0,
  };
}

export interface Bucket {
  readonly fromMinutes: number;
  readonly toMinutes: number | null;
  readonly count: Cell;
}

export function buckets(distribution: readonly Record<string, unknown>[], interval: string): Bucket[] {
  return distribution
    .filter((r) => r.interval === interval)
    .map((r) => ({
      fromMinutes: Number(r.fromMinutes),
      toMinutes: r.toMinutes === null ? null : Number(r.toMinutes),
      count: asCell(r.count),
    }))
    .sort((a, b) => a.fromMinutes - b.fromMinutes);
}

const span = (minutes: number) =>
  minutes < 60 ? `${minutes} min` : minutes < 2880 ? `${minutes / 60} h` : `${minutes / 1440} d`;
export const bucketLabel = (b: Pick<Bucket, 'fromMinutes' | 'toMinutes'>): string =>
  b.toMinutes === null
    ? `over ${span(b.fromMinutes)}`
    : `${b.fromMinutes === 0 ? '0' : span(b.fromMinutes)} to ${span(b.toMinutes)}`;

function asCell(value: unknown): Cell {
  if (value === '*') return '*';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new RangeError('an extract cell is a whole number or *');
  return n;
}

/** One CSV field: quoted (quotes doubled) only when it holds a comma, a quote or a line break. */
const csvField = (v: string | number): string => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * CSV text (RFC 4180, header first, one `\n` after each record) of exactly these rows. Written
 * here rather than with csv-stringify, which was a third of the console's bundle for this.
 */
export const csv = (header: readonly string[], rows: readonly (readonly (string | number)[])[]): string =>
  [header, ...rows].map((r) => `${r.map(csvField).join(',')}\n`).join('');

export const heatmapCsv = (grid: readonly Cell[][]): string =>
  csv(
    ['day', ...HOURS.map(hourLabel)],
    grid.map((cells, d) => [DAYS[d]!, ...cells]),
  );

export const crossTabCsv = (t: CrossTab, corner: string): string =>
  csv(
    [corner, ...t.columns],
    t.rows.map((r) => [r, ...t.columns.map((c) => t.cell(r, c))]),
  );

export const bucketsCsv = (list: readonly Bucket[]): string =>
  csv(
    ['time to assessment', 'from minutes', 'to minutes', 'referrals'],
    list.map((b) => [bucketLabel(b), b.fromMinutes, b.toMinutes ?? '', b.count]),
  );
