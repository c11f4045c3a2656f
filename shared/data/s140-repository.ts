/**
 * The s.140 register in `hub` (DOMAIN §9): one item per ICB (`S140#<icb>` / `REGISTER`) in the
 * sparse area index under `S140#ALL`, so the whole register is one Query.
 */
import { PK, SK } from './tables.js';
import { areaKeys, queryArea } from './area-index.js';
import type { S140RegisterEntry } from '../schemas/s140-register.js';

export const S140_AREA = 'S140#ALL';
export const s140Key = (icb: string) => ({ [PK]: `S140#${icb}`, [SK]: 'REGISTER' });
/** The stored item of one entry (the seed writes these). */
export const s140Item = (entry: S140RegisterEntry) => ({
  ...s140Key(entry.icb),
  ...areaKeys(S140_AREA, entry.icb),
  ...entry,
});

export const listS140Register = () => queryArea<S140RegisterEntry>(S140_AREA);
