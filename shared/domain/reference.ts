/**
 * Short human references for phone calls (`R-7K3M-9Q2P`): seven Crockford base32 symbols and a
 * check symbol. Crockford's own check uses mod 37 with symbols (`*~$=U`) that are awkward in
 * URLs and on the phone, so the check here is a weighted sum mod 32 over the same alphabet: it
 * catches every single-symbol error and most adjacent transpositions.
 */
import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const WEIGHTS = [3, 5, 7, 11, 13, 17, 19];

const checkSymbol = (body: string): string => {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += ALPHABET.indexOf(body[i]!) * WEIGHTS[i]!;
  return ALPHABET[sum % 32]!;
};

export function newReference(random: (max: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < 7; i++) body += ALPHABET[random(32)];
  const all = body + checkSymbol(body);
  return `R-${all.slice(0, 4)}-${all.slice(4)}`;
}

/** Accepts what people read out: any case, I/L as 1, O as 0, optional hyphens. */
export function normaliseReference(input: string): string | undefined {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  const m = /^R([0-9A-HJKMNP-TV-Z]{8})$/.exec(cleaned);
  if (!m) return undefined;
  const symbols = m[1]!;
  if (checkSymbol(symbols.slice(0, 7)) !== symbols[7]) return undefined;
  return `R-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}
