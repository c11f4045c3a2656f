/**
 * NHS number validation (DOMAIN §2: "NHS number (optional; when present validated by the
 * modulus-11 check digit)"). Pure: no I/O.
 *
 * Accepted spellings: ten digits (`9434765919`) or the printed 3-3-4 grouping with single
 * spaces (`943 476 5919`), because that is how the number appears on letters and the NHS app
 * and a referrer may paste it. Nothing else (hyphens, other groupings, leading or trailing
 * blanks) is accepted: a lenient parser would let a mistyped number reach matching and
 * pseudonymisation (DOMAIN §7 keys on the normalised number). Stored and compared as ten digits.
 */

const TEN_DIGITS = /^\d{10}$/;
const GROUPED = /^(\d{3}) (\d{3}) (\d{4})$/;
/** `0000000000`, `1111111111`… pass the checksum but are placeholders typed to get past a form. */
const ONE_DIGIT_REPEATED = /^(\d)\1{9}$/;

/** Ten digits, or `undefined` when the spelling is not one of the accepted ones. */
export function normaliseNhsNumber(s: string): string | undefined {
  if (TEN_DIGITS.test(s)) return s;
  const grouped = GROUPED.exec(s);
  return grouped ? `${grouped[1]}${grouped[2]}${grouped[3]}` : undefined;
}

/**
 * The check digit: weights 10..2 on the first nine digits, `11 - (sum % 11)`; a result of 11
 * means 0 and a result of 10 means no valid number has these nine digits.
 */
export function nhsCheckDigit(firstNine: string): number | undefined {
  if (!/^\d{9}$/.test(firstNine)) return undefined;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  return check === 10 ? undefined : check;
}

export function isValidNhsNumber(s: string): boolean {
  const digits = normaliseNhsNumber(s);
  if (digits === undefined || ONE_DIGIT_REPEATED.test(digits)) return false;
  return nhsCheckDigit(digits.slice(0, 9)) === Number(digits[9]);
}
