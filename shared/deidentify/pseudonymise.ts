/**
 * Pseudonymisation for demand planning (DOMAIN §7): keyed hashes, so that analysts holding the
 * facts cannot reverse a person key by hashing every NHS number or name they can think of, and
 * cannot join a fact back to the live referral without the key (held outside the data).
 */
import { createHmac } from 'node:crypto';

/**
 * RFC 2104 wants a key at least as long as the hash output; a short or empty key would leave the
 * person key open to a dictionary attack over the 10^9 NHS numbers. Same floor as `config.ts`.
 */
export const MIN_KEY_BYTES = 32;

// Domain separation: the purpose and the kind of identifier go into the MAC input, and each
// prefix ends in a character no identifier can contain, so an NHS number's input can never equal
// a name's, and a person key can never equal a fact key.
const PERSON_NHS = 'amhp-hub/v1/person/nhs\u0000';
const PERSON_NAME_DOB = 'amhp-hub/v1/person/name-dob\u0000';
const FACT = 'amhp-hub/v1/fact\u0000';
const EXTRACT = 'amhp-hub/v1/extract\u0000';

function mac(key: Buffer, input: string): string {
  if (!Buffer.isBuffer(key) || key.length < MIN_KEY_BYTES) {
    throw new RangeError(`the pseudonymisation key must be at least ${MIN_KEY_BYTES} bytes`);
  }
  return createHmac('sha256', key).update(input, 'utf8').digest('base64url');
}

/**
 * A name as §7 normalises it: upper case, letters only. Accents are folded first (Zoë = ZOE) and
 * letters of any script are kept, because dropping non-Latin letters would leave an empty name
 * and give every such person born on one day the same key.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}]/gu, '');
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface PersonIdentity {
  nhsNumber?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  dateOfBirth?: string | undefined;
  identityUnknown?: boolean | undefined;
}

/**
 * The pseudonymous person key (§7): HMAC-SHA256 of the NHS number (digits only) or, without one,
 * of the normalised given name, family name and date of birth; base64url. Undefined when there is
 * nothing to key on (an unidentified person, or a name that normalises to nothing): no key is
 * better than one shared by unrelated people, which would fabricate repeat referrals.
 */
export function pseudonymousPersonKey(person: PersonIdentity, key: Buffer): string | undefined {
  if (person.identityUnknown === true) return undefined;
  const digits = person.nhsNumber?.replace(/\D/g, '');
  if (digits !== undefined && digits.length === 10) return mac(key, PERSON_NHS + digits);
  const given = person.givenName === undefined ? '' : normaliseName(person.givenName);
  const family = person.familyName === undefined ? '' : normaliseName(person.familyName);
  const dob = person.dateOfBirth?.trim();
  if (!given || !family || dob === undefined || !ISO_DATE.test(dob)) return undefined;
  // The separator keeps given and family apart: ANN + MARIESMITH is not ANNMARIE + SMITH.
  return mac(key, `${PERSON_NAME_DOB}${given}|${family}|${dob}`);
}

/** The fact's key: a keyed hash of the referral id, so facts cannot be joined back to `hub`. */
export function factKeyOf(referralId: string, key: Buffer): string {
  if (!referralId) throw new RangeError('a referral id is required');
  return mac(key, FACT + referralId);
}

/**
 * A key as one record-level extract shows it (§7): the stored person or fact key re-keyed with
 * the data-sharing agreement and the period, so two agreements' (or two months') extracts cannot
 * be joined on it, while repeats within one extract still share a key. Without the secret key
 * an analyst cannot map one extract's keys onto another's.
 */
export function extractKeyOf(
  kind: 'person' | 'record',
  storedKey: string,
  agreementId: string,
  period: string,
  key: Buffer,
): string {
  if (!storedKey || !agreementId || !period)
    throw new RangeError('a stored key, an agreement and a period are required');
  for (const part of [agreementId, period])
    if (part.includes('\u0000')) throw new RangeError('no NUL in an agreement id or period');
  return mac(key, `${EXTRACT}${kind}\u0000${agreementId}\u0000${period}\u0000${storedKey}`);
}
