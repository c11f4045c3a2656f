/**
 * The data dictionary of the logistics figures (DOMAIN §7, §9) in the timings extract: the same
 * tidy convention as every other table (dictionary.ts, tidy.ts): units in names, each controlled
 * figure as a number or empty beside its `…Suppressed` flag.
 */
import type { Column, ExtractTable } from './dictionary.js';
import { WAIT_CAUSES } from '../domain/logistics.js';
import { UNLAWFUL_PLACE_FLAGS } from './logistics-extracts.js';

const period: Column = {
  name: 'period',
  type: 'date',
  codes: 'YYYY-MM-DD, the first day of the period',
  description: 'The fixed period (day, ISO week from Monday, or month).',
};
const records = (description: string): Column => ({
  name: 'records',
  type: 'integer',
  unit: 'records',
  controlled: true,
  description,
});
const minutes = (name: 'medianMinutes' | 'p90Minutes', what: string): Column => ({
  name,
  type: 'integer',
  unit: 'minutes',
  controlled: true,
  empty: 'not applicable when records is 0',
  description: `${what}, whole minutes.`,
});
const count = (name: string, unit: 'referrals' | 'records', description: string): Column => ({
  name,
  type: 'integer',
  unit,
  controlled: true,
  description,
});

export const DELAYS_TABLE: ExtractTable = {
  id: 'extract-timings-delays',
  title: 'Timings: delays by cause',
  source: 'GET /v1/extracts/timings (JSON `delaysByCause`)',
  formats: 'JSON only',
  description:
    'Request to arrival (or bed found) per cause, over referrals received in the period; a police refusal is ' +
    'a reply, not an arrival, and is not counted.',
  columns: [
    period,
    { name: 'cause', type: 'code', values: WAIT_CAUSES, description: 'What was waited for.' },
    records('Requests answered by an arrival (or a bed found).'),
    minutes('medianMinutes', 'Median wait'),
    minutes('p90Minutes', '90th percentile of the wait'),
  ],
};

export const S136_TABLE: ExtractTable = {
  id: 'extract-timings-s136',
  title: 'Timings: s.136 durations and breaches',
  source: 'GET /v1/extracts/timings (JSON `s136`)',
  formats: 'JSON only',
  description: 'Arrival at the place of safety to the end of the s.136 detention, and s.136 clocks breached.',
  columns: [
    period,
    records('s.136 detentions that ended.'),
    minutes('medianMinutes', 'Median duration'),
    minutes('p90Minutes', '90th percentile of the duration'),
    count('breaches', 'referrals', 'Referrals whose s.136 clock was breached.'),
  ],
};

export const PLACEMENTS_TABLE: ExtractTable = {
  id: 'extract-timings-placements',
  title: 'Timings: out-of-area placements and unlawful-place flags',
  source: 'GET /v1/extracts/timings (JSON `placements`)',
  formats: 'JSON only',
  description: 'Beds found out of area, and referrals that raised each flag of a place the law forbids.',
  columns: [
    period,
    {
      name: 'measure',
      type: 'code',
      values: ['out-of-area-placements', ...UNLAWFUL_PLACE_FLAGS],
      description: 'What is counted.',
    },
    count('count', 'records', 'Placements, or referrals that raised the flag.'),
  ],
};

export const REPEATS_TABLE: ExtractTable = {
  id: 'extract-timings-repeats',
  title: 'Timings: repeat referrals',
  source: 'GET /v1/extracts/timings (JSON `repeats`)',
  formats: 'JSON only',
  description:
    'Referrals of an identified person received in the period, and those whose person (by pseudonymised key) ' +
    'had another referral in the 30 or 90 days before, closed ones included.',
  columns: [
    period,
    count('referrals', 'referrals', 'Referrals of an identified person received in the period.'),
    count('within30Days', 'referrals', 'Of those, with another referral of the person in the 30 days before.'),
    count('within90Days', 'referrals', 'Of those, with another referral of the person in the 90 days before.'),
  ],
};

export const LOGISTICS_TABLES: readonly ExtractTable[] = [DELAYS_TABLE, S136_TABLE, PLACEMENTS_TABLE, REPEATS_TABLE];
