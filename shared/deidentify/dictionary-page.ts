/**
 * The data dictionary as an HTML section of the /docs page, rendered from the one definition in
 * dictionary.ts (so the page cannot describe columns the extracts do not send). Pure; no script,
 * no inline style (the page's CSP allows neither beyond its own stylesheet).
 */
import {
  BREACHES_TABLE,
  CAPACITY_TABLE,
  DATA_QUALITY_TABLE,
  DEMAND_TABLE,
  DISTRIBUTION_TABLE,
  ESCALATIONS_TABLE,
  SUPPRESSION_CONVENTION,
  TIME_CONVENTION,
  TIMINGS_TABLE,
  type Column,
  type ExtractTable,
} from './dictionary.js';
import { RECORDS_TABLE } from './dictionary-records.js';
import { NHS_SMALL_NUMBERS } from './disclosure.js';
import { suppressedColumn } from './tidy.js';
import { LOGISTICS_TABLES } from './logistics-dictionary.js';

/** Every table, in the order the /docs page lists them: a new extract's table is added here. */
export const EXTRACT_TABLES: readonly ExtractTable[] = [
  DEMAND_TABLE,
  TIMINGS_TABLE,
  DISTRIBUTION_TABLE,
  ESCALATIONS_TABLE,
  BREACHES_TABLE,
  ...LOGISTICS_TABLES,
  CAPACITY_TABLE,
  DATA_QUALITY_TABLE,
  RECORDS_TABLE,
];

const escapeHtml = (value: string): string =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const TYPE_TEXT: Record<Column['type'], string> = {
  date: 'date (YYYY-MM-DD)',
  month: 'month (YYYY-MM)',
  code: 'code (text)',
  integer: 'integer',
  number: 'decimal number',
  boolean: 'boolean (true/false)',
  string: 'text',
};

const HEADINGS = ['Column', 'Type', 'Unit', 'Meaning', 'Codes'];

function columnRows(column: Column): string[] {
  const codes = column.values ? `One of: ${column.values.join(', ')}.` : (column.codes ?? '');
  const flagName = suppressedColumn(column.name);
  const empty = column.controlled
    ? `Empty when suppressed (${flagName} true)${column.empty ? `, or ${column.empty} (${flagName} false)` : ''}.`
    : column.empty
      ? `Empty when ${column.empty}.`
      : 'Never empty.';
  const cells = [column.name, TYPE_TEXT[column.type], column.unit ?? '', `${column.description} ${empty}`, codes];
  const rows = [
    `<tr><th scope="row"><code>${escapeHtml(cells[0]!)}</code></th>${cells
      .slice(1)
      .map((c) => `<td>${escapeHtml(c)}</td>`)
      .join('')}</tr>`,
  ];
  if (column.controlled) {
    const flag = `true when ${column.name} is suppressed by the disclosure rule; false when shown or not applicable.`;
    rows.push(
      `<tr><th scope="row"><code>${escapeHtml(flagName)}</code></th><td>${TYPE_TEXT.boolean}</td><td></td>` +
        `<td>${escapeHtml(flag)} Never empty.</td><td>true, false</td></tr>`,
    );
  }
  return rows;
}

function tableSection(table: ExtractTable): string {
  return [
    `<h3 id="${escapeHtml(table.id)}">${escapeHtml(table.title)}</h3>`,
    `<p><code>${escapeHtml(table.source)}</code> · ${escapeHtml(table.formats)}. ${escapeHtml(table.description)}</p>`,
    '<table>',
    `<caption class="visually-hidden">Columns of the ${escapeHtml(table.title)} extract</caption>`,
    `<thead><tr>${HEADINGS.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>`,
    `<tbody>\n${table.columns.flatMap(columnRows).join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}

export function renderDataDictionary(tables: readonly ExtractTable[] = EXTRACT_TABLES): string {
  return [
    '<section id="data-dictionary" aria-labelledby="data-dictionary-title">',
    '<h2 id="data-dictionary-title">Data dictionary of the extracts</h2>',
    `<p>${escapeHtml(SUPPRESSION_CONVENTION)}</p>`,
    `<p>${escapeHtml(TIME_CONVENTION)}</p>`,
    `<p>Disclosure rule ` +
      `<code>${escapeHtml(NHS_SMALL_NUMBERS.id)}</code>: ${escapeHtml(NHS_SMALL_NUMBERS.description)}` +
      ' Each response states the rule it applied' +
      ' (JSON <code>rule</code>, CSV <code>Disclosure-Control</code> header).</p>',
    ...tables.map(tableSection),
    '</section>',
  ].join('\n');
}
