/**
 * The one extract writer (shared/deidentify/tidy.ts) and the data dictionary it follows
 * (issue #17): flags beside controlled figures, suppressed apart from not applicable, numeric
 * columns never carrying text, and the /docs page generated from the same definitions.
 */
import { describe, expect, it } from 'vitest';
import { csvCell, headerOf, tidyRow, tidyRows } from '../../shared/deidentify/tidy.js';
import {
  DATA_QUALITY_TABLE,
  DIMENSION_VALUES,
  demandColumns,
  TIMINGS_TABLE,
  type Column,
} from '../../shared/deidentify/dictionary.js';
import { EXTRACT_TABLES, renderDataDictionary } from '../../shared/deidentify/dictionary-page.js';
import { DIMENSIONS } from '../../shared/deidentify/facts.js';

describe('tidyRow', () => {
  it('splits each controlled figure into a number-or-null and a flag: shown, suppressed, not applicable', () => {
    const columns = TIMINGS_TABLE.columns;
    expect(headerOf(columns)).toEqual([
      'period',
      'interval',
      'records',
      'recordsSuppressed',
      'medianMinutes',
      'medianMinutesSuppressed',
      'p90Minutes',
      'p90MinutesSuppressed',
    ]);
    const row = tidyRow(columns, {
      period: '2026-11-01',
      interval: 'receivedToOutcome',
      records: 10,
      medianMinutes: '*',
      p90Minutes: null,
    });
    expect(row).toEqual({
      period: '2026-11-01',
      interval: 'receivedToOutcome',
      records: 10,
      recordsSuppressed: false,
      medianMinutes: null,
      medianMinutesSuppressed: true,
      p90Minutes: null,
      p90MinutesSuppressed: false,
    });
    expect(Object.keys(row)).toEqual(headerOf(columns));
    expect(headerOf(columns).map((c) => csvCell(row[c] ?? null))).toEqual([
      '2026-11-01',
      'receivedToOutcome',
      '10',
      'false',
      '',
      'true',
      '',
      'false',
    ]);
  });

  it("keeps the definition's column order, whatever order the row was built in", () => {
    const [row] = tidyRows(demandColumns(['dayOfWeek', 'hourOfDay']), [
      { count: 0, hourOfDay: '3', period: '2026-11-01', dayOfWeek: '7' },
    ]);
    expect(Object.keys(row!)).toEqual(['period', 'dayOfWeek', 'hourOfDay', 'count', 'countSuppressed']);
  });

  it.each<[string, Record<string, unknown>]>([
    [
      'a column the definition does not have',
      { period: '2026-11-01', interval: 'x', records: 10, medianMinutes: 5, p90Minutes: 5, extra: 1 },
    ],
    [
      'text in a numeric column',
      { period: '2026-11-01', interval: 'x', records: '10', medianMinutes: 5, p90Minutes: 5 },
    ],
    [
      'a fraction in an integer column',
      { period: '2026-11-01', interval: 'x', records: 10.5, medianMinutes: 5, p90Minutes: 5 },
    ],
  ])('refuses %s', (_why, row) => {
    expect(() => tidyRow(TIMINGS_TABLE.columns, row)).toThrow(TypeError);
  });

  it('refuses * in a non-controlled numeric column', () => {
    const columns: Column[] = [{ name: 'meanBeds', type: 'number', description: '' }];
    expect(() => tidyRow(columns, { meanBeds: '*' })).toThrow(TypeError);
    expect(tidyRow(columns, { meanBeds: null })).toEqual({ meanBeds: null });
  });
});

describe('the data dictionary', () => {
  it("defines every demand dimension's values once each (ISO weekdays 1-7, hours 0-23)", () => {
    for (const d of DIMENSIONS) {
      if (d === 'lssa') continue;
      expect(new Set(DIMENSION_VALUES[d]).size, d).toBe(DIMENSION_VALUES[d].length);
    }
    expect(DIMENSION_VALUES.dayOfWeek).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(DIMENSION_VALUES.hourOfDay).toHaveLength(24);
  });

  it('gives every numeric column a unit and every table unique column names', () => {
    for (const table of EXTRACT_TABLES) {
      const header = headerOf(table.columns);
      expect(new Set(header).size, table.id).toBe(header.length);
      for (const c of table.columns)
        if (c.type === 'integer' || c.type === 'number') expect(c.unit, `${table.id}.${c.name}`).toBeDefined();
    }
    expect(headerOf(DATA_QUALITY_TABLE.columns)).toContain('percentOfReceivedSuppressed');
  });

  it('is rendered for /docs from the same definitions: every table and published column', () => {
    const html = renderDataDictionary();
    for (const table of EXTRACT_TABLES) {
      expect(html).toContain(`id="${table.id}"`);
      for (const name of headerOf(table.columns)) expect(html, `${table.id}.${name}`).toContain(`<code>${name}</code>`);
    }
    expect(html).toMatch(/ISO 8601: 1 = Monday/);
    expect(html).toContain('Europe/London');
    expect(html).not.toMatch(/<script|style=/);
  });
});
