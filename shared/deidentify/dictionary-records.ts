/**
 * The record-level extract's columns (DOMAIN §7, record-extract.ts): codes only, each generalised
 * along its ladder, `*` when generalised away. Part of the data dictionary (dictionary.ts).
 */
import { ETHNICITY_GROUPS } from './generalise.js';
import { INTERVALS } from './facts.js';
import { SEXES } from '../domain/vocabulary.js';
import { dimensionColumn, type Column, type ExtractTable } from './dictionary.js';

/** Record-level columns other than the keys; their values are codes, `*` when generalised away. */
export const RECORDS_TABLE: ExtractTable = {
  id: 'extract-records',
  title: 'Records (pseudonymised, extracts.records only)',
  source: 'GET /v1/extracts/records (rows)',
  formats: 'JSON and CSV',
  description:
    'One row per referral received in the month, every column but the keys generalised until each ' +
    'combination occurs at least 5 times (k ≥ 5); rows that cannot be are withheld and counted. ' +
    'Every value is a code: * means generalised away entirely. No numbers: intervals are bands.',
  columns: [
    {
      name: 'recordKey',
      type: 'string',
      description: 'Pseudonymous key of the referral, per agreement and month (no two extracts join on it).',
    },
    {
      name: 'personKey',
      type: 'string',
      empty: 'the person is unidentified',
      description: 'Pseudonymous key of the person, per agreement and month.',
    },
    { name: 'month', type: 'month', codes: 'YYYY-MM', description: 'Month of receipt.' },
    dimensionColumn('lssa'),
    {
      name: 'ageBand',
      type: 'code',
      codes: 'age band, then 0-17, 18-34, 35-64, 65+, then *',
      description: 'Age band.',
    },
    { name: 'sex', type: 'code', values: SEXES, description: 'Sex as recorded, or *.' },
    { name: 'ethnicityGroup', type: 'code', values: ETHNICITY_GROUPS, description: 'Ethnic category group, or *.' },
    {
      name: 'agencyType',
      type: 'code',
      codes: 'agency type, then emergency-services or health-and-care, then *',
      description: 'Referring agency type.',
    },
    {
      name: 'legalStatus',
      type: 'code',
      codes: 'legal status, then holding-power, detained-or-supervised or informal-or-none, then *',
      description: 'Legal status when referred.',
    },
    {
      name: 'outcome',
      type: 'code',
      codes: 'outcome, then application-made, no-application, no-assessment or pending, then *',
      description: 'Outcome.',
    },
    {
      name: 'hourBand',
      type: 'code',
      codes:
        '4-hour band of receipt 00-03 ... 20-23 (Europe/London), ' +
        'then night (0-7), day (8-15) or evening (16-23), then *',
      description: 'Time of day of receipt.',
    },
    {
      name: 'weekday',
      type: 'code',
      codes: 'ISO day 1 = Monday ... 7 = Sunday, then weekday or weekend, then *',
      description: 'Day of the week of receipt (Europe/London).',
    },
    {
      name: 'outOfHours',
      type: 'code',
      codes: 'true, false or *',
      description: 'Received outside the in-hours calendar.',
    },
    { name: 'urgency', type: 'code', description: 'Urgency as triaged, or *.' },
    {
      name: 'status',
      type: 'code',
      codes: 'status, then open or ended, then *',
      description: 'Status at the end of the extract.',
    },
    {
      name: 'escalations',
      type: 'code',
      codes: 'escalation types joined with ;, none, then some or none, then *',
      description: 'Escalations raised.',
    },
    {
      name: 'breaches',
      type: 'code',
      codes: 'powers joined with ;, none, then some or none, then *',
      description: 'Clocks breached.',
    },
    ...INTERVALS.map(
      (name): Column => ({
        name,
        type: 'code',
        codes: 'none, under-1h, 1-4h, 4-12h, 12-24h, 1-3d, over-3d, then within-24h or over-24h, then *',
        description: `The ${name} interval as a band (never minutes).`,
      }),
    ),
  ],
};
