/** Capacity rules (DOMAIN §5): staleness, figures of a bed type, ordering, age bands. Pure. */

/** A snapshot older than this is stale: shown, but greyed and flagged. */
export const STALE_AFTER_MS = 4 * 3_600_000;
/** Clock skew allowed on `asOf`: a snapshot from the future is refused. */
export const FUTURE_SKEW_MS = 5 * 60_000;

export const isStale = (asOf: string | null | undefined, now: Date): boolean =>
  !asOf || now.getTime() - Date.parse(asOf) > STALE_AFTER_MS;

export interface BedRow {
  bedType: string;
  sex: string;
  available: number;
  total: number;
  expectedDischargesToday?: number;
}

/** Rows matching the request: a `mixed` ward serves either sex. */
export const rowsOf = (beds: readonly BedRow[], bedType?: string, sex?: string): BedRow[] =>
  beds.filter(
    (b) => (!bedType || b.bedType === bedType) && (!sex || b.sex === sex || b.sex === 'mixed' || sex === 'mixed'),
  );

export const availableOf = (beds: readonly BedRow[], bedType?: string, sex?: string): number =>
  rowsOf(beds, bedType, sex).reduce((n, b) => n + b.available, 0);

/** Most available first; fresh before stale at equal figures; then name, for a stable order. */
export function orderUnits<T extends { availableOfType: number; stale: boolean; name: string }>(units: T[]): T[] {
  return [...units].sort(
    (a, b) =>
      b.availableOfType - a.availableOfType || Number(a.stale) - Number(b.stale) || a.name.localeCompare(b.name),
  );
}

export const AGE_BANDS = ['0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const;

export function ageBandOf(age: number): (typeof AGE_BANDS)[number] {
  if (age < 18) return '0-17';
  if (age < 25) return '18-24';
  if (age < 35) return '25-34';
  if (age < 45) return '35-44';
  if (age < 55) return '45-54';
  if (age < 65) return '55-64';
  return '65+';
}

/**
 * What a bed manager sees of a bed request: the minimum to find a bed (DOMAIN §5), never the
 * referral it came from, the AMHP service or the stored version.
 */
export const bedRequestView = <T extends { referralId: string; serviceId: string; version: number }>({
  referralId: _r,
  serviceId: _s,
  version: _v,
  ...rest
}: T) => rest;
