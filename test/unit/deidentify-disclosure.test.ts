/**
 * Disclosure control (DOMAIN §7): the NHS small-numbers rule as tables of count → published value.
 */
import { describe, expect, it } from 'vitest';
import {
  assertDisclosureRule,
  controlCount,
  controlPercentage,
  controlQuantile,
  NHS_SMALL_NUMBERS,
  type Controlled,
  type DisclosureRule,
  type Figure,
} from '../../shared/deidentify/disclosure.js';

const rule = (over: Partial<DisclosureRule>): DisclosureRule => ({ ...NHS_SMALL_NUMBERS, id: 'test', ...over });

describe('controlCount (NHS rule: 0 stays 0, 1–7 → *, otherwise nearest 5)', () => {
  it.each<[number, Controlled, string]>([
    [0, 0, '0 stays 0'],
    [1, '*', 'smallest suppressed'],
    [2, '*', 'suppressed'],
    [7, '*', 'largest suppressed'],
    [8, 10, 'smallest published: nearer 10 than 5'],
    [9, 10, ''],
    [10, 10, 'a multiple of 5 is itself'],
    [11, 10, ''],
    [12, 10, 'down'],
    [13, 15, 'up'],
    [14, 15, ''],
    [15, 15, ''],
    [17, 15, 'down'],
    [18, 20, 'up'],
    [22, 20, ''],
    [23, 25, ''],
    [1232, 1230, 'large, down'],
    [1234, 1235, 'large, up: 1 from 1235, 4 from 1230'],
    [1_000_003, 1_000_005, 'very large'],
  ])('%i → %s %s', (n, expected) => {
    expect(controlCount(n)).toBe(expected);
  });

  it('rounds exact halves up (only possible with an even roundTo)', () => {
    const tens = rule({ roundTo: 10, suppressBelow: 10 });
    expect([10, 14, 15, 24, 25, 26].map((n) => controlCount(n, tens))).toEqual([10, 10, 20, 20, 30, 30]);
  });

  it('applies the thresholds of the data-sharing agreement', () => {
    const strict = rule({ suppressBelow: 10, roundTo: 10 });
    expect([0, 9, 10, 14, 15, 99].map((n) => controlCount(n, strict))).toEqual([0, '*', 10, 10, 20, 100]);
    const national = rule({ suppressBelow: 1, roundTo: 1 });
    expect([0, 1, 7, 1234].map((n) => controlCount(n, national))).toEqual([0, 1, 7, 1234]);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (n) => {
    expect(() => controlCount(n)).toThrow(RangeError);
  });

  it.each<[string, Partial<DisclosureRule>]>([
    ['a count that would be published as 0', { suppressBelow: 1, roundTo: 5 }],
    ['zero rounding', { roundTo: 0 }],
    ['fractional suppression', { suppressBelow: 7.5 }],
    ['zero minimum for quantiles', { minRecordsForQuantile: 0 }],
  ])('refuses a rule with %s', (_why, over) => {
    expect(() => assertDisclosureRule(rule(over))).toThrow(RangeError);
    expect(() => controlCount(10, rule(over))).toThrow(RangeError);
  });

  it('states the rule it applies', () => {
    expect(NHS_SMALL_NUMBERS).toMatchObject({
      id: 'nhs-small-numbers',
      suppressBelow: 8,
      roundTo: 5,
      minRecordsForQuantile: 20,
    });
    expect(NHS_SMALL_NUMBERS.description).toMatch(/1-7/);
    expect(Object.isFrozen(NHS_SMALL_NUMBERS)).toBe(true);
  });
});

describe('controlPercentage (from the rounded numerator and denominator)', () => {
  it.each<[number, number, Figure, string]>([
    [0, 0, null, 'zero denominator: not applicable, not suppressed'],
    [0, 3, '*', 'suppressed denominator'],
    [0, 8, 0, '0 of 10'],
    [3, 100, '*', 'suppressed numerator'],
    [8, 7, '*', 'suppressed denominator, published numerator'],
    [12, 40, 25, '10 / 40'],
    [13, 40, 37.5, '15 / 40'],
    [10, 30, 33.3, '10 / 30 = 33.33…'],
    [20, 30, 66.7, '20 / 30 = 66.66… rounds up'],
    [1, 8, '*', ''],
    [8, 8, 100, '10 / 10'],
    [13, 12, 150, '15 / 10: a numerator may exceed the denominator (e.g. escalations per referral)'],
    [1234, 5678, 21.7, '1235 / 5680 = 21.74…'],
    [10, 80, 12.5, 'an exact half stays exact'],
    [9, 1000, 1, '10 / 1000'],
  ])('%i / %i → %s %s', (num, den, expected) => {
    expect(controlPercentage(num, den)).toBe(expected);
  });

  it('uses the given rule for both parts', () => {
    expect(controlPercentage(9, 40, rule({ suppressBelow: 10, roundTo: 10 }))).toBe('*');
    expect(controlPercentage(10, 40, rule({ suppressBelow: 10, roundTo: 10 }))).toBe(25);
  });
});

describe('controlQuantile (withheld over fewer than 20 records)', () => {
  it.each<[number | undefined, number, Figure, string]>([
    [undefined, 0, null, 'no records: not applicable, not suppressed'],
    [42, 0, null, ''],
    [42, 1, '*', "one record: one person's figure"],
    [42.4, 19, '*', 'one under the threshold'],
    [42.4, 20, 42, 'at the threshold: whole minutes'],
    [42.5, 20, 43, 'halves up'],
    [undefined, 25, '*', 'no value'],
    [0, 500, 0, ''],
    [1439.6, 500, 1440, ''],
  ])('%s over %i records → %s %s', (value, records, expected) => {
    expect(controlQuantile(value, records)).toBe(expected);
  });

  it("uses the agreement's minimum", () => {
    expect(controlQuantile(30, 49, rule({ minRecordsForQuantile: 50 }))).toBe('*');
    expect(controlQuantile(30, 50, rule({ minRecordsForQuantile: 50 }))).toBe(30);
  });

  it.each<[number | undefined, number]>([
    [10, -1],
    [10, 2.5],
    [Number.NaN, 30],
  ])('refuses %s over %s records', (value, records) => {
    expect(() => controlQuantile(value, records)).toThrow(RangeError);
  });
});
