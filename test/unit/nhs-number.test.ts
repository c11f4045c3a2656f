import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isValidNhsNumber, nhsCheckDigit, normaliseNhsNumber } from '../../shared/domain/nhs-number.js';

describe('NHS number (modulus 11)', () => {
  it.each([
    // 9·10+4·9+3·8+4·7+7·6+6·5+5·4+9·3+1·2 = 299; 299 % 11 = 2; 11 − 2 = 9.
    ['9434765919'],
    // 9·10+4·9+3·8+4·7+7·6+6·5+5·4+8·3+7·2 = 308; 308 % 11 = 0; 11 − 0 = 11 → 0.
    ['9434765870'],
    ['4010232137'],
    ['943 476 5919'],
    ['943 476 5870'],
  ])('accepts %s', (s) => {
    expect(isValidNhsNumber(s)).toBe(true);
  });

  it.each([
    ['9434765918', 'wrong check digit'],
    ['9434765910', 'wrong check digit'],
    // 1·10+2·9+3·8+4·7+5·6+6·5+7·4+8·3+9·2 = 210; 210 % 11 = 1; 11 − 1 = 10: no valid number.
    ['1234567890', 'check digit would be 10'],
    ['1234567891', 'check digit would be 10'],
    ['943476591', 'nine digits'],
    ['94347659190', 'eleven digits'],
    ['', 'empty'],
    ['943476591A', 'a letter'],
    ['ABCDEFGHIJ', 'letters'],
    ['943-476-5919', 'hyphens'],
    ['9434 76 5919', 'wrong grouping'],
    ['943  476 5919', 'double space'],
    [' 9434765919', 'leading space'],
    ['9434765919 ', 'trailing space'],
    ['９４３４７６５９１９', 'full-width digits'],
    ['0000000000', 'placeholder that passes the checksum'],
    ['1111111111', 'placeholder that passes the checksum'],
  ])('refuses %j (%s)', (s) => {
    expect(isValidNhsNumber(s)).toBe(false);
  });

  it('computes check digits, with 11 → 0 and 10 → none', () => {
    expect(nhsCheckDigit('943476591')).toBe(9);
    expect(nhsCheckDigit('943476587')).toBe(0);
    expect(nhsCheckDigit('123456789')).toBeUndefined();
    expect(nhsCheckDigit('12345678')).toBeUndefined();
  });

  it('normalises the 3-3-4 grouping to ten digits and nothing else', () => {
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
    expect(normaliseNhsNumber('9434765919')).toBe('9434765919');
    expect(normaliseNhsNumber('943-476-5919')).toBeUndefined();
  });

  it('a single changed digit is always detected (property)', () => {
    const valid = fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
      .map((d) => d.join(''))
      .filter((nine) => nhsCheckDigit(nine) !== undefined && !/^(\d)\1{8}$/.test(nine))
      .map((nine) => `${nine}${nhsCheckDigit(nine)}`);
    fc.assert(
      fc.property(valid, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (n, pos, delta) => {
        expect(isValidNhsNumber(n)).toBe(true);
        const changed = n.slice(0, pos) + String((Number(n[pos]) + delta) % 10) + n.slice(pos + 1);
        expect(isValidNhsNumber(changed)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
