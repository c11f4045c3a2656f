/**
 * The data dictionary of the extracts (issue #17): every extract's columns, types, units and
 * codes, defined ONCE here. The same definitions drive the writer (tidy.ts: which columns a
 * response has, in which order, with a header row even when empty), the zero-filled grids
 * (DIMENSION_VALUES) and the page served at /docs (dictionary-page.ts), so the documentation
 * cannot drift from what is sent. Pure.
 *
 * A new extract adds one ExtractTable (here, or in a file of its own like dictionary-records.ts),
 * lists it in EXTRACT_TABLES (dictionary-page.ts) and passes its columns to `extractResult`; a
 * controlled figure is a column with `controlled: true` and gets its `…Suppressed` flag for free.
 */
// Codes from the zod-free domain vocabulary, not the schema modules: an extract handler then
// builds no referral or registry schema at start-up (#21).
import {
  AGENCY_TYPES,
  BED_TYPES,
  ESCALATION_TYPES,
  FLAG_CODES,
  LEGAL_STATUSES,
  OUTCOMES,
  SEXES,
} from '../domain/vocabulary.js';
import { POWERS } from '../domain/clock-rules.js';
import { AGE_BANDS, ETHNICITY_GROUPS } from './generalise.js';
import {
  AGE_UNKNOWN,
  DIMENSIONS,
  INTERVALS,
  OUTCOME_CLOSED_WITHOUT_OUTCOME,
  OUTCOME_NOT_ACCEPTED,
  OUTCOME_PENDING,
  OUTCOME_WITHDRAWN,
  type Dimension,
} from './facts.js';

export type ColumnType = 'date' | 'month' | 'code' | 'integer' | 'number' | 'boolean' | 'string';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  /** The unit of a numeric column; also in its name (e.g. `medianMinutes`). */
  readonly unit?: 'minutes' | 'percent' | 'referrals' | 'records' | 'beds' | 'updates';
  /**
   * A figure under disclosure control: published as a number or empty, beside a boolean
   * `<name>Suppressed` column (see SUPPRESSION_CONVENTION).
   */
  readonly controlled?: boolean;
  /** Empty (JSON null) means "not applicable" for this column, and when. */
  readonly empty?: string;
  /** The values the column takes (a vocabulary), or how it is coded. */
  readonly values?: readonly string[];
  readonly codes?: string;
  readonly description: string;
}

export interface ExtractTable {
  /** Anchor on the /docs page. */
  readonly id: string;
  readonly title: string;
  /** Where the table is served: the path and, for a section of a JSON response, its key. */
  readonly source: string;
  readonly formats: 'JSON and CSV' | 'JSON only';
  readonly description: string;
  readonly columns: readonly Column[];
}

export const SUPPRESSION_CONVENTION =
  'Every controlled figure is a column of numbers (integer or decimal) that may be empty (JSON null), with a boolean ' +
  'column beside it named after it with "Suppressed" appended (count → countSuppressed). A number: the published ' +
  'figure (0 is a true zero). Empty with the flag true: suppressed by the disclosure rule (1-7 referrals, or a ' +
  'median/percentile over 1-19 records, or a percentage of a suppressed count). Empty with the flag false: not ' +
  'applicable, there was nothing to measure (a median of no records, a percentage of 0). The flag is never true ' +
  'beside a number. Grids are complete: every period of the requested range and every value of each dimension ' +
  'appears, with 0 where there were none. CSV has a header row always (an empty result is the header alone); JSON ' +
  'lists the same names in `columns`. CSV booleans are true/false.';

export const TIME_CONVENTION =
  'Times are Europe/London wall-clock time (GMT or BST as in force). hourOfDay 0-23 is the hour of receipt ' +
  '(0 = 00:00-00:59); dayOfWeek is ISO 8601: 1 = Monday ... 7 = Sunday. Periods are fixed: a day, an ISO week ' +
  'starting Monday, or a calendar month; `period` is its first day (YYYY-MM-DD).';

const OUTCOME_VALUES = [
  ...OUTCOMES,
  OUTCOME_PENDING,
  OUTCOME_NOT_ACCEPTED,
  OUTCOME_WITHDRAWN,
  OUTCOME_CLOSED_WITHOUT_OUTCOME,
];

/**
 * Every value each demand dimension can take, in the order grids list them. `lssa` is the
 * caller's agreement (given per request). A value seen in the data but not listed here (a
 * retired code) is still published, after these.
 */
export const DIMENSION_VALUES: Readonly<Record<Exclude<Dimension, 'lssa'>, readonly string[]>> = {
  agencyType: AGENCY_TYPES,
  legalStatus: LEGAL_STATUSES,
  outcome: OUTCOME_VALUES,
  ethnicityGroup: ETHNICITY_GROUPS,
  ageBand: [...AGE_BANDS, AGE_UNKNOWN],
  sex: SEXES,
  hourOfDay: Array.from({ length: 24 }, (_, h) => String(h)),
  dayOfWeek: ['1', '2', '3', '4', '5', '6', '7'],
  outOfHours: ['false', 'true'],
};

const DIMENSION_DESCRIPTIONS: Readonly<Record<Dimension, Pick<Column, 'description' | 'codes'>>> = {
  agencyType: { description: 'Type of the referring agency.' },
  legalStatus: { description: 'Legal status of the person when referred.' },
  outcome: { description: 'Outcome of the assessment, or what became of the referral without one.' },
  ethnicityGroup: { description: 'Top-level NHS ethnic category group.' },
  ageBand: { description: 'Age band on the London date of receipt; unknown without a date of birth or estimate.' },
  sex: { description: 'Sex as recorded.' },
  lssa: {
    description: 'Local social services authority responsible (ONS code).',
    codes: 'ONS local authority code, e.g. E06000055',
  },
  hourOfDay: { description: 'Hour of receipt.', codes: '0-23, Europe/London wall clock (GMT or BST as in force)' },
  dayOfWeek: {
    description: 'Day of the week of receipt.',
    codes: 'ISO 8601: 1 = Monday, 2 = Tuesday ... 7 = Sunday (Europe/London date)',
  },
  outOfHours: { description: "Received outside the AMHP service's in-hours calendar.", codes: 'true or false' },
};

/** The column of one demand dimension (a code, even where the codes are digits). */
export const dimensionColumn = (d: Dimension): Column => ({
  name: d,
  type: 'code',
  ...DIMENSION_DESCRIPTIONS[d],
  ...(d === 'lssa' ? {} : { values: DIMENSION_VALUES[d] }),
});

const period: Column = {
  name: 'period',
  type: 'date',
  codes: 'YYYY-MM-DD, the first day of the period',
  description: 'The fixed period (day, ISO week from Monday, or month).',
};
const interval: Column = {
  name: 'interval',
  type: 'code',
  values: INTERVALS,
  description: 'The interval measured, from the first event to the second (e.g. receivedToAccepted).',
};
const count = (description: string): Column => ({
  name: 'count',
  type: 'integer',
  unit: 'referrals',
  controlled: true,
  description,
});

export const DEMAND_TABLE: ExtractTable = {
  id: 'extract-demand',
  title: 'Demand',
  source: 'GET /v1/extracts/demand (rows)',
  formats: 'JSON and CSV',
  description:
    'Referrals received per period, broken down by up to three dimensions named in `by=` (one column each, ' +
    'in the order given). by=hourOfDay,dayOfWeek is always 24 × 7 = 168 rows per period.',
  columns: [period, ...DIMENSIONS.map(dimensionColumn), count('Referrals received in the period with these values.')],
};

/** The demand table's columns for one request: the period, the `by` dimensions in order, the count. */
export const demandColumns = (by: readonly Dimension[]): Column[] => [
  period,
  ...by.map(dimensionColumn),
  DEMAND_TABLE.columns.at(-1)!,
];

export const TIMINGS_TABLE: ExtractTable = {
  id: 'extract-timings',
  title: 'Timings',
  source: 'GET /v1/extracts/timings (rows)',
  formats: 'JSON and CSV',
  description:
    'Median and 90th percentile of each interval, over referrals received in the period, from fixed ' +
    'histogram buckets (within one bucket width of the exact figure).',
  columns: [
    period,
    interval,
    {
      name: 'records',
      type: 'integer',
      unit: 'records',
      controlled: true,
      description: 'Referrals received in the period for which the interval is known.',
    },
    {
      name: 'medianMinutes',
      type: 'integer',
      unit: 'minutes',
      controlled: true,
      empty: 'not applicable when records is 0',
      description: 'Median interval, whole minutes.',
    },
    {
      name: 'p90Minutes',
      type: 'integer',
      unit: 'minutes',
      controlled: true,
      empty: 'not applicable when records is 0',
      description: '90th percentile of the interval, whole minutes.',
    },
  ],
};

export const DISTRIBUTION_TABLE: ExtractTable = {
  id: 'extract-timings-distribution',
  title: 'Timings: distribution',
  source: 'GET /v1/extracts/timings (JSON `distribution`)',
  formats: 'JSON only',
  description: 'Every histogram bucket of every interval per period, empty buckets as 0.',
  columns: [
    period,
    interval,
    {
      name: 'fromMinutes',
      type: 'integer',
      unit: 'minutes',
      description: 'Lower bound of the bucket (exclusive, except 0).',
    },
    {
      name: 'toMinutes',
      type: 'integer',
      unit: 'minutes',
      empty: 'the open-ended bucket over 28 days',
      description: 'Upper bound of the bucket (inclusive).',
    },
    count('Referrals whose interval fell in the bucket.'),
  ],
};

export const ESCALATIONS_TABLE: ExtractTable = {
  id: 'extract-timings-escalations',
  title: 'Timings: escalations',
  source: 'GET /v1/extracts/timings (JSON `escalations`)',
  formats: 'JSON only',
  description: 'Escalations raised on referrals received in the period, by type.',
  columns: [
    period,
    { name: 'escalationType', type: 'code', values: ESCALATION_TYPES, description: 'Type of escalation.' },
    count('Escalations raised (a referral may raise several).'),
  ],
};

export const BREACHES_TABLE: ExtractTable = {
  id: 'extract-timings-breaches',
  title: 'Timings: clock breaches',
  source: 'GET /v1/extracts/timings (JSON `breaches`)',
  formats: 'JSON only',
  description: 'Statutory clocks breached on referrals received in the period, by power.',
  columns: [
    period,
    { name: 'power', type: 'code', values: POWERS, description: 'The power whose clock was breached.' },
    count('Referrals whose clock for the power was breached.'),
  ],
};

export const CAPACITY_TABLE: ExtractTable = {
  id: 'extract-capacity',
  title: 'Capacity',
  source: 'GET /v1/extracts/capacity (rows)',
  formats: 'JSON and CSV',
  description: 'Bed availability reported per period and bed type, and the share of updates that arrived stale.',
  columns: [
    period,
    { name: 'bedType', type: 'code', values: BED_TYPES, description: 'Bed type.' },
    {
      name: 'updates',
      type: 'integer',
      unit: 'updates',
      controlled: true,
      description: 'Availability updates received.',
    },
    {
      name: 'meanAvailableBeds',
      type: 'number',
      unit: 'beds',
      empty: 'not applicable when there were no updates',
      description: 'Mean beds available over the updates, one decimal place.',
    },
    {
      name: 'meanTotalBeds',
      type: 'number',
      unit: 'beds',
      empty: 'not applicable when there were no updates',
      description: 'Mean beds in total over the updates, one decimal place.',
    },
    {
      name: 'staleUpdatePercent',
      type: 'number',
      unit: 'percent',
      controlled: true,
      empty: 'not applicable when there were no updates of any bed type',
      description:
        'Updates of any bed type that were stale, as a percentage of all updates in the period ' +
        '(the same for every bed type).',
    },
  ],
};

export const DATA_QUALITY_TABLE: ExtractTable = {
  id: 'extract-data-quality',
  title: 'Data quality',
  source: 'GET /v1/extracts/data-quality (rows)',
  formats: 'JSON and CSV',
  description: 'Referrals received in the period that ever raised each data-quality flag, every flag code listed.',
  columns: [
    period,
    { name: 'flag', type: 'code', values: FLAG_CODES, description: 'Flag code.' },
    {
      name: 'referrals',
      type: 'integer',
      unit: 'referrals',
      controlled: true,
      description: 'Referrals received in the period that ever raised the flag.',
    },
    {
      name: 'received',
      type: 'integer',
      unit: 'referrals',
      controlled: true,
      description: 'Referrals received in the period.',
    },
    {
      name: 'percentOfReceived',
      type: 'number',
      unit: 'percent',
      controlled: true,
      empty: 'not applicable when received is 0',
      description: 'referrals as a percentage of received, from the published figures, one decimal place.',
    },
  ],
};
